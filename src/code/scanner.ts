// Finds the activation reference at a position: a dotted name resolved through the file's
// imports and assignments (`F.gelu`, `nn.LeakyReLU(0.2)`), a tensor method (`x.relu()`), a
// string identifier in an activation slot (`Dense(64, activation="relu")`), or a
// hand-written lookalike (`torch.maximum(x, 0)`). Pure: no vscode.
import type { Framework, FrameworkBinding } from '../engine/activations/types';
import { findBinding } from '../engine/activations/registry';
import { callArgs, resolveChain, type ChainResult } from './chains';
import { dictEntry, frameworkRoot } from './names';
import { bindingAt, type DocIndex } from './docIndex';
import type { CodeMatch, MatchKind, ScanOptions } from './match';
import { parseArgs, type Arg } from './literals';
import { LOOKALIKE_FUNCTIONS, LOOKALIKE_METHODS, lookalikeNote, lookalikeShape, plausibleInput } from './lookalikes';
import type { PathHit } from './paths';
import { ACTIVATION_KEYS, factoryAt, namedStringAt, stringAt } from './strings';
import { own, tokenAt, type Token } from './tokens';

export type { CodeMatch, MatchKind, ScanOptions } from './match';

// How functions name their input when it is passed by keyword (torch `input`, tf.nn
// `features`/`logits`, keras/jax `x`).
const INPUT_KEYWORDS = new Set(['input', 'x', 'features', 'logits', 'inputs', 'tensor']);
// Elementary math that the catalog also lists as activations (Keras's "exponential"):
// `torch.exp(x)` in code is arithmetic, not an activation choice, so no hover; the
// string `activation="exponential"` and `keras.activations.exponential` still get one.
const ELEMENTARY = new Set(['torch.exp', 'torch.sin', 'jax.numpy.exp', 'jax.numpy.sin', 'tf.exp', 'tf.math.exp', 'tf.sin', 'tf.math.sin', 'keras.ops.exp', 'keras.ops.sin', 'tf.identity']);
// Tensor methods that are activations (torch.Tensor, tf.Tensor in TF.js).
const TORCH_METHODS = new Set(['relu', 'relu_', 'sigmoid', 'sigmoid_', 'tanh', 'tanh_', 'softmax', 'log_softmax', 'hardtanh', 'hardtanh_']);
const TFJS_METHODS = new Set(['relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'prelu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'softplus', 'step']);

/** The activation reference at `offset` (a name, a string, a method), or null. */
export function findAt(ix: DocIndex, offset: number, opts: ScanOptions = {}): CodeMatch | null {
  const i = tokenAt(ix.toks, offset);
  if (i < 0) return null;
  const t = ix.toks[i] as Token;
  if (t.kind === 'str') return (ix.lang === 'python' ? dictLookupAt(ix, i) : null) ?? stringAt(ix, i, opts);
  if (t.kind === 'name') return (ix.lang === 'python' && ix.toks[i + 1]?.text === '[' ? dictLookupAt(ix, i + 2) : null) ?? nameAt(ix, i, opts);
  return null;
}

// ---------------------------------------------------------------------------------------
// a file's own table of activations: `ACT2FN = {"gelu": F.gelu, "relu": nn.ReLU()}` at
// module level, looked up with a constant key (`ACT2FN["gelu"](x)`): the key (or the
// table's name) shows the entry's function. Any other key (a variable, an f-string) or a
// value that is not a framework function gets nothing.

