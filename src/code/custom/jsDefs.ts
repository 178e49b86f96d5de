// JS/TS front end: `function f(x) {…}`, `const f = (x) => …`, and classes with an
// `apply(x, …)` method (TF.js layers' Activation subclasses), evaluated with the same
// interpreter as Python. Bodies may hold `const`/`let` assignments and one `return`;
// `tidy(() => …)` runs its function. Top-level `const K = Math.sqrt(2 / Math.PI)` constants
// are read where a definition uses them.
import { matchBrackets, type Token } from '../tokens';
import { tokenizeJs } from '../jsTokenizer';
import { evalNode, lambdaVal, type FnVal, type Scope } from './interp';
import type { CustomDef } from './pyDefs';
import { ExprParser, type Node, type Param } from './syntax';
import { reject, type Val } from './values';

export interface JsFile {
  readonly text: string;
  readonly toks: readonly Token[];
  readonly defs: readonly CustomDef[];
}

const CONVENTIONAL: Readonly<Record<string, string>> = { tf: '@tensorflow/tfjs', Math: 'Math' };

export function indexJsDefs(text: string): JsFile {
  const toks = tokenizeJs(text);
  const partner = matchBrackets(toks);
  /** The index after the bracket closing the one at i (the end when unbalanced). */
  const skip = (i: number): number => {
    const c = partner[i] as number;
    return c < 0 ? toks.length : c + 1;
  };
  const tk = (i: number): Token | undefined => toks[i];
  const isOp = (i: number, s: string): boolean => tk(i)?.kind === 'op' && tk(i)?.text === s;
  const isName = (i: number, s?: string): boolean => tk(i)?.kind === 'name' && (s === undefined || tk(i)?.text === s);

  const imports = new Map<string, string>();
  const names = new Map<string, () => Val>();
  const defs: CustomDef[] = [];

  const scope: Scope = {
    block: (from, to) => block(from, to),
    lookup(n: string): Val {
      const d = names.get(n);
      if (d) return d();
      const imp = imports.get(n);
      if (imp !== undefined) return { v: 'path', path: imp };
      const c = CONVENTIONAL[n];
      if (c) return { v: 'path', path: c };
      return reject(`unknown name ${n}`);
    },
  };

  /** Parses `(a: T, b = 1)` starting at the `(`; returns params and the index after `)`. */
  const params = (open: number): { ps: Param[]; after: number } => {
    const close = partner[open] as number;
    if (close < 0) return reject('unbalanced');
    const p = new ExprParser(toks, partner, open, close + 1, 'js');
    // Reuse the arrow parser: `(…) => 0` is not in the text, so parse by hand.
    const ps: Param[] = [];
    let i = open + 1;
    while (i < close) {
      if (!isName(i)) return reject('odd parameter');
      const name = (tk(i) as Token).text;
      const tok = i++;
      if (isOp(i, '?')) i++;
      let def: Node | undefined;
      // skip a type annotation
      if (isOp(i, ':')) {
        i++;
        while (i < close && !isOp(i, ',') && !isOp(i, '=')) {
          const t = tk(i) as Token;
          i = t.kind === 'op' && '([{'.includes(t.text) ? skip(i) : i + 1;
        }
      }
      if (isOp(i, '=')) {
        p.i = i + 1;
        def = p.expr();
        i = p.i;
      }
      ps.push({ name, tok, ...(def ? { def } : {}) });
      if (isOp(i, ',')) i++;
      else if (i !== close) return reject('odd parameter list');
    }
    return { ps, after: close + 1 };
  };

  /** Index of the `{` opening a body after a parameter list and optional `: ReturnType`. */
  const bodyOpen = (after: number): number => {
    let i = after;
    if (isOp(i, ':')) {
      i++;
      while (i < toks.length && !isOp(i, '{') && !isOp(i, '=>')) {
        const t = tk(i) as Token;
        if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '<')) {
          if (t.text === '<') {
            let depth = 0;
            for (; i < toks.length; i++) {
              if (isOp(i, '<')) depth++;
              else if (isOp(i, '>') && --depth === 0) break;
            }
            i++;
            continue;
          }
          i = skip(i);
          continue;
        }
        i++;
      }
    }
    return i;
  };

  const block = (from: number, to: number) => (sc: Scope): Val => {
    const locals = new Map<string, Val>();
    const inner: Scope = { lookup: (n) => locals.get(n) ?? sc.lookup(n), block: (f, t) => block(f, t) };
    let i = from;
    while (i < to) {
      if (isOp(i, ';')) {
        i++;
        continue;
      }
      if ((isName(i, 'const') || isName(i, 'let') || isName(i, 'var')) && isName(i + 1)) {
        const name = (tk(i + 1) as Token).text;
        let j = i + 2;
        if (isOp(j, ':')) {
          j++;
          while (j < to && !isOp(j, '=')) j++;
        }
        if (!isOp(j, '=')) return reject('declaration without value');
        const p = new ExprParser(toks, partner, j + 1, to, 'js');
        const n = p.expr();
        locals.set(name, evalNode(n, inner));
        i = p.i;
        continue;
      }
      if (isName(i, 'return')) {
        const p = new ExprParser(toks, partner, i + 1, to, 'js');
        const n = p.expr();
        return evalNode(n, inner);
      }
      return reject(`statement "${tk(i)?.text}" is not part of an activation`);
    }
    return reject('no return');
  };

  const fnFrom = (ps: readonly Param[], body: Node | { from: number; to: number }): FnVal =>
    lambdaVal(
      ps.map((p) => ({ name: p.name, ...(p.def ? { def: p.def } : {}) })),
      't' in body ? (s) => evalNode(body, s) : block(body.from, body.to),
      scope,
    );

  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind === 'op' && (t.text === '{' || t.text === '}')) depth += t.text === '{' ? 1 : -1;
    if (t.kind !== 'name') continue;
    // import * as tfc from '…' / import {a, b as c} from '…' / import tf from '…'
    if (t.text === 'import' && (i === 0 || isOp(i - 1, ';') || !isOp(i - 1, '.'))) {
      let j = i + 1;
      let end = j;
      while (end < toks.length && !isName(end, 'from') && end < j + 200) end++;
      const src = tk(end + 1);
      if (isName(end, 'from') && src?.kind === 'str' && src.value !== undefined) {
        const mod = src.value;
        if (isOp(j, '*') && isName(j + 1, 'as') && isName(j + 2)) imports.set((tk(j + 2) as Token).text, mod);
        else if (isName(j) && !isOp(j, '{')) imports.set((tk(j) as Token).text, mod);
        if (isOp(j, '{')) {
          const close = partner[j] as number;
          for (j = j + 1; j < close; j++) {
            if (!isName(j)) continue;
            const orig = (tk(j) as Token).text;
            if (isName(j + 1, 'as') && isName(j + 2)) {
              imports.set((tk(j + 2) as Token).text, `${mod}.${orig}`);
              j += 2;
            } else imports.set(orig, `${mod}.${orig}`);
          }
        }
      }
      continue;
    }
    // function NAME(params) { body }
    if (t.text === 'function' && isName(i + 1) && isOp(i + 2, '(')) {
      const name = (tk(i + 1) as Token).text;
      const nameTok = i + 1;
      const v = (): Val => {
        const { ps, after } = params(i + 2);
        const open = bodyOpen(after);
        if (!isOp(open, '{')) return reject('no body');
        return fnFrom(ps, { from: open + 1, to: partner[open] as number });
      };
      names.set(name, v);
      defs.push({ kind: 'def', name, tok: nameTok, uses: [], value: v });
      continue;
    }
    // const NAME = (params) => … / const NAME = x => …
    if ((t.text === 'const' || t.text === 'let' || t.text === 'var') && isName(i + 1) && isOp(i + 2, '=')) {
      const name = (tk(i + 1) as Token).text;
      const nameTok = i + 1;
      const start = i + 3;
      const isArrow = (isOp(start, '(') && isOp(bodyOpen(skip(start)), '=>')) || (isName(start) && isOp(start + 1, '=>'));
      const isFn = isName(start, 'function');
      if (!isArrow && !isFn) {
        // a top-level constant: its value, when a definition reads it
        if (depth === 0 && !names.has(name)) {
          names.set(name, () => {
            const p = new ExprParser(toks, partner, start, toks.length, 'js');
            return evalNode(p.expr(), scope);
          });
        }
        continue;
      }
      const v = (): Val => {
        if (isFn) {
          const open0 = isName(start + 1) ? start + 2 : start + 1;
          const { ps, after } = params(open0);
          const open = bodyOpen(after);
          return fnFrom(ps, { from: open + 1, to: partner[open] as number });
        }
        let ps: Param[];
        let arrow: number;
        if (isName(start)) {
          ps = [{ name: (tk(start) as Token).text, tok: start }];
          arrow = start + 1;
        } else {
          const r = params(start);
          ps = r.ps;
          arrow = bodyOpen(r.after);
        }
        if (isOp(arrow + 1, '{')) return fnFrom(ps, { from: arrow + 2, to: partner[arrow + 1] as number });
        const p = new ExprParser(toks, partner, arrow + 1, toks.length, 'js');
        return fnFrom(ps, p.expr());
      };
      names.set(name, v);
      defs.push({ kind: 'lambda', name, tok: nameTok, uses: [], value: v });
      continue;
    }
    // class NAME extends BASE { … apply(x, …) { … } … }
    if (t.text === 'class' && isName(i + 1)) {
      const name = (tk(i + 1) as Token).text;
      const nameTok = i + 1;
      let open = i + 2;
      while (open < toks.length && !isOp(open, '{')) open++;
      const close = partner[open] as number;
      if (close < 0) continue;
      // methods at the class body's top level
      let apply = -1;
      for (let j = open + 1; j < close; j++) {
        const u = tk(j) as Token;
        if (u.kind === 'op' && '([{'.includes(u.text)) {
          j = partner[j] as number;
          if (j < 0) break;
          continue;
        }
        if (u.kind === 'name' && (u.text === 'apply' || u.text === 'call') && isOp(j + 1, '(')) apply = j;
      }
      if (apply < 0) continue;
      const v = (): Val => {
        const { ps, after } = params(apply + 1);
        const bo = bodyOpen(after);
        if (!isOp(bo, '{')) return reject('no body');
        const f = fnFrom(ps, { from: bo + 1, to: partner[bo] as number });
        // `new Cls()` / `Cls` both stand for the activation.
        return { v: 'fn', call: (a, k) => (a.length === 0 && k.size === 0 ? f : f.call(a, k)), ...(f.recognise ? { recognise: f.recognise } : {}) } as FnVal;
      };
      names.set(name, v);
      defs.push({ kind: 'module', name, tok: nameTok, uses: [], value: v });
      i = close;
      continue;
    }
  }

  // uses: the same names elsewhere, not as a property
  const byName = new Map<string, CustomDef>();
  const dup = new Set<string>();
  for (const d of defs) {
    if (byName.has(d.name)) dup.add(d.name);
    byName.set(d.name, d);
  }
  const uses = new Map<CustomDef, number[]>();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind !== 'name' || isOp(i - 1, '.') || dup.has(t.text)) continue;
    const d = byName.get(t.text);
    if (!d || d.tok === i) continue;
    const u = uses.get(d) ?? [];
    u.push(i);
    uses.set(d, u);
  }
  return { text, toks, defs: defs.map((d) => ({ ...d, uses: uses.get(d) ?? [] })) };
}
