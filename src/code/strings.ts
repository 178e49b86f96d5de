// Strings that name activations: `Dense(64, activation="relu")`, `layers.Activation("swish")`,
// `keras.activations.get("hard_sigmoid")`, `Dense(10, "softmax")`, and in TF.js
// `tf.layers.dense({units: 8, activation: "relu"})`. The framework comes from the callee's
// import, else from the file's imports, else from the `defaultFramework` setting.
import type { Framework } from '../engine/activations/types';
import { callArgs, resolveChain } from './chains';
import { bindingAt, type DocIndex } from './docIndex';
import { frameworkOfPyPath, lookupString, type PathHit } from './paths';
import { findBinding } from '../engine/activations/registry';
import type { CodeMatch, ScanOptions } from './match';
import { own, type Token } from './tokens';

// Keyword/config names whose string value is an activation identifier.
export const ACTIVATION_KEYS = new Set(['activation', 'recurrent_activation', 'recurrentActivation']);

/** Where the string at i sits: directly in a call's arguments or in an object literal. */
export function enclosingOpen(ix: DocIndex, i: number): number {
  const toks = ix.toks;
  for (let k = i - 1, steps = 0; k >= 0 && steps < 4000; k--, steps++) {
    const t = toks[k] as Token;
    if (t.kind === 'nl') return -1;
    if (t.kind !== 'op') continue;
    if (t.text === ')' || t.text === ']' || t.text === '}') {
      const p = ix.partner[k] as number;
      if (p < 0) return -1;
      k = p;
      continue;
    }
    if (t.text === '(' || t.text === '[' || t.text === '{' || t.text === '${') return k;
  }
  return -1;
}

/** The callee chain ending just before toks[open] = '(' → resolved framework/path. */
export function calleeOf(ix: DocIndex, open: number): { name: string; fw?: Framework; hit?: PathHit; unresolved: boolean } | null {
  const toks = ix.toks;
  const k = open - 1;
  const last = toks[k];
  if (!last || last.kind !== 'name') return null;
  let s = k;
  while (toks[s - 1]?.text === '.' && toks[s - 2]?.kind === 'name') s -= 2;
  if (toks[s - 1]?.text === '.') return { name: last.text, unresolved: false }; // method on a value
  const head = bindingAt(ix, (toks[s] as Token).text, (toks[s] as Token).start);
  if (head?.kind === 'local') return { name: last.text, unresolved: false };
  const r = resolveChain(ix, s, k);
  if (r?.hit) return { name: last.text, fw: r.hit.framework, hit: r.hit, unresolved: false };
  if (r?.path) {
    const fw = ix.lang === 'js' ? (r.path.startsWith('tf.') ? 'tfjs' : undefined) : frameworkOfPyPath(r.path);
    return { name: last.text, fw, unresolved: false };
  }
  return { name: last.text, unresolved: !head };
}

export function stringAt(ix: DocIndex, i: number, opts: ScanOptions): CodeMatch | null {
  const t = ix.toks[i] as Token;
  if (t.value === undefined) return null;
  return slotMatch(ix, i, t.value, opts);
}

/**
 * `Dense(64, activation=ACT)` with `ACT = "gelu"` earlier (a constant of the file): the
 * name in the slot stands for its string.
 */
export function namedStringAt(ix: DocIndex, i: number, opts: ScanOptions): CodeMatch | null {
  const toks = ix.toks;
  const t = toks[i] as Token;
  const target = bindingAt(ix, t.text, t.start);
  if (target?.kind !== 'expr') return null;
  const v = toks[target.tok];
  const after = toks[target.tok + 1];
  if (v?.kind !== 'str' || v.value === undefined || !(after === undefined || after.kind === 'nl' || after.text === ';')) return null;
  return slotMatch(ix, i, v.value, opts);
}