function dictLookupAt(ix: DocIndex, key: number): CodeMatch | null {
  const toks = ix.toks;
  const kt = toks[key];
  const holder = toks[key - 2];
  if (kt?.kind !== 'str' || kt.value === undefined || toks[key - 1]?.text !== '[' || toks[key + 1]?.text !== ']') return null;
  if (holder?.kind !== 'name' || toks[key - 3]?.text === '.') return null;
  let found = dictEntry(ix, key - 2);
  if (found < 0 || toks[found]?.kind !== 'name') return null;
  // `partial(nn.gelu, approximate=False)` (functools): the function, with those arguments.
  let bound: Arg[] | undefined;
  const pOpen = toks[found]?.text === 'partial' ? found + 1 : toks[found]?.text === 'functools' && toks[found + 2]?.text === 'partial' ? found + 3 : -1;
  if (pOpen > 0 && toks[pOpen]?.text === '(') {
    const pt = toks[pOpen - 1] as Token;
    const b = bindingAt(ix, 'partial', pt.start);
    if (pOpen === found + 1 && !(b?.kind === 'path' && b.path === 'functools.partial')) return null;
    if (pOpen === found + 3 && bindingAt(ix, 'functools', pt.start)?.kind !== 'path') return null;
    bound = callArgs(ix, pOpen, undefined).slice(1);
    found = pOpen + 1;
    if (toks[found]?.kind !== 'name') return null;
  }
  let end = found;
  while (toks[end + 1]?.text === '.' && toks[end + 2]?.kind === 'name') end += 2;
  let next = end + 1;
  const isCall = !bound && toks[next]?.text === '(';
  if (isCall) next = (ix.partner[next] as number) + 1;
  if (bound) {
    // `partial(f, …)` must be the whole entry.
    if (!(toks[next]?.text === ',' || toks[next]?.text === ')')) return null;
    next = (ix.partner[pOpen] as number) + 1;
  }
  if (next <= end || !(toks[next]?.text === ',' || toks[next]?.text === '}')) return null;
  const r = resolveChain(ix, found, end);
  if (!r?.hit || ELEMENTARY.has(r.hit.path)) return null;
  const hit = r.hit;
  // `nn.ReLU()` in the table is a layer instance; `F.gelu` a function reference.
  if (isCall && hit.form === 'function') return null;
  if (bound && hit.form !== 'function') return null;
  const args = isCall ? callArgs(ix, end + 1, hit) : (bound ?? r.boundArgs ?? []);
  const m = build(hit, args, 'reference', { start: kt.start, end: kt.end }, hit.form, ix);
  return { ...m, path: `${holder.text}["${kt.value}"] = ${hit.path}` };
}

// ---------------------------------------------------------------------------------------
// names

function nameAt(ix: DocIndex, i: number, opts: ScanOptions): CodeMatch | null {
  const toks = ix.toks;
  const prev = toks[i - 1];
  if (prev && prev.kind === 'name' && (prev.text === 'def' || prev.text === 'class' || prev.text === 'function')) return null;
  // A keyword argument's name (`f(relu=1)`) or an object key (`{relu: 1}`) is not a reference.
  const next = toks[i + 1];
  if (next?.text === '=' && (prev?.text === '(' || prev?.text === ',') && ix.lang === 'python') return null;
  if (next?.text === ':' && (prev?.text === '{' || prev?.text === ',') && ix.lang === 'js') return null;
  // A constant in an activation slot: `activation=ACT` / `activation: ACT`.
  const slot = toks[i - 2];
  if ((prev?.text === '=' || prev?.text === ':') && slot && ACTIVATION_KEYS.has(slot.kind === 'str' ? (slot.value ?? '') : slot.text) && next?.text !== '.' && next?.text !== '(') {
    const named = namedStringAt(ix, i, opts);
    if (named) return named;
  }
  let start = i;
  while (toks[start - 1]?.text === '.' && toks[start - 2]?.kind === 'name') start -= 2;
  let end = i;
  while ((toks[end + 1]?.text === '.' || toks[end + 1]?.text === '?.') && toks[end + 2]?.kind === 'name') end += 2;
  const receiverIsExpr = toks[start - 1]?.text === '.' || toks[start - 1]?.text === '?.';
  if (receiverIsExpr) return methodAt(ix, i, true);
  for (let k = end; k >= i; k -= 2) {
    const r = resolveChain(ix, start, k);
    if (!r) continue;
    if (r.hit) return ELEMENTARY.has(r.hit.path) ? null : callMatch(ix, r, start, k);
    if (r.path) {
      const found = factoryAt(ix, r.path, start, k) ?? lookalikeAt(ix, r.path, start, k);
      if (found) return found;
    }
  }
  return methodAt(ix, i, false);
}

