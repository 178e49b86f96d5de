// Entry point of custom-activation recognition: which user-defined elementwise activation,
// if any, is at an offset of a Python or JS/TS file — on its definition or on a use in the
// same file (`act = swish`, `QuickGELU()`, `ACT2FN["quick_gelu"]`). Pure; the hover and
// `explain` call `customAt`.
import { tokenAt, type Token } from '../tokens';
import { knownFunctions } from '../../engine/symbolic';
import { type CE, dependsOnX, evaluate, print, substitute, X } from './cexpr';
import type { FnVal, Recognition } from './interp';
import { notAnActivation } from './intent';
import { indexJsDefs } from './jsDefs';
import { indexPythonDefs, type CustomDef, type CustomKind, type PyFile } from './pyDefs';
import { Reject, trace } from './values';

export interface CustomMatch {
  /** The name as the code spells it (`swish`, `QuickGELU`, `self.act`, `ACT2FN["gelu_new"]`). */
  readonly name: string;
  readonly kind: CustomKind | 'entry';
  /** Whether the offset is on the definition itself or on a use of it. */
  readonly at: 'definition' | 'use';
  /** The function in the --expr syntax. */
  readonly expression: string;
  readonly expr: CE;
  /** Parameters (numeric defaults), by name. */
  readonly params: Readonly<Record<string, number>>;
  /** Offsets of the hovered token (end exclusive). */
  readonly start: number;
  readonly end: number;
  /** Offset of the definition's name token, and its 1-based line. */
  readonly defStart: number;
  readonly defLine: number;
  /** In a notebook: the definition's cell (1-based, all cells counted); defLine is then in that cell. */
  readonly defCell?: number;
}

interface FileIndex {
  readonly toks: readonly Token[];
  readonly defs: readonly CustomDef[];
  readonly py?: PyFile;
  readonly memo: Map<CustomDef, Recognition | { why: string }>;
}

const files = new Map<string, FileIndex>();
const FILES_MAX = 8;

let last: { text: string; lang: 'python' | 'js'; ix: FileIndex } | undefined;

function indexOf(text: string, lang: 'python' | 'js'): FileIndex {
  // The same document hovered again: identity check, no hashing of the whole text.
  if (last && last.text === text && last.lang === lang) return last.ix;
  const ix = lookup(text, lang);
  last = { text, lang, ix };
  return ix;
}

function lookup(text: string, lang: 'python' | 'js'): FileIndex {
  const key = `${lang}\u0000${text}`;
  const hit = files.get(key);
  if (hit) {
    files.delete(key);
    files.set(key, hit);
    return hit;
  }
  let ix: FileIndex;
  if (lang === 'python') {
    const py = indexPythonDefs(text);
    ix = { toks: py.toks, defs: py.defs, py, memo: new Map() };
  } else {
    const js = indexJsDefs(text);
    ix = { toks: js.toks, defs: js.defs, memo: new Map() };
  }
  files.set(key, ix);
  while (files.size > FILES_MAX) files.delete(files.keys().next().value as string);
  return ix;
}

/** Recognition of one definition, or why it is not an elementwise activation. */
function recogniseDef(ix: FileIndex, d: CustomDef): Recognition | { why: string } {
  const hit = ix.memo.get(d);
  if (hit) return hit;
  const r = recognise(d);
  let checked = 'why' in r && r.why !== undefined ? r : checkActivation(r as Recognition);
  if (!('why' in checked)) {
    const why = notAnActivation(d, ix.toks);
    if (why !== undefined) checked = { why };
  }
  ix.memo.set(d, checked);
  return checked;
}

let reserved: Set<string> | undefined;

/**
 * Parameter names the --expr syntax reserves (Keras's `threshold` is also a function
 * there; `x`, `pi`, `e`) get a trailing underscore.
 */
function renameReserved(r: Recognition): Recognition {
  reserved ??= new Set([...knownFunctions(), 'x', 'pi', 'e', 'inf', 'nan']);
  const clash = Object.keys(r.params).filter((p) => reserved?.has(p));
  if (!clash.length) return r;
  const map: Record<string, CE> = {};
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.params)) {
    let n = k;
    if (clash.includes(k)) {
      n = `${k}_`;
      while (Object.prototype.hasOwnProperty.call(r.params, n)) n += '_';
      map[k] = { k: 'param', name: n };
    }
    params[n] = v;
  }
  return { expr: substitute(r.expr, X, map), params };
}

/**
 * An activation depends on x and is not affine in it (a learned scale `x * self.gain`,
 * an identity, is no activation of its own).
 */
export function checkActivation(r: Recognition): Recognition | { why: string } {
  if (!dependsOnX(r.expr)) return { why: 'does not depend on its input' };
  const xs = [-3.7, -1.3, -0.2, 0.45, 1.9, 4.1];
  const ys = xs.map((x) => evaluate(r.expr, x, r.params));
  const [x0, x1] = [xs[0] as number, xs[5] as number];
  const [y0, y1] = [ys[0] as number, ys[5] as number];
  if ([y0, y1].every(Number.isFinite)) {
    const slope = (y1 - y0) / (x1 - x0);
    const scale = Math.max(1, ...ys.filter(Number.isFinite).map(Math.abs));
    const affine = xs.every((x, i) => {
      const y = ys[i] as number;
      return Number.isFinite(y) && Math.abs(y - (y0 + slope * (x - x0))) <= 1e-9 * scale;
    });
    if (affine) return { why: 'affine in its input (no nonlinearity)' };
  }
  return renameReserved(r);
}

