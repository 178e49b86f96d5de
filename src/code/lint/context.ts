// What the lint rules look at: every call of a document with its callee resolved to a
// qualified path through the file's imports and assignments (`F.softmax` →
// `torch.nn.functional.softmax`, `criterion(...)` → an instance of `torch.nn.CrossEntropyLoss`),
// plus line/indentation helpers. Built once per document on top of the scanner's DocIndex.
import { bindingAt, type DocIndex, type Target } from '../docIndex';
import { parseArgs, parseObject, sourceOf, type Arg } from '../literals';
import { lookupJsPath, lookupPyPath, normalizePyPath } from '../paths';
import type { Token } from '../tokens';

export interface Call {
  /** Qualified, normalized path of the callee (`torch.nn.Linear`), when it resolves. */
  readonly path?: string;
  /** The callee is an instance: a name bound to `X(...)`, or `X(...)(...)`. X's path. */
  readonly instanceOf?: string;
  /** For instances: the `(` of the constructor call (`nn.Softmax(dim=1)`), when known. */
  readonly ctorOpen?: number;
  /** Last name of the callee as written (`softmax`, `criterion`). */
  readonly name: string;
  /** Token index where the callee expression starts (for methods: the receiver's start). */
  readonly start: number;
  /** Token index of the callee's last name (or of `)` for `X(...)(...)`). */
  readonly nameTok: number;
  readonly open: number;
  readonly close: number;
  /** `x.softmax(...)`, `h(x).sigmoid()`: a method on a value, not a module function. */
  readonly method: boolean;
  readonly args: readonly Arg[];
}

export interface LintContext {
  readonly ix: DocIndex;
  readonly calls: readonly Call[];
  /** Call by its `(` token index. */
  readonly byOpen: ReadonlyMap<number, Call>;
  readonly lineStarts: readonly number[];
}

const PY_ROOTS: Readonly<Record<string, string>> = {
  torch: 'torch',
  tf: 'tf',
  tensorflow: 'tf',
  keras: 'keras',
  jax: 'jax',
  jnp: 'jax.numpy',
  np: 'numpy',
  numpy: 'numpy',
  optax: 'optax',
  F: 'torch.nn.functional',
  layers: 'keras.layers',
  init: 'torch.nn.init',
};
// Keras names snippets use without showing the import.
const KERAS_BARE = new Set(['Dense', 'Activation', 'Sequential', 'Model', 'Input', 'InputLayer', 'Dropout', 'BatchNormalization', 'LayerNormalization', 'LeakyReLU', 'ReLU', 'PReLU', 'ELU', 'Softmax', 'Flatten', 'ThresholdedReLU']);
const KERAS_BARE_LOSSES = new Set(['CategoricalCrossentropy', 'SparseCategoricalCrossentropy', 'BinaryCrossentropy', 'BinaryFocalCrossentropy', 'CategoricalFocalCrossentropy']);
const MAX_DEPTH = 4;
const KEYWORDS = new Set(['def', 'class', 'if', 'elif', 'while', 'for', 'return', 'yield', 'and', 'or', 'not', 'in', 'is', 'lambda', 'assert', 'with', 'await', 'function', 'typeof', 'new']);

export function buildContext(ix: DocIndex): LintContext {
  const calls: Call[] = [];
  const byOpen = new Map<number, Call>();
  const toks = ix.toks;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind !== 'op' || t.text !== '(') continue;
    const close = ix.partner[i] as number;
    if (close < i) continue;
    const c = callAt(ix, i, close, byOpen);
    if (c) {
      calls.push(c);
      byOpen.set(i, c);
    }
  }
  const starts = [0];
  for (let k = ix.text.indexOf('\n'); k >= 0; k = ix.text.indexOf('\n', k + 1)) starts.push(k + 1);
  return { ix, calls, byOpen, lineStarts: starts };
}

function argsOf(ix: DocIndex, open: number, close: number): Arg[] {
  const toks = ix.toks;
  if (ix.lang === 'js' && toks[open + 1]?.text === '{' && (ix.partner[open + 1] as number) + 1 === close) {
    return parseObject(ix.text, toks, ix.partner, open + 1, ix.partner[open + 1] as number);
  }
  return parseArgs(ix.text, toks, ix.partner, open, close, ix.lang);
}