/** The activation a string names when the token at i sits in an activation slot. */
function slotMatch(ix: DocIndex, i: number, value: string, opts: ScanOptions): CodeMatch | null {
  const toks = ix.toks;
  const t = toks[i] as Token;
  if (ix.lang === 'python' && toks[i + 1]?.text === ']' && toks[i - 1]?.text === '[' && t.kind === 'str') return hfActivationAt(ix, i);
  // A branch of a conditional expression (`Activation("hard_swish" if c else "relu")`):
  // the whole expression sits in the slot.
  const [lo, hi] = ix.lang === 'python' ? conditionalAround(ix, i) : [i - 1, i + 1];
  const prev = toks[lo];
  const next = toks[hi];
  if (!prev || !next || !(next.text === ',' || next.text === ')' || next.text === '}')) return null;
  const open = enclosingOpen(ix, i);
  if (open < 0) return null;
  let callOpen = -1;
  let keyed = false;
  let positional = -1;
  if (ix.lang === 'python') {
    if (prev.text === '=' && toks[lo - 1]?.kind === 'name' && ACTIVATION_KEYS.has((toks[lo - 1] as Token).text) && (toks[lo - 2]?.text === '(' || toks[lo - 2]?.text === ',')) keyed = true;
    else if (prev.text === '(' || prev.text === ',') positional = countPositional(ix, open, lo + 1);
    if ((toks[open] as Token).text !== '(') return null;
    callOpen = open;
  } else {
    const keyTok = toks[i - 2];
    if (prev.text === ':' && keyTok && ACTIVATION_KEYS.has(keyTok.kind === 'str' ? (keyTok.value ?? '') : keyTok.text) && (toks[i - 3]?.text === '{' || toks[i - 3]?.text === ',')) keyed = true;
    if (!keyed) return null;
    if ((toks[open] as Token).text !== '{' || toks[open - 1]?.text !== '(') return null;
    callOpen = open - 1;
  }
  const callee = calleeOf(ix, callOpen);
  if (!callee) return null;
  if (ix.lang === 'python' && (callee.name === 'get_activation' || callee.name === 'get_tf_activation') && positional === 0) {
    const fnTok = toks[callOpen - 1] as Token;
    const target = bindingAt(ix, fnTok.text, fnTok.start);
    const hf = target?.kind === 'path' ? hfTable(target.path) : undefined;
    return hf && t.kind === 'str' ? hfMatch(t, hf.fw, hf.table) : null;
  }
  if (!keyed) {
    // `Activation("swish")`, `activations.get("x")`, `Dense(64, "relu")`.
    const slot = callee.name === 'Activation' || callee.name === 'get' || callee.name === 'deserialize' ? 0 : callee.name === 'Dense' ? 1 : -1;
    if (slot < 0 || positional !== slot) return null;
    if ((callee.name === 'get' || callee.name === 'deserialize') && !(callee.hit || callee.fw)) return null;
  }
  let fw: Framework | undefined = callee.fw;
  if (!fw) {
    if (!callee.unresolved) return null;
    if (ix.lang === 'js') fw = ix.frameworks.has('tfjs') || ix.tfjsGlobal ? 'tfjs' : undefined;
    else fw = ix.frameworks.has('keras') ? 'keras' : ix.frameworks.has('tf') ? 'tf' : ix.frameworks.size === 0 ? (opts.defaultFramework ?? 'keras') : undefined;
  }
  if (!fw) return null;
  const b = lookupString(fw, value);
  if (!b) return null;
  return { framework: fw, fn: value, binding: b, path: `"${value}"`, kind: 'string', given: {}, ignored: [], start: t.start, end: t.end };
}