/** The match for a resolved name: a call, a plain reference, or an alias of an instance. */
function callMatch(ix: DocIndex, r: ChainResult, start: number, k: number): CodeMatch {
  const hit = r.hit as PathHit;
  const toks = ix.toks;
  const isCall = toks[k + 1]?.text === '(';
  const range = { start: (toks[start] as Token).start, end: (toks[k] as Token).end };
  // An alias of an instance (`act = nn.LeakyReLU(0.2)`, then `act(x)`) keeps the
  // constructor's arguments; the call's own arguments are the input.
  if (r.boundArgs) return build(hit, r.boundArgs, 'reference', range, hit.form, ix);
  if (!isCall) {
    // `functools.partial(F.leaky_relu, negative_slope=0.2)`: the partial's arguments are the call's.
    const bound = partialArgs(ix, start, k, hit);
    if (bound) return build(hit, bound, 'reference', range, hit.form, ix);
  }
  return build(hit, isCall ? callArgs(ix, k + 1, hit) : [], isCall ? 'call' : 'reference', range, hit.form, ix);
}

/** The other arguments when toks[start..k] is the first argument of `partial(…)`. */
function partialArgs(ix: DocIndex, start: number, k: number, hit: PathHit): Arg[] | undefined {
  const toks = ix.toks;
  const open = start - 1;
  if (toks[open]?.text !== '(' || !(toks[k + 1]?.text === ',' || toks[k + 1]?.text === ')')) return undefined;
  const fn = toks[open - 1];
  if (fn?.kind !== 'name' || fn.text !== 'partial') return undefined;
  const viaModule = toks[open - 2]?.text === '.' && toks[open - 3]?.text === 'functools';
  const target = bindingAt(ix, 'partial', fn.start);
  if (!viaModule && !(target?.kind === 'path' && target.path === 'functools.partial')) return undefined;
  const all = callArgs(ix, open, hit);
  // Drop the function itself; `partial(f, x)` binds the input first, like a call.
  return all.slice(1);
}

function build(hit: PathHit, args: readonly Arg[], kind: MatchKind, range: { start: number; end: number }, form: PathHit['form'] | 'method', ix: DocIndex): CodeMatch {
  const { given, ignored } = mapArgs(hit.binding, args, form, ix);
  return { framework: hit.framework, fn: hit.name, binding: hit.binding, path: hit.path, kind, given, ignored, start: range.start, end: range.end };
}

/** Positional and keyword arguments → the binding's parameters (framework spelling). */
function mapArgs(b: FrameworkBinding, args: readonly Arg[], form: PathHit['form'] | 'method', ix: DocIndex): { given: Record<string, Arg['value']>; ignored: string[] } {
  const given: Record<string, Arg['value']> = {};
  const ignored: string[] = [];
  let pos = form === 'function' ? -1 : 0; // functions take the input first
  let spread = false;
  for (const a of args) {
    const src = (): string => ix.text.slice((ix.toks[a.first] as Token).start, (ix.toks[a.last] as Token).end);
    if (a.spread) {
      spread = true;
      ignored.push(src());
      continue;
    }
    if (a.name === undefined) {
      if (spread) continue;
      if (pos >= 0) {
        const bp = b.params[pos];
        if (bp) given[bp.name] = a.value;
        else ignored.push(a.value.text);
      }
      pos++;
      continue;
    }
    const bp = b.params.find((q) => q.name === a.name || (q.aliases ?? []).includes(a.name as string));
    if (bp) given[bp.name] = a.value;
    else if (form === 'config' && ACTIVATION_KEYS.has(a.name)) continue;
    else if (form === 'function' && INPUT_KEYWORDS.has(a.name)) continue; // the input, by name
    else if (a.name !== 'name') ignored.push(`${a.name}=${a.value.text}`);
  }
  return { given, ignored };
}

// ---------------------------------------------------------------------------------------
// tensor methods and lookalikes