/** A call whose arguments are parsed on first use (most calls are never asked). */
class LazyCall implements Call {
  private parsed: readonly Arg[] | undefined;
  readonly path?: string;
  readonly instanceOf?: string;
  readonly ctorOpen?: number;
  readonly name: string;
  readonly start: number;
  readonly nameTok: number;
  readonly open: number;
  readonly close: number;
  readonly method: boolean;
  constructor(
    private readonly ix: DocIndex,
    f: Omit<Call, 'args'>,
  ) {
    this.path = f.path;
    this.instanceOf = f.instanceOf;
    this.ctorOpen = f.ctorOpen;
    this.name = f.name;
    this.start = f.start;
    this.nameTok = f.nameTok;
    this.open = f.open;
    this.close = f.close;
    this.method = f.method;
  }
  get args(): readonly Arg[] {
    this.parsed ??= argsOf(this.ix, this.open, this.close);
    return this.parsed;
  }
}

function callAt(ix: DocIndex, open: number, close: number, byOpen: Map<number, Call>): Call | undefined {
  const c = callShape(ix, open, close, byOpen);
  return c ? new LazyCall(ix, c) : undefined;
}

function callShape(ix: DocIndex, open: number, close: number, byOpen: Map<number, Call>): Omit<Call, 'args'> | undefined {
  const toks = ix.toks;
  const k = open - 1;
  const last = toks[k];
  if (!last) return undefined;
  if (last.text === ')') {
    // `nn.Softmax(dim=1)(x)`: calling the instance the inner call created.
    const innerOpen = ix.partner[k] as number;
    const inner = byOpen.get(innerOpen);
    if (!inner || inner.method || !inner.path) return undefined;
    return { instanceOf: inner.path, ctorOpen: innerOpen, name: inner.name, start: inner.start, nameTok: k, open, close, method: false };
  }
  if (last.kind !== 'name') return undefined;
  if (KEYWORDS.has(last.text) && toks[k - 1]?.text !== '.') return undefined;
  if (toks[k - 1]?.kind === 'name' && (toks[k - 1]?.text === 'def' || toks[k - 1]?.text === 'function' || toks[k - 1]?.text === 'class')) return undefined;
  let s = k;
  while ((toks[s - 1]?.text === '.' || toks[s - 1]?.text === '?.') && toks[s - 2]?.kind === 'name') s -= 2;
  const before = toks[s - 1];
  if (before && (before.text === '.' || before.text === '?.')) {
    // Receiver is an expression (`h(x).softmax(1)`, `y[0].clamp(min=0)`, `self.fc(x).clamp(min=0)`).
    return { name: last.text, start: exprStart(ix, s - 2), nameTok: k, open, close, method: true };
  }
  const q = qualify(ix, s, k, 0);
  if (q?.path) return { path: q.path, name: last.text, start: s, nameTok: k, open, close, method: false };
  if (q?.instanceOf) return { instanceOf: q.instanceOf, ctorOpen: q.ctorOpen, name: last.text, start: s, nameTok: k, open, close, method: false };
  // A method on a local value (`x.clamp(min=0)`, `model.add(...)`): keep the receiver.
  return { name: last.text, start: s, nameTok: k, open, close, method: k > s };
}

/** First token of the postfix expression ending at token j (`self.fc(x)[0]` → `self`). */
function exprStart(ix: DocIndex, j: number): number {
  const toks = ix.toks;
  for (let guard = 0; guard < 10_000 && j > 0; guard++) {
    const t = toks[j] as Token;
    if (t.text === ')' || t.text === ']') {
      const p = ix.partner[j] as number;
      if (p < 0 || p >= j) return j;
      j = p;
      const before = toks[j - 1];
      if (before?.kind === 'name' && !KEYWORDS.has(before.text)) j--;
      else if (before?.text === ')' || before?.text === ']') j--;
      else return j;
      continue;
    }
    if ((toks[j - 1]?.text === '.' || toks[j - 1]?.text === '?.') && toks[j - 2] && (toks[j - 2]?.kind === 'name' || toks[j - 2]?.text === ')' || toks[j - 2]?.text === ']')) {
      j -= 2;
      continue;
    }
    return j;
  }
  return Math.max(0, j);
}

export interface Qualified {
  readonly path?: string;
  readonly instanceOf?: string;
  readonly ctorOpen?: number;
}