// Hugging Face transformers names activations by string: `ACT2FN["gelu_new"]`,
// `get_activation("gelu")` (PyTorch, `transformers.activations`), Flax's `ACT2FN`
// (`transformers.modeling_flax_utils`) and TF's (`transformers.activations_tf`,
// `get_tf_activation`). What each name computes there, as a catalog function and the
// arguments it amounts to: HF's "gelu" is the exact GELU; "gelu_new", "gelu_pytorch_tanh"
// and "gelu_fast" the tanh approximation; "quick_gelu" (x·σ(1.702x)) has no catalog entry,
// so no hover. "linear" is the identity.
type HfName = { readonly name: string; readonly given?: Readonly<Record<string, string | boolean>> };
const HF_TORCH: Readonly<Record<string, HfName>> = {
  gelu: { name: 'gelu' },
  gelu_new: { name: 'gelu', given: { approximate: 'tanh' } },
  gelu_pytorch_tanh: { name: 'gelu', given: { approximate: 'tanh' } },
  gelu_fast: { name: 'gelu', given: { approximate: 'tanh' } },
  relu: { name: 'relu' },
  relu6: { name: 'relu6' },
  leaky_relu: { name: 'leaky_relu' },
  silu: { name: 'silu' },
  swish: { name: 'silu' },
  sigmoid: { name: 'sigmoid' },
  tanh: { name: 'tanh' },
  mish: { name: 'mish' },
  prelu: { name: 'PReLU' },
  linear: { name: 'Identity' },
};
// modeling_flax_utils.ACT2FN: gelu = partial(nn.gelu, approximate=False), gelu_new and
// gelu_pytorch_tanh = partial(nn.gelu, approximate=True), relu, silu/swish = nn.swish, tanh.
const HF_FLAX: Readonly<Record<string, HfName>> = {
  gelu: { name: 'gelu', given: { approximate: false } },
  gelu_new: { name: 'gelu', given: { approximate: true } },
  gelu_pytorch_tanh: { name: 'gelu', given: { approximate: true } },
  relu: { name: 'relu' },
  silu: { name: 'silu' },
  swish: { name: 'silu' },
  tanh: { name: 'tanh' },
};
// activations_tf.ACT2FN: gelu (erf), gelu_new / gelu_fast (tanh), mish, relu
// (keras.activations.relu), sigmoid, silu/swish (keras.activations.swish), tanh.
const HF_TF: Readonly<Record<string, HfName>> = {
  gelu: { name: 'gelu', given: { approximate: false } },
  gelu_new: { name: 'gelu', given: { approximate: true } },
  gelu_fast: { name: 'gelu', given: { approximate: true } },
  mish: { name: 'mish' },
  relu: { name: 'relu' },
  sigmoid: { name: 'sigmoid' },
  silu: { name: 'silu' },
  swish: { name: 'silu' },
  tanh: { name: 'tanh' },
};
const HF_MODULES = /^transformers(?:\.activations)?\.(?:ACT2FN|ACT2CLS|get_activation)$/;
const HF_FLAX_MODULES = /^transformers\.modeling_flax_utils\.ACT2FN$/;
const HF_TF_MODULES = /^transformers(?:\.activations_tf)?\.(?:ACT2FN|get_tf_activation)$/;

function hfTable(path: string): { fw: Framework; table: Readonly<Record<string, HfName>> } | undefined {
  if (HF_FLAX_MODULES.test(path)) return { fw: 'jax', table: HF_FLAX };
  if (path.startsWith('transformers.activations_tf.') && HF_TF_MODULES.test(path)) return { fw: 'tf', table: HF_TF };
  if (path === 'transformers.get_tf_activation') return { fw: 'tf', table: HF_TF };
  if (HF_MODULES.test(path)) return { fw: 'torch', table: HF_TORCH };
  return undefined;
}

/** `ACT2FN["gelu_new"]` (imported from transformers): the activation it names. */
function hfActivationAt(ix: DocIndex, i: number): CodeMatch | null {
  const toks = ix.toks;
  const t = toks[i] as Token;
  const holder = toks[i - 2];
  if (holder?.kind !== 'name' || toks[i - 3]?.text === '.') return null;
  const target = bindingAt(ix, holder.text, holder.start);
  const hf = target?.kind === 'path' ? hfTable(target.path) : undefined;
  return hf ? hfMatch(t, hf.fw, hf.table) : null;
}

function hfMatch(t: Token, fw: Framework, table: Readonly<Record<string, HfName>>): CodeMatch | null {
  const hf = own(table, t.value ?? '');
  const b = hf ? findBinding(fw, hf.name) : undefined;
  if (!hf || !b) return null;
  const given = Object.fromEntries(Object.entries(hf.given ?? {}).map(([k, v]) => [k, { kind: 'value', value: v, text: typeof v === 'string' ? JSON.stringify(v) : v ? 'True' : 'False' } as const]));
  return { framework: fw, fn: t.value as string, binding: b, path: `transformers ACT2FN["${t.value}"]`, kind: 'string', given, ignored: [], start: t.start, end: t.end };
}

/**
 * The tokens around the conditional expression the string at i is a branch of (the string
 * alone: [i − 1, i + 1]). Only `S if C else E` and `E if C else S` with the string S a whole
 * branch; the expression ends at a top-level `,`, `)` or the line's end.
 */
