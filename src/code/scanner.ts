// Finds the activation reference at a position: a dotted name resolved through the file's
// imports and assignments (`F.gelu`, `nn.LeakyReLU(0.2)`), a tensor method (`x.relu()`), a
// string identifier in an activation slot (`Dense(64, activation="relu")`), or a
// hand-written lookalike (`torch.maximum(x, 0)`). Pure: no vscode.
import type { Framework, FrameworkBinding } from '../engine/activations/types';
import { bindingAt, type DocIndex, type Target } from './docIndex';
import { parseArgs, parseObject, type Arg } from './literals';
import { LOOKALIKE_FUNCTIONS, LOOKALIKE_METHODS, lookalikeNote, lookalikeShape } from './lookalikes';
import { frameworkOfPyPath, lookupJsPath, lookupPyPath, lookupString, normalizePyPath, type PathHit } from './paths';
import { tokenAt, type Token } from './tokens';
import { findBinding } from '../engine/activations/registry';

export type MatchKind = 'call' | 'reference' | 'string' | 'method' | 'lookalike';

export interface CodeMatch {
  readonly framework: Framework;
  /** The name as the code spells it (`LeakyReLU`, `gelu`, `relu` for `"relu"`). */
  readonly fn: string;
  readonly binding: FrameworkBinding;
  /** Qualified path (`torch.nn.LeakyReLU`); for strings and methods a descriptive one. */
  readonly path: string;
  readonly kind: MatchKind;
  /** Arguments mapped to the framework's parameter names. */
  readonly given: Readonly<Record<string, Arg['value']>>;
  /** Source text of arguments that set nothing we model (`inplace=True`, `name="act"`). */
  readonly ignored: readonly string[];
  /** Offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** Lookalikes: the note about their gradient at 0, and that gradient. */
  readonly note?: string;
  readonly lookalikeGrad?: number;
}

export interface ScanOptions {
  /** Framework a bare string like "relu" means when the file does not say. */
  readonly defaultFramework?: Framework;
}

// Tensor methods that are activations (torch.Tensor, tf.Tensor in TF.js).
const TORCH_METHODS = new Set(['relu', 'relu_', 'sigmoid', 'sigmoid_', 'tanh', 'tanh_', 'softmax', 'log_softmax', 'hardtanh', 'hardtanh_']);
const TFJS_METHODS = new Set(['relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'prelu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'softplus', 'step']);
// Keyword/config names whose string value is an activation identifier.
const ACTIVATION_KEYS = new Set(['activation', 'recurrent_activation', 'recurrentActivation']);
// Python names usable without an import in snippets and notebooks that import elsewhere.
const IMPLICIT_ROOTS: Readonly<Record<string, string>> = { torch: 'torch', tensorflow: 'tf', tf: 'tf', jax: 'jax', keras: 'keras', flax: 'flax', np: 'numpy', numpy: 'numpy', jnp: 'jax.numpy' };
const MAX_DEPTH = 4;

interface ChainResult {
  readonly hit?: PathHit;
  /** Path of a module or other non-activation (for `F = torch.nn.functional`). */
  readonly path?: string;
  /** Arguments fixed where an instance was created (`act = nn.ReLU()`). */
  readonly boundArgs?: readonly Arg[];
}

export function findAt(ix: DocIndex, offset: number, opts: ScanOptions = {}): CodeMatch | null {
  const i = tokenAt(ix.toks, offset);
  if (i < 0) return null;
  const t = ix.toks[i] as Token;
  if (t.kind === 'str') return stringAt(ix, i, opts);
  if (t.kind === 'name') return nameAt(ix, i, opts);
  return null;
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
  let start = i;
  while (toks[start - 1]?.text === '.' && toks[start - 2]?.kind === 'name') start -= 2;
  let end = i;
  while ((toks[end + 1]?.text === '.' || toks[end + 1]?.text === '?.') && toks[end + 2]?.kind === 'name') end += 2;
  const receiverIsExpr = toks[start - 1]?.text === '.' || toks[start - 1]?.text === '?.';
  if (receiverIsExpr) return methodAt(ix, i, opts, true);
  for (let k = end; k >= i; k -= 2) {
    const r = resolveChain(ix, start, k, 0);
    if (!r) continue;
    if (r.hit) return callMatch(ix, r, start, k);
    if (r.path) {
      const lk = lookalikeAt(ix, r.path, start, k);
      if (lk) return lk;
    }
  }
  return methodAt(ix, i, opts, false);
}

