// The one name resolver of the code front end: a dotted chain of names (`F.softmax`,
// `self.act`, `criterion`) → the qualified path it refers to, through the file's imports,
// assignments, star imports and — for names used without an import, as snippets and
// notebooks do — one table of framework roots. Hovers, CodeLens and lint all resolve
// through here, so a name means the same thing to each of them.
import { bindingAt, type DocIndex, type Target } from './docIndex';
import { lookupJsPath, lookupPyPath, normalizePyPath, type PathHit } from './paths';
import { own, type Token } from './tokens';

/**
 * Python names usable without an import, and the module each stands for. `guess` marks the
 * short aliases that only convention ties to a framework (`nn`, `F`, `layers`, `init`, and
 * Keras's bare layer names): lint rules accept them, because a rule fires only on a whole
 * pattern (a softmax *and* a logits loss); a hover does not, because it must not name the
 * wrong function for a user's own `nn`.
 */
export const FRAMEWORK_ROOTS: Readonly<Record<string, { readonly module: string; readonly guess: boolean }>> = {
  torch: { module: 'torch', guess: false },
  tf: { module: 'tf', guess: false },
  tensorflow: { module: 'tf', guess: false },
  keras: { module: 'keras', guess: false },
  jax: { module: 'jax', guess: false },
  jnp: { module: 'jax.numpy', guess: false },
  flax: { module: 'flax', guess: false },
  np: { module: 'numpy', guess: false },
  numpy: { module: 'numpy', guess: false },
  optax: { module: 'optax', guess: false },
  // `nn` is torch.nn, or flax.linen in a file that imports JAX and not torch.
  nn: { module: 'torch.nn', guess: true },
  F: { module: 'torch.nn.functional', guess: true },
  layers: { module: 'keras.layers', guess: true },
  init: { module: 'torch.nn.init', guess: true },
};
// Keras names snippets use without showing the import (guesses, as above).
const KERAS_BARE = new Set(['Dense', 'Activation', 'Sequential', 'Model', 'Input', 'InputLayer', 'Dropout', 'BatchNormalization', 'LayerNormalization', 'LeakyReLU', 'ReLU', 'PReLU', 'ELU', 'Softmax', 'Flatten', 'ThresholdedReLU']);
const KERAS_BARE_LOSSES = new Set(['CategoricalCrossentropy', 'SparseCategoricalCrossentropy', 'BinaryCrossentropy', 'BinaryFocalCrossentropy', 'CategoricalFocalCrossentropy']);

export interface ResolveOptions {
  /** Accept the conventional aliases (`guess` roots and Keras's bare names); lint does. */
  readonly guess?: boolean;
}
const MAX_DEPTH = 4;

export interface Qualified {
  /** Qualified, normalized path (`torch.nn.functional.softmax`, `keras.layers`). */
  readonly path?: string;
  /** The chain names an instance: a name bound to `X(...)`. X's path. */
  readonly instanceOf?: string;
  /** For instances: the `(` of the constructor call, when known. */
  readonly ctorOpen?: number;
}

/** What an unbound head name stands for (`nn` → torch.nn, or flax.linen in a JAX-only file). */
export function frameworkRoot(ix: DocIndex, head: string, opts: ResolveOptions = {}): string | undefined {
  if (ix.lang !== 'python') return head === 'tf' && ix.tfjsGlobal ? 'tf' : undefined;
  const root = own(FRAMEWORK_ROOTS, head);
  if (!root || (root.guess && !opts.guess)) return undefined;
  if (head === 'nn' && ix.frameworks.has('jax') && !ix.frameworks.has('torch')) return 'flax.linen';
  return root.module;
}

/** The catalog entry a qualified path names, in the document's language. */
export function lookupPath(ix: DocIndex, path: string): PathHit | undefined {
  return ix.lang === 'python' ? lookupPyPath(path) : lookupJsPath(path);
}

/**
 * `self.act` with a class-level `act = nn.ReLU()` (or Flax's `act: Callable = nn.relu`):
 * an indented assignment of that name.
 */
function classAttribute(ix: DocIndex, name: string, at: number): Target | undefined {
  // The class body's binding (invisible inside the methods themselves), else the name's.
  const list = ix.names.get(name) ?? [];
  const inClass = list.filter((b) => b.scope?.kind === 'class' && b.scope.start <= at && at < b.scope.end);
  const t = (inClass.filter((b) => b.offset <= at).pop() ?? inClass[0])?.target ?? bindingAt(ix, name, at) ?? list[0]?.target;
  if (t?.kind !== 'expr') return undefined;
  const first = ix.toks[t.tok];
  if (!first) return undefined;
  const lineStart = ix.text.lastIndexOf('\n', first.start) + 1;
  return /^[ \t]+/.test(ix.text.slice(lineStart, first.start)) ? t : undefined;
}

