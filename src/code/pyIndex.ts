// Python: imports (`import torch.nn.functional as F`, `from torch.nn import ReLU as R`,
// `from keras.layers import *`), definitions and assignments, per logical line.
import { frameworkOfPyPath, normalizePyPath } from './paths';
import { addBinding, type DocIndex, type NameBinding, type Scope } from './docIndex';
import { tokenizePython } from './pyTokenizer';
import { matchBrackets, type Token } from './tokens';
import type { Framework } from '../engine/activations/types';

const HF_RELATIVE = new Set(['activations', 'activations_tf', 'modeling_flax_utils']);
const HF_NAMES = new Set(['ACT2FN', 'ACT2CLS', 'get_activation', 'get_tf_activation']);

export function indexPython(text: string, toks: Token[] = tokenizePython(text)): DocIndex {
  const partner = matchBrackets(toks);
  const names = new Map<string, NameBinding[]>();
  const stars: { offset: number; module: string }[] = [];
  const frameworks = new Set<Framework>();
  const noteFw = (path: string): void => {
    const fw = frameworkOfPyPath(normalizePyPath(path));
    if (fw) frameworks.add(fw);
  };
  const n = toks.length;
  // Open function/class bodies with the indentation of their header line. A statement
  // indented no deeper than a header ends that body (Python's block structure).
  const open: { scope: Scope; indent: number }[] = [];
  let scope: Scope | undefined;
  let i = 0;
  while (i < n) {
    // i is at a statement start; find its end (next nl).
    let end = i;
    while (end < n && (toks[end] as Token).kind !== 'nl') end++;
    const first = toks[i] as Token;
    if (first.kind !== 'nl') {
      const ind = lineIndent(first.start);
      while (open.length && (open[open.length - 1] as { indent: number }).indent >= ind) {
        const top = open.pop() as { scope: Scope };
        top.scope.end = text.lastIndexOf('\n', first.start - 1) + 1;
      }
      scope = open[open.length - 1]?.scope;
      statement(i, end);
    }
    i = end + 1;
  }
  return { lang: 'python', text, toks, partner, names, stars, frameworks };

  function lineIndent(at: number): number {
    const ls = text.lastIndexOf('\n', at - 1) + 1;
    let j = ls;
    while (text[j] === ' ' || text[j] === '\t') j++;
    return j - ls;
  }

  /** Opens the body of `def`/`class` whose name is toks[k]; binds a function's parameters in it. */
  function openScope(kind: 'def' | 'class', k: number, e: number): void {
    const nm = toks[k] as Token;
    const sc: Scope = { kind, start: nm.end, end: text.length, defs: [], ...(scope ? { parent: scope } : {}) };
    if (kind === 'def') for (let p = scope; p; p = p.parent) if (p.kind === 'class') p.defs.push(sc);
    open.push({ scope: sc, indent: lineIndent(nm.start) });
    if (kind === 'def' && toks[k + 1]?.text === '(') {
      const close = partner[k + 1] as number;
      for (let m = k + 2; m < (close > k ? close : e); m++) {
        const t = toks[m] as Token;
        if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
          const q = partner[m] as number;
          if (q > m) m = q;
          continue;
        }
        const before = toks[m - 1]?.text;
        if (t.kind === 'name' && (before === '(' || before === ',' || before === '*' || before === '**') && /^[,:=)]$/.test(toks[m + 1]?.text ?? ')')) {
          addBinding(names, t.text, { offset: t.start, target: { kind: 'local' }, scope: sc });
        }
      }
    }
    scope = sc;
  }

  function statement(s: number, e: number): void {
    const t = toks[s] as Token;
    if (t.kind !== 'name') return;
    // Decorators and `async` prefixes.
    if (t.text === 'async' && s + 1 < e) return statement(s + 1, e);
    if (t.text === 'import') return importStmt(s + 1, e);
    if (t.text === 'from') return fromStmt(s + 1, e);
    if ((t.text === 'def' || t.text === 'class') && toks[s + 1]?.kind === 'name') {
      const nm = toks[s + 1] as Token;
      addBinding(names, nm.text, { offset: nm.start, target: { kind: 'local' }, hoisted: true, ...(scope ? { scope } : {}) });
      openScope(t.text, s + 1, e);
      // A body on the header's line (`def f(x): return g(x)`).
      const colon = findTopLevel(s + 2, e, ':');
      if (colon > 0 && colon + 1 < e) statement(colon + 1, e);
      return;
    }
    if (t.text === 'for') {
      for (let k = s + 1; k < e && toks[k]?.text !== 'in'; k++) if (toks[k]?.kind === 'name') local(k);
      return;
    }
    if (t.text === 'with' || t.text === 'except') {
      for (let k = s + 1; k < e - 1; k++) if (toks[k]?.text === 'as' && toks[k + 1]?.kind === 'name') local(k + 1);
      return;
    }
    // Compound statements with a body on the same line: `if x: relu = f`.
    const colon = findTopLevel(s, e, ':');
    if (['if', 'elif', 'else', 'while', 'try', 'finally'].includes(t.text) && colon > 0) return statement(colon + 1, e);
    assignment(s, e);
  }

  function local(k: number): void {
    const nm = toks[k] as Token;
    addBinding(names, nm.text, { offset: nm.start, target: { kind: 'local' }, ...(scope ? { scope } : {}) });
  }

  /** Index of the first top-level `op` token with text `s` in [a, e), or −1. */
  function findTopLevel(a: number, e: number, s: string): number {
    for (let k = a; k < e; k++) {
      const t = toks[k] as Token;
      if (t.kind !== 'op') continue;
      if (t.text === s) return k;
      if (t.text === '(' || t.text === '[' || t.text === '{') {
        const p = partner[k] as number;
        if (p > k) k = p;
      }
    }
    return -1;
  }

  /** Reads `a.b.c` from k; returns the path and the index after it. */
  function dotted(k: number, e: number): { path: string; next: number } {
    let path = '';
    while (k < e && toks[k]?.kind === 'name') {
      path += (toks[k] as Token).text;
      if (toks[k + 1]?.text === '.' && toks[k + 2]?.kind === 'name') {
        path += '.';
        k += 2;
      } else {
        k++;
        break;
      }
    }
    return { path, next: k };
  }

  function importStmt(k: number, e: number): void {
    while (k < e) {
      const { path, next } = dotted(k, e);
      if (!path) return;
      noteFw(path);
      k = next;
      if (toks[k]?.text === 'as' && toks[k + 1]?.kind === 'name') {
        const al = toks[k + 1] as Token;
        addBinding(names, al.text, { offset: al.start, target: { kind: 'path', path }, ...(scope ? { scope } : {}) });
        k += 2;
      } else {
        const head = path.split('.')[0] as string;
        addBinding(names, head, { offset: (toks[k - 1] as Token).start, target: { kind: 'path', path: head }, ...(scope ? { scope } : {}) });
      }
      if (toks[k]?.text !== ',') return;
      k++;
    }
  }

  function fromStmt(k: number, e: number): void {
    const relative = toks[k]?.text === '.' || toks[k]?.text === '...';
    while (toks[k]?.text === '.' || toks[k]?.text === '...') k++;
    let module = '';
    if (toks[k]?.text !== 'import') {
      const d = dotted(k, e);
      module = d.path;
      k = d.next;
    }
    if (toks[k]?.text !== 'import') return;
    k++;
    if (!relative && module) noteFw(module);
    if (toks[k]?.text === '*') {
      if (!relative && module) stars.push({ offset: (toks[k] as Token).start, module });
      return;
    }
    for (; k < e; k++) {
      const t = toks[k] as Token;
      if (t.kind !== 'name') continue;
      let bound = t;
      if (toks[k + 1]?.text === 'as' && toks[k + 2]?.kind === 'name') {
        bound = toks[k + 2] as Token;
        k += 2;
      }
      // Inside transformers itself, `from ...activations import ACT2FN` is HF's table.
      const hf = relative && HF_RELATIVE.has(module) && HF_NAMES.has(t.text);
      const target = hf ? ({ kind: 'path', path: `transformers.${module}.${t.text}` } as const) : relative || !module ? ({ kind: 'local' } as const) : ({ kind: 'path', path: `${module}.${t.text}` } as const);
      addBinding(names, bound.text, { offset: bound.start, target, ...(scope ? { scope } : {}) });
    }
  }

  /** `a = b = expr`, `x: T = expr`, `self.act = expr`, `a, b = …`, `a += …`. */
  function assignment(s: number, e: number): void {
    const targets: [number, number][] = [];
    let k = s;
    let eq = findTopLevel(k, e, '=');
    if (eq < 0) {
      // Augmented assignment or walrus rebinding a name to a value of the user's.
      const t1 = toks[s + 1];
      if (toks[s]?.kind === 'name' && t1?.kind === 'op' && /^(?:[-+*/%&|^@]|\*\*|\/\/|>>|<<)=$/.test(t1.text)) local(s);
      return;
    }
    while (eq > 0) {
      targets.push([k, eq]);
      k = eq + 1;
      eq = findTopLevel(k, e, '=');
    }
    const exprTok = k;
    for (const [a, z] of targets) {
      // Strip a type annotation `x: T`.
      const colon = findTopLevel(a, z, ':');
      const zz = colon > 0 ? colon : z;
      const t0 = toks[a] as Token;
      if (zz === a + 1 && t0.kind === 'name') {
        addBinding(names, t0.text, { offset: t0.start, target: exprTok < e ? { kind: 'expr', tok: exprTok } : { kind: 'local' }, ...(scope ? { scope } : {}) });
      } else if (zz === a + 3 && t0.kind === 'name' && toks[a + 1]?.text === '.' && toks[a + 2]?.kind === 'name') {
        const key = `${t0.text}.${(toks[a + 2] as Token).text}`;
        // Hoisted: `forward` may come before `__init__` in the class body.
        addBinding(names, key, { offset: t0.start, target: exprTok < e ? { kind: 'expr', tok: exprTok } : { kind: 'local' }, hoisted: true });
      } else {
        for (let m = a; m < zz; m++) {
          const t = toks[m] as Token;
          if (t.kind === 'name' && toks[m - 1]?.text !== '.' && (m === a || toks[m - 1]?.text === ',' || toks[m - 1]?.text === '(' || toks[m - 1]?.text === '[' || toks[m - 1]?.text === '*')) local(m);
        }
      }
    }
  }
}