/** Resolves the dotted chain toks[start..k] (names at even offsets from start). */
function resolveChain(ix: DocIndex, start: number, k: number, depth: number): ChainResult | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const toks = ix.toks;
  const names: string[] = [];
  for (let m = start; m <= k; m += 2) names.push((toks[m] as Token).text);
  const at = (toks[start] as Token).start;
  let target: Target | undefined;
  let rest = names.slice(1);
  if (names.length >= 2) {
    // Attribute assignments: `self.act = nn.GELU()` then `self.act(x)`.
    const attr = bindingAt(ix, `${names[0]}.${names[1]}`, at);
    if (attr) {
      target = attr;
      rest = names.slice(2);
    }
  }
  if (!target) target = bindingAt(ix, names[0] as string, at);
  let base: string | undefined;
  let boundArgs: readonly Arg[] | undefined;
  if (!target) {
    const head = names[0] as string;
    if (ix.lang === 'python') {
      base = IMPLICIT_ROOTS[head];
      if (!base) {
        for (const s of ix.stars) {
          if (s.offset > at) continue;
          const hit = lookupPyPath(`${s.module}.${names.join('.')}`);
          if (hit) return { hit };
        }
        return undefined;
      }
    } else if (head === 'tf' && ix.tfjsGlobal) base = 'tf';
    else return undefined;
  } else if (target.kind === 'local') return undefined;
  else if (target.kind === 'path') base = target.path;
  else {
    const r = resolveExpr(ix, target.tok, depth + 1);
    if (!r) return undefined;
    if (r.hit) {
      if (rest.length > 0) return undefined;
      return r;
    }
    base = r.path;
    boundArgs = r.boundArgs;
  }
  if (base === undefined) return undefined;
  const path = rest.length ? `${base}.${rest.join('.')}` : base;
  const hit = ix.lang === 'python' ? lookupPyPath(path) : lookupJsPath(path);
  if (hit) return { hit, boundArgs };
  return { path: ix.lang === 'python' ? normalizePyPath(path) : path };
}

/** `name = <chain>` or `name = <chain>(args)`, ending the statement. */
function resolveExpr(ix: DocIndex, tok: number, depth: number): ChainResult | undefined {
  const toks = ix.toks;
  const t = toks[tok];
  if (!t || t.kind !== 'name') return undefined;
  let k = tok;
  while ((toks[k + 1]?.text === '.') && toks[k + 2]?.kind === 'name') k += 2;
  const r = resolveChain(ix, tok, k, depth);
  if (!r) return undefined;
  const after = toks[k + 1];
  const endsHere = (j: number): boolean => {
    const u = toks[j];
    return !u || u.kind === 'nl' || u.text === ';' || u.text === ',' || (ix.lang === 'js' && (u.kind === 'name' || u.text === '}'));
  };
  if (after?.text === '(') {
    const close = ix.partner[k + 1] as number;
    // Calling an instance (`self.act(h)`) or a function gives a tensor, not an activation.
    if (close < 0 || !endsHere(close + 1) || !r.hit || r.boundArgs) return undefined;
    // An instance of an activation layer/module: its constructor arguments stay with it.
    if (r.hit.form === 'function') return undefined;
    return { hit: r.hit, boundArgs: callArgs(ix, k + 1, r.hit) };
  }
  return endsHere(k + 1) ? r : undefined;
}

function callArgs(ix: DocIndex, open: number, hit: PathHit | undefined): Arg[] {
  const close = ix.partner[open] as number;
  if (close < open) return [];
  const toks = ix.toks;
  if (ix.lang === 'js' && toks[open + 1]?.text === '{' && (hit?.form === 'config' || toks[ix.partner[open + 1] as number]?.text === '}')) {
    const oc = ix.partner[open + 1] as number;
    if (oc > open + 1 && oc + 1 === close) return parseObject(ix.text, toks, ix.partner, open + 1, oc);
  }
  return parseArgs(ix.text, toks, ix.partner, open, close, ix.lang);
}

function callMatch(ix: DocIndex, r: ChainResult, start: number, k: number): CodeMatch {
  const hit = r.hit as PathHit;
  const toks = ix.toks;
  const isCall = toks[k + 1]?.text === '(';
  const range = { start: (toks[start] as Token).start, end: (toks[k] as Token).end };
  // An alias of an instance (`act = nn.LeakyReLU(0.2)`, then `act(x)`) keeps the
  // constructor's arguments; the call's own arguments are the input.
  if (r.boundArgs) return build(hit, r.boundArgs, 'reference', range, hit.form, ix);
  return build(hit, isCall ? callArgs(ix, k + 1, hit) : [], isCall ? 'call' : 'reference', range, hit.form, ix);
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
    else if (!(form === 'config' && ACTIVATION_KEYS.has(a.name))) ignored.push(`${a.name}=${a.value.text}`);
  }
  return { given, ignored };
}