/** Resolves the dotted chain toks[s..k] (names at even offsets). */
export function resolveNames(ix: DocIndex, s: number, k: number, opts: ResolveOptions = {}, depth = 0): Qualified | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const toks = ix.toks;
  const names: string[] = [];
  for (let m = s; m <= k; m += 2) names.push((toks[m] as Token).text);
  const at = (toks[s] as Token).start;
  let target: Target | undefined;
  let rest = names.slice(1);
  if (names.length >= 2) {
    // Attribute assignments: `self.act = nn.GELU()` then `self.act(x)`.
    const attr = bindingAt(ix, `${names[0]}.${names[1]}`, at) ?? (names[0] === 'self' ? classAttribute(ix, names[1] as string, at) : undefined);
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
      const stars = ix.stars.filter((st) => st.offset <= at);
      for (const st of stars) {
        const p = normalizePyPath(`${st.module}.${names.join('.')}`);
        if (lookupPyPath(p)) return { path: p };
      }
      if (names.length === 1 && stars[0]) return { path: normalizePyPath(`${stars[0].module}.${head}`) };
      if (names.length === 1 && opts.guess && KERAS_BARE.has(head)) return { path: head === 'Sequential' || head === 'Model' ? `keras.${head}` : `keras.layers.${head}` };
      if (names.length === 1 && opts.guess && KERAS_BARE_LOSSES.has(head)) return { path: `keras.losses.${head}` };
    }
    base = frameworkRoot(ix, head, opts);
    if (!base) return undefined;
  } else if (target.kind === 'local') return undefined;
  else if (target.kind === 'path') base = target.path;
  else {
    const r = resolveAssigned(ix, target.tok, opts, depth + 1);
    if (!r) return undefined;
    if (r.instanceOf) return rest.length === 0 ? r : undefined;
    base = r.path;
  }
  if (base === undefined) return undefined;
  const path = rest.length ? `${base}.${rest.join('.')}` : base;
  return { path: ix.lang === 'python' ? normalizePyPath(path) : path };
}

/** The right-hand side at `tok`: `chain` (an alias) or `chain(...)` (an instance), ending the statement. */
function resolveAssigned(ix: DocIndex, tok: number, opts: ResolveOptions, depth: number): Qualified | undefined {
  const toks = ix.toks;
  const t = toks[tok];
  if (!t || t.kind !== 'name') return undefined;
  let k = tok;
  while (toks[k + 1]?.text === '.' && toks[k + 2]?.kind === 'name') k += 2;
  // `act = ACTS["relu"]` with a module-level `ACTS = {"relu": F.relu, …}`: the entry.
  if (ix.lang === 'python' && k === tok && toks[k + 1]?.text === '[' && toks[k + 2]?.kind === 'str' && toks[k + 3]?.text === ']') {
    const u = toks[k + 4];
    if (u && u.kind !== 'nl' && u.text !== ';') return undefined;
    const v = dictEntry(ix, tok);
    return v < 0 ? undefined : resolveAssigned(ix, v, opts, depth + 1);
  }
  const r = resolveNames(ix, tok, k, opts, depth);
  if (!r) return undefined;
  const ends = (j: number): boolean => {
    const u = toks[j];
    return !u || u.kind === 'nl' || u.text === ';' || u.text === ',' || (u.text === '}' && (ix.lang === 'js' || inDict(ix, j))) || (ix.lang === 'js' && u.kind === 'name');
  };
  if (toks[k + 1]?.text === '(') {
    const close = ix.partner[k + 1] as number;
    // Calling an instance (`self.act(h)`) gives a tensor, not a module.
    if (close < 0 || !ends(close + 1) || !r.path) return undefined;
    return { instanceOf: r.path, ctorOpen: k + 1 };
  }
  return ends(k + 1) ? r : undefined;
}

/** Whether toks[j] closes a dict literal that is a module-level assignment's whole value. */
function inDict(ix: DocIndex, j: number): boolean {
  const open = ix.partner[j] as number;
  if (open < 0 || ix.toks[open]?.text !== '{') return false;
  const eq = ix.toks[open - 1];
  return eq?.text === '=';
}

/**
 * For toks[tok] = `ACTS` in `ACTS["key"]`: the first token of the entry's value when `ACTS`
 * is bound at module level to a dict literal with that constant key; −1 otherwise.
 */
export function dictEntry(ix: DocIndex, tok: number): number {
  const toks = ix.toks;
  const holder = toks[tok] as Token;
  const key = toks[tok + 2];
  if (key?.kind !== 'str' || key.value === undefined) return -1;
  const target = bindingAt(ix, holder.text, holder.start);
  const made = ix.names.get(holder.text)?.find((b) => b.target === target);
  if (target?.kind !== 'expr' || !made || made.scope) return -1;
  const open = target.tok;
  const close = ix.partner[open] as number;
  if (toks[open]?.text !== '{' || close < open) return -1;
  const after = toks[close + 1];
  if (after && after.kind !== 'nl') return -1;
  let found = -1;
  for (let k = open + 1; k < close; k++) {
    const u = toks[k] as Token;
    if (u.kind === 'op' && (u.text === '(' || u.text === '[' || u.text === '{')) {
      k = Math.max(k, ix.partner[k] as number);
      continue;
    }
    if (u.kind === 'str' && u.value === key.value && toks[k + 1]?.text === ':' && (toks[k - 1]?.text === '{' || toks[k - 1]?.text === ',')) found = k + 2;
  }
  return found < close ? found : -1;
}