/** Resolves the dotted chain toks[s..k] (names at even offsets). */
export function qualify(ix: DocIndex, s: number, k: number, depth: number): Qualified | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const toks = ix.toks;
  const names: string[] = [];
  for (let m = s; m <= k; m += 2) names.push((toks[m] as Token).text);
  const at = (toks[s] as Token).start;
  let target: Target | undefined;
  let rest = names.slice(1);
  if (names.length >= 2) {
    const attr = bindingAt(ix, `${names[0]}.${names[1]}`, at);
    if (attr) {
      target = attr;
      rest = names.slice(2);
    }
  }
  if (!target) target = bindingAt(ix, names[0] as string, at);
  let base: string | undefined;
  if (!target) {
    const head = names[0] as string;
    if (ix.lang === 'python') {
      for (const st of ix.stars) if (st.offset <= at && names.length === 1) return { path: normalizePyPath(`${st.module}.${head}`) };
      base = head === 'nn' ? (ix.frameworks.has('jax') && !ix.frameworks.has('torch') ? 'flax.linen' : 'torch.nn') : PY_ROOTS[head];
      if (!base && names.length === 1 && KERAS_BARE.has(head)) base = head === 'Sequential' || head === 'Model' ? `keras.${head}` : `keras.layers.${head}`;
      if (!base && names.length === 1 && KERAS_BARE_LOSSES.has(head)) base = `keras.losses.${head}`;
      if (base && names.length === 1 && (KERAS_BARE.has(head) || KERAS_BARE_LOSSES.has(head))) return { path: base };
    } else if (head === 'tf') base = 'tf';
    if (!base) return undefined;
  } else if (target.kind === 'local') return undefined;
  else if (target.kind === 'path') base = target.path;
  else {
    const r = resolveExpr(ix, target.tok, depth + 1);
    if (!r) return undefined;
    if (r.instanceOf) return rest.length === 0 ? r : undefined;
    base = r.path;
  }
  if (base === undefined) return undefined;
  const path = rest.length ? `${base}.${rest.join('.')}` : base;
  return { path: ix.lang === 'python' ? normalizePyPath(path) : path };
}

/** `name = chain` (an alias) or `name = chain(...)` (an instance), ending the statement. */
function resolveExpr(ix: DocIndex, tok: number, depth: number): Qualified | undefined {
  const toks = ix.toks;
  const t = toks[tok];
  if (!t || t.kind !== 'name') return undefined;
  let k = tok;
  while (toks[k + 1]?.text === '.' && toks[k + 2]?.kind === 'name') k += 2;
  const r = qualify(ix, tok, k, depth);
  if (!r?.path) return undefined;
  const ends = (j: number): boolean => {
    const u = toks[j];
    return !u || u.kind === 'nl' || u.text === ';' || (ix.lang === 'js' && (u.kind === 'name' || u.text === '}'));
  };
  if (toks[k + 1]?.text === '(') {
    const close = ix.partner[k + 1] as number;
    if (close < 0 || !ends(close + 1)) return undefined;
    return { instanceOf: r.path, ctorOpen: k + 1 };
  }
  return ends(k + 1) ? r : undefined;
}

// ---------------------------------------------------------------------------------------
// helpers shared by the rules

/** Keras paths with `tf.keras.` folded onto `keras.` and `keras.models.` onto `keras.`. */
export function kerasKey(path: string | undefined): string | undefined {
  if (!path) return undefined;
  let p = path.replace(/^tf\.keras\./, 'keras.').replace(/^keras\.models\./, 'keras.').replace(/^keras\.engine\.\w+\./, 'keras.');
  p = p.replace(/^keras\.layers\.(?:core|activation|normalization|regularization|reshaping)\./, 'keras.layers.');
  return p.startsWith('keras.') ? p : undefined;
}

/** The canonical activation id a callee path names (`torch.nn.ReLU` → `relu`). */
const ID_CACHE = new Map<string, string | null>();

export function activationIdOf(ix: DocIndex, path: string | undefined): string | undefined {
  if (!path) return undefined;
  // The catalog is static: a path always names the same activation (lookups are costly).
  const key = `${ix.lang}:${path}`;
  let id = ID_CACHE.get(key);
  if (id === undefined) {
    const hit = ix.lang === 'python' ? lookupPyPath(path) : lookupJsPath(path);
    id = hit?.binding.id ?? null;
    if (ID_CACHE.size > 5000) ID_CACHE.clear();
    ID_CACHE.set(key, id);
  }
  return id ?? undefined;
}

export function argNamed(args: readonly Arg[], names: readonly string[], pos?: number): Arg | undefined {
  const kw = args.find((a) => a.name !== undefined && names.includes(a.name));
  if (kw) return kw;
  if (pos === undefined) return undefined;
  if (args.slice(0, pos + 1).some((a) => a.spread)) return undefined;
  return args.filter((a) => a.name === undefined && !a.spread)[pos];
}