// ---------------------------------------------------------------------------------------
// tensor methods and lookalikes

function methodAt(ix: DocIndex, i: number, _opts: ScanOptions, receiverIsExpr: boolean): CodeMatch | null {
  const toks = ix.toks;
  const t = toks[i] as Token;
  const dot = toks[i - 1];
  if (!dot || (dot.text !== '.' && dot.text !== '?.')) return null;
  // The receiver must be a value, not a module: `x.relu()`, `h(x).sigmoid_()`, `y[0].tanh()`.
  if (!receiverIsExpr) {
    let s = i - 2;
    while (toks[s - 1]?.text === '.' && toks[s - 2]?.kind === 'name') s -= 2;
    if ((toks[s] as Token).text === 'self' || (toks[s] as Token).text === 'this') return null;
    const head = bindingAt(ix, (toks[s] as Token).text, (toks[s] as Token).start);
    if (head?.kind === 'path' && !(ix.lang === 'js' && head.path === 'tf')) return null;
    if (!head && ix.lang === 'python' && IMPLICIT_ROOTS[(toks[s] as Token).text]) return null;
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

function lookalikeAt(ix: DocIndex, path: string, start: number, k: number): CodeMatch | null {
  const rule = LOOKALIKE_FUNCTIONS[path];
  const toks = ix.toks;
  if (!rule || toks[k + 1]?.text !== '(') return null;
  const args = parseArgs(ix.text, toks, ix.partner, k + 1, ix.partner[k + 1] as number, ix.lang);
  const shape = lookalikeShape(rule.kind, args, false);
  if (!shape) return null;
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
// strings

/** Where the string at i sits: directly in a call's arguments or in an object literal. */
function enclosingOpen(ix: DocIndex, i: number): number {
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
function calleeOf(ix: DocIndex, open: number): { name: string; fw?: Framework; hit?: PathHit; unresolved: boolean } | null {
  const toks = ix.toks;
  const k = open - 1;
  const last = toks[k];
  if (!last || last.kind !== 'name') return null;
  let s = k;
  while (toks[s - 1]?.text === '.' && toks[s - 2]?.kind === 'name') s -= 2;
  if (toks[s - 1]?.text === '.') return { name: last.text, unresolved: false }; // method on a value
  const head = bindingAt(ix, (toks[s] as Token).text, (toks[s] as Token).start);
  if (head?.kind === 'local') return { name: last.text, unresolved: false };
  const r = resolveChain(ix, s, k, 0);
  if (r?.hit) return { name: last.text, fw: r.hit.framework, hit: r.hit, unresolved: false };
  if (r?.path) {
    const fw = ix.lang === 'js' ? (r.path.startsWith('tf.') ? 'tfjs' : undefined) : frameworkOfPyPath(r.path);
    return { name: last.text, fw, unresolved: false };
  }
  return { name: last.text, unresolved: !head };
}

function stringAt(ix: DocIndex, i: number, opts: ScanOptions): CodeMatch | null {
  const toks = ix.toks;
  const t = toks[i] as Token;
  if (t.value === undefined) return null;
  const prev = toks[i - 1];
  const next = toks[i + 1];
  if (!prev || !next || !(next.text === ',' || next.text === ')' || next.text === '}')) return null;
  const open = enclosingOpen(ix, i);
  if (open < 0) return null;
  let callOpen = -1;
  let keyed = false;
  let positional = -1;
  if (ix.lang === 'python') {
    if (prev.text === '=' && toks[i - 2]?.kind === 'name' && ACTIVATION_KEYS.has((toks[i - 2] as Token).text) && (toks[i - 3]?.text === '(' || toks[i - 3]?.text === ',')) keyed = true;
    else if (prev.text === '(' || prev.text === ',') positional = countPositional(ix, open, i);
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
  const b = lookupString(fw, t.value);
  if (!b) return null;
  return { framework: fw, fn: t.value, binding: b, path: `"${t.value}"`, kind: 'string', given: {}, ignored: [], start: t.start, end: t.end };
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