function methodAt(ix: DocIndex, i: number, receiverIsExpr: boolean): CodeMatch | null {
  const toks = ix.toks;
  const t = toks[i] as Token;
  const dot = toks[i - 1];
  if (!dot || (dot.text !== '.' && dot.text !== '?.')) return null;
  // The receiver must be a value, not a module: `x.relu()`, `h(x).sigmoid_()`, `y[0].tanh()`.
  if (!receiverIsExpr) {
    const s = receiverStart(toks, i);
    if ((toks[s] as Token).text === 'self' || (toks[s] as Token).text === 'this') return null;
    const head = bindingAt(ix, (toks[s] as Token).text, (toks[s] as Token).start);
    if (head?.kind === 'path' && !(ix.lang === 'js' && head.path === 'tf')) return null;
    if (!head && ix.lang === 'python' && frameworkRoot(ix, (toks[s] as Token).text)) return null;
    if (!head && ix.lang === 'js' && (toks[s] as Token).text === 'tf') return null;
  }
  if (toks[i + 1]?.text !== '(') return null;
  const args = parseArgs(ix.text, toks, ix.partner, i + 1, ix.partner[i + 1] as number, ix.lang);
  const range = { start: t.start, end: t.end };
  if (ix.lang === 'python') {
    if (LOOKALIKE_METHODS.has(t.text)) {
      const shape = lookalikeShape('clamp', args, true);
      const relu = findBinding('torch', 'relu');
      if (!shape || !relu) return null;
      if (!receiverIsExpr && !plausibleInput(ix.text.slice((toks[receiverStart(toks, i)] as Token).start, (toks[i - 2] as Token).end))) return null;
      const { grad, note } = lookalikeNote(`Tensor.${t.text}`, { framework: 'torch', kind: 'clamp' }, true);
      return { framework: 'torch', fn: 'relu', binding: relu, path: `Tensor.${t.text}`, kind: 'lookalike', given: {}, ignored: [], start: t.start, end: t.end, note, lookalikeGrad: grad };
    }
    if (!TORCH_METHODS.has(t.text)) return null;
    if (ix.frameworks.size > 0 && !ix.frameworks.has('torch')) return null;
    const b = findBinding('torch', t.text);
    if (!b) return null;
    return build({ framework: 'torch', binding: b, name: t.text, path: `torch.Tensor.${t.text}`, form: 'layer' }, args, 'method', range, 'method', ix);
  }
  if (!TFJS_METHODS.has(t.text) || !ix.tfjsGlobal) return null;
  const b = findBinding('tfjs', t.text);
  if (!b) return null;
  return build({ framework: 'tfjs', binding: b, name: t.text, path: `tf.Tensor.${t.text}`, form: 'layer' }, args, 'method', range, 'method', ix);
}

/** Token index where the receiver of the method at `i` starts (`self.seq_positions` in `self.seq_positions.clamp`). */
function receiverStart(toks: readonly Token[], i: number): number {
  let s = i - 2;
  while (toks[s - 1]?.text === '.' && toks[s - 2]?.kind === 'name') s -= 2;
  return s;
}

function lookalikeAt(ix: DocIndex, path: string, start: number, k: number): CodeMatch | null {
  const rule = own(LOOKALIKE_FUNCTIONS, path);
  const toks = ix.toks;
  if (!rule || toks[k + 1]?.text !== '(') return null;
  const args = parseArgs(ix.text, toks, ix.partner, k + 1, ix.partner[k + 1] as number, ix.lang);
  const shape = lookalikeShape(rule.kind, args, false);
  if (!shape) return null;
  const input = rule.kind === 'maximum' ? args.filter((a) => !a.name)[shape.inputFirst ? 0 : 1] : args.filter((a) => !a.name)[0];
  if (input && !plausibleInput(ix.text.slice((toks[input.first] as Token).start, (toks[input.last] as Token).end))) return null;
  // torch.max(x, 0) reduces over dim 0; only a zero *tensor* makes it elementwise.
  if (path === 'torch.max' && args.some((a) => a.value.kind === 'value')) return null;
  let fw: Framework;
  if (rule.framework === 'numpy') fw = ix.frameworks.has('jax') ? 'jax' : ix.frameworks.has('torch') ? 'torch' : ix.frameworks.has('tf') ? 'tf' : 'jax';
  else fw = rule.framework;
  const relu = findBinding(fw, 'relu');
  if (!relu) return null;
  const { grad, note } = lookalikeNote(path, rule, shape.inputFirst);
  return { framework: fw, fn: 'relu', binding: relu, path, kind: 'lookalike', given: {}, ignored: [], start: (toks[start] as Token).start, end: (toks[k] as Token).end, note, lookalikeGrad: grad };
}

// ---------------------------------------------------------------------------------------