/** A literal string argument's value. */
export function strValue(a: Arg | undefined): string | undefined {
  return a && a.value.kind === 'value' && typeof a.value.value === 'string' ? a.value.value : undefined;
}

export function numValue(a: Arg | undefined): number | undefined {
  return a && a.value.kind === 'value' && typeof a.value.value === 'number' ? a.value.value : undefined;
}

/** Source text of an argument's value. */
export function argText(ctx: LintContext, a: Arg): string {
  return sourceOf(ctx.ix.text, ctx.ix.toks, a.first, a.last + 1);
}

/**
 * Source of an argument's value, following a variable to its assignment
 * (`init = GlorotUniform()` … `kernel_initializer=init` → `GlorotUniform()`).
 */
export function argResolvedText(ctx: LintContext, a: Arg): string {
  const toks = ctx.ix.toks;
  const t = toks[a.first] as Token;
  if (a.first === a.last && t.kind === 'name') {
    const b = bindingAt(ctx.ix, t.text, t.start);
    if (b?.kind === 'expr') {
      let j = b.tok;
      while (j < toks.length && toks[j]?.kind !== 'nl') j++;
      return sourceOf(ctx.ix.text, toks, b.tok, j);
    }
  }
  return argText(ctx, a);
}

/** Offsets of a whole argument including its `name=` (for removal). */
export function argSpan(ctx: LintContext, a: Arg): { start: number; end: number } {
  const toks = ctx.ix.toks;
  const first = a.name !== undefined && toks[a.first - 1]?.text === '=' || (a.name !== undefined && toks[a.first - 1]?.text === ':') ? a.first - 2 : a.first;
  return { start: (toks[first] as Token).start, end: (toks[a.last] as Token).end };
}

/** Edit that deletes an argument and the comma that separates it from its neighbour. */
export function removeArgEdit(ctx: LintContext, call: { open: number; close: number; args: readonly Arg[] }, a: Arg): { start: number; end: number; newText: string } {
  const toks = ctx.ix.toks;
  const text = ctx.ix.text;
  const span = argSpan(ctx, a);
  // An element alone on its line (`    nn.Softmax(dim=1),`): delete the whole line.
  const ls = text.lastIndexOf('\n', span.start - 1) + 1;
  let le = span.end;
  if (text[le] === ',') le++;
  while (text[le] === ' ' || text[le] === '\t') le++;
  if (/^[ \t]*$/.test(text.slice(ls, span.start)) && (text[le] === '\n' || text.startsWith('\r\n', le)) && call.args.length > 1) {
    return { start: ls, end: le + (text[le] === '\r' ? 2 : 1), newText: '' };
  }
  const idx = call.args.indexOf(a);
  if (idx > 0) {
    // delete from the end of the previous argument through this one
    const prev = call.args[idx - 1] as Arg;
    return { start: (toks[prev.last] as Token).end, end: span.end, newText: '' };
  }
  const next = call.args[idx + 1];
  if (next) {
    const nspan = argSpan(ctx, next);
    return { start: span.start, end: nspan.start, newText: '' };
  }
  // the only argument: also drop a trailing comma
  let end = span.end;
  const after = toks[a.last + 1];
  if (after?.text === ',') end = after.end;
  return { start: span.start, end, newText: '' };
}

/** Start/end offsets of tokens [a, z]. */
export function tokSpan(ctx: LintContext, a: number, z: number): { start: number; end: number } {
  return { start: (ctx.ix.toks[a] as Token).start, end: (ctx.ix.toks[z] as Token).end };
}

/** 0-based line of an offset. */
export function lineOf(ctx: LintContext, offset: number): number {
  const s = ctx.lineStarts;
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((s[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Indentation (columns of leading whitespace) of a line. */
export function indentOf(ctx: LintContext, line: number): number {
  const s = ctx.lineStarts[line] ?? 0;
  let i = s;
  while (ctx.ix.text[i] === ' ' || ctx.ix.text[i] === '\t') i++;
  return i - s;
}

/** The text of a line without its newline. */
export function lineText(ctx: LintContext, line: number): string {
  const s = ctx.lineStarts[line] ?? 0;
  const e = ctx.lineStarts[line + 1];
  return ctx.ix.text.slice(s, e === undefined ? undefined : e - 1);
}