function conditionalAround(ix: DocIndex, i: number): [number, number] {
  const toks = ix.toks;
  const isBoundary = (u: Token | undefined): boolean => !u || u.kind === 'nl' || u.text === ',' || u.text === ')' || u.text === '(' || u.text === '=';
  const skipFwd = (k: number, stopAt: (u: Token) => boolean): number => {
    for (; k < toks.length; k++) {
      const u = toks[k] as Token;
      if (stopAt(u)) return k;
      if (u.kind === 'op' && (u.text === '(' || u.text === '[' || u.text === '{')) {
        const p = ix.partner[k] as number;
        if (p < k) return -1;
        k = p;
      } else if (u.kind === 'op' && (u.text === ')' || u.text === ']' || u.text === '}')) return k;
    }
    return -1;
  };
  const next = toks[i + 1];
  if (next?.kind === 'name' && next.text === 'if') {
    const els = skipFwd(i + 2, (u) => u.kind === 'nl' || u.text === ',' || (u.kind === 'name' && u.text === 'else'));
    if (els < 0 || (toks[els] as Token).text !== 'else') return [i - 1, i + 1];
    const end = skipFwd(els + 1, (u) => u.kind === 'nl' || u.text === ',');
    if (end < 0 || !isBoundary(toks[end])) return [i - 1, i + 1];
    return [i - 1, end];
  }
  const prev = toks[i - 1];
  if (prev?.kind === 'name' && prev.text === 'else') {
    // Back over `T if C` to the slot's `(`, `,` or `=`.
    let sawIf = false;
    for (let k = i - 2, steps = 0; k >= 0 && steps < 400; k--, steps++) {
      const u = toks[k] as Token;
      if (u.kind === 'nl') return [i - 1, i + 1];
      if (u.kind === 'op' && (u.text === ')' || u.text === ']' || u.text === '}')) {
        const p = ix.partner[k] as number;
        if (p < 0) return [i - 1, i + 1];
        k = p;
        continue;
      }
      if (u.kind === 'name' && u.text === 'if') sawIf = true;
      if (u.kind === 'name' && (u.text === 'else' || u.text === 'lambda')) return [i - 1, i + 1];
      if (u.text === '(' || u.text === ',' || u.text === '=' || u.text === '[' || u.text === '{') return sawIf && u.text !== '[' && u.text !== '{' ? [k, i + 1] : [i - 1, i + 1];
    }
  }
  return [i - 1, i + 1];
}

function countPositional(ix: DocIndex, open: number, i: number): number {
  let n = 0;
  const toks = ix.toks;
  for (let k = open + 1; k < i; k++) {
    const t = toks[k] as Token;
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
      const p = ix.partner[k] as number;
      if (p > k) k = p;
      continue;
    }
    if (t.text === ',') n++;
    if (t.text === '=' ) return -1;
  }
  return n;
}

// Calls whose string argument names the activation they build or return.
const FACTORIES: Readonly<Record<string, Framework>> = {
  'keras.layers.Activation': 'keras',
  'keras.activations.get': 'keras',
  'keras.activations.deserialize': 'keras',
  'tf.keras.layers.Activation': 'tf',
  'tf.keras.activations.get': 'tf',
  'tf.keras.activations.deserialize': 'tf',
  'tf.layers.activation': 'tfjs',
};

/** Hovering the callee of `layers.Activation("swish")` shows what the string names. */
export function factoryAt(ix: DocIndex, path: string, start: number, k: number): CodeMatch | null {
  const fw = own(FACTORIES, path);
  const toks = ix.toks;
  if (!fw || toks[k + 1]?.text !== '(') return null;
  const args = callArgs(ix, k + 1, undefined);
  const a = args.find((x) => x.name === 'activation' || x.name === 'identifier') ?? args.find((x) => x.name === undefined);
  if (!a || a.value.kind !== 'value' || typeof a.value.value !== 'string') return null;
  const b = lookupString(fw, a.value.value);
  if (!b) return null;
  return { framework: fw, fn: a.value.value, binding: b, path: `${path}("${a.value.value}")`, kind: 'string', given: {}, ignored: [], start: (toks[start] as Token).start, end: (toks[k] as Token).end };
}