/** Every definition in the file that is an elementwise activation, with its formula. */
export function customDefinitions(text: string, lang: 'python' | 'js'): { def: CustomDef; recognition: Recognition }[] {
  const ix = indexOf(text, lang);
  const out: { def: CustomDef; recognition: Recognition }[] = [];
  for (const d of ix.defs) {
    const r = recogniseDef(ix, d);
    if (!('why' in r)) out.push({ def: d, recognition: r });
  }
  return out;
}

/** Why the definition whose name token starts at `offset` is not recognised (tests, diagnostics). */
export function rejectionAt(text: string, lang: 'python' | 'js', offset: number): string | undefined {
  const ix = indexOf(text, lang);
  const i = tokenAt(ix.toks, offset);
  const d = ix.defs.find((x) => x.tok === i);
  if (!d) return 'no definition here';
  const r = recogniseDef(ix, d);
  return 'why' in r ? r.why : undefined;
}

/** The custom activation at `offset` (its definition or a use), or null. Never throws on any text. */
export function customAt(text: string, lang: 'python' | 'js', offset: number): CustomMatch | null {
  try {
    return find(text, lang, offset);
  } catch (e) {
    if (e instanceof Reject || e instanceof RangeError) return null;
    throw e;
  }
}

function find(text: string, lang: 'python' | 'js', offset: number): CustomMatch | null {
  const ix = indexOf(text, lang);
  const i = tokenAt(ix.toks, offset);
  if (i < 0) return null;
  const t = ix.toks[i] as Token;
  const make = (d: CustomDef, at: 'definition' | 'use', tok: Token): CustomMatch | null => {
    const r = recogniseDef(ix, d);
    if ('why' in r) return null;
    const dt = ix.toks[d.tok] as Token;
    return { name: d.name, kind: d.kind, at, expression: print(r.expr), expr: r.expr, params: r.params, start: tok.start, end: tok.end, defStart: dt.start, defLine: lineOf(text, dt.start) };
  };
  for (const d of ix.defs) {
    if (d.tok === i) return make(d, 'definition', t);
  }
  for (const d of ix.defs) {
    if (d.uses.includes(i)) return make(d, 'use', t);
  }
  // A constant-key lookup in a module-level dict: D["key"] (on D or on the key).
  if (ix.py) {
    const py = ix.py;
    const isOp = (k: number, s: string): boolean => ix.toks[k]?.kind === 'op' && ix.toks[k]?.text === s;
    let dTok = -1;
    if (t.kind === 'name' && isOp(i + 1, '[') && ix.toks[i + 2]?.kind === 'str' && isOp(i + 3, ']')) dTok = i;
    else if (t.kind === 'str' && isOp(i - 1, '[') && isOp(i + 1, ']') && ix.toks[i - 2]?.kind === 'name') dTok = i - 2;
    if (dTok >= 0 && !isOp(dTok - 1, '.')) {
      const dName = (ix.toks[dTok] as Token).text;
      const key = ix.toks[dTok + 2]?.value;
      if (py.dicts.has(dName) && key !== undefined) {
        const dict = py.scope.lookup(dName);
        if (dict.v !== 'dict') return null;
        const entry = dict.entries.get(key);
        if (!entry) return null;
        const v = entry() as FnVal;
        if (v.v !== 'fn' || !v.recognise) return null;
        const r = checkActivation(v.recognise());
        if ('why' in r) return null;
        return {
          name: `${dName}["${key}"]`,
          kind: 'entry',
          at: 'use',
          expression: print(r.expr),
          expr: r.expr,
          params: r.params,
          start: t.start,
          end: t.end,
          defStart: (ix.toks[dTok] as Token).start,
          defLine: lineOf(text, (ix.toks[dTok] as Token).start),
        };
      }
    }
  }
  return null;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Recognises one definition; null when it is not an elementwise activation. */
function recognise(d: CustomDef): (Recognition & { readonly why?: undefined }) | { readonly why: string } {
  try {
    trace.branchOnX = false;
    trace.tensorOp = false;
    const v = d.value();
    if (v.v !== 'fn') return { why: 'not a function' };
    const r = (v as FnVal).recognise;
    if (!r) return { why: 'not recognisable' };
    const out = r();
    // `a if x > 0 else b` is per element only on a Python/JS number, not on a tensor
    if (trace.branchOnX && (trace.tensorOp || d.kind === 'module')) return { why: 'a conditional on a tensor comparison is not elementwise' };
    return out;
  } catch (e) {
    if (e instanceof Reject) return { why: e.message };
    if (e instanceof RangeError) return { why: 'too deep' };
    throw e;
  }
}
