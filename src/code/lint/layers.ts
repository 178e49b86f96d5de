// Layers as written: one list element or call (`nn.Linear(784, 256)`, `Dense(64, activation="relu")`,
// `nn.relu`, `*[block for _ in range(6)]`, `*layers`) → dense widths, activations (framework,
// name, literal params), norms and dropout; and `nn.Sequential(...)` / `Sequential([...])` calls.
// Pure; src/code/lint/architecture.ts assembles whole models from these.
import { matchAt } from '../api';
import { lookupString } from '../paths';
import type { Framework } from '../../engine/activations/types';
import { evalExpr, type Arg } from '../literals';
import { bindingAt } from '../docIndex';
import type { Token } from '../tokens';
import { argNamed, numValue, strValue } from './arguments';
import { activationIdOf, kerasKey } from './calleePaths';
import type { Call, LintContext } from './calls';
import { indentOf, lineOf, lineText } from './sourceLines';

export type LayerKind = 'dense' | 'activation' | 'norm' | 'dropout' | 'ignore' | 'unknown';

export interface ActivationRef {
  /** Canonical id (`relu`, `sigmoid`). */
  readonly id: string;
  readonly framework: Framework;
  /** The framework's preferred name for the binding (`relu`, `LeakyReLU`). */
  readonly name: string;
  /** Literal parameters as written, in the framework's spelling. */
  readonly params: Readonly<Record<string, number | boolean | string>>;
}

export interface ArchLayer {
  readonly kind: LayerKind;
  /** Source text, shortened. */
  readonly label: string;
  readonly inFeatures?: number | string;
  readonly units?: number | string;
  readonly activation?: ActivationRef;
  /** Kernel initializer as written (Keras string/call, Flax kernel_init), if any. */
  readonly init?: string;
  readonly norm?: 'batch' | 'layer';
  readonly dropout?: number;
  /** Offsets of the element (for diagnostics and removal). */
  readonly start: number;
  readonly end: number;
  /** The list element / call argument this layer is (removal fixes delete it). */
  readonly elem?: { readonly call: { open: number; close: number; args: readonly Arg[] }; readonly arg: Arg };
  /** Keras/TF.js Dense: the `activation=` argument inside the layer call. */
  readonly activationArg?: { readonly call: Call; readonly arg: Arg };
  /** Loop repetition this layer came from (`for _ in range(8)`), 1 if none. */
  readonly repeated?: number;
}

export type ArchFramework = 'torch' | 'keras' | 'flax' | 'tfjs';

export interface Architecture {
  readonly framework: ArchFramework;
  readonly form: 'sequential' | 'add-chain' | 'functional';
  /** Where the CodeLens goes: the statement that builds the model. */
  readonly start: number;
  readonly end: number;
  readonly layers: readonly ArchLayer[];
  /** Input width when the code states it (`input_shape=(4,)`, `Input(shape=(784,))`). */
  readonly inputWidth?: number;
  /** Variable the model is assigned to, if any. */
  readonly name?: string;
}

export const short = (s: string): string => {
  const t = s.replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
};

export function sequentialFramework(c: Call): ArchFramework | undefined {
  const p = c.path;
  if (!p) return undefined;
  if (p === 'torch.nn.Sequential') return 'torch';
  if (kerasKey(p) === 'keras.Sequential') return 'keras';
  if (p === 'flax.linen.Sequential') return 'flax';
  if (p === 'tf.sequential') return 'tfjs';
  return undefined;
}

export function nameAssigned(ctx: LintContext, start: number): string | undefined {
  const toks = ctx.ix.toks;
  if (toks[start - 1]?.text !== '=') return undefined;
  let k = start - 2;
  const parts: string[] = [];
  while (toks[k]?.kind === 'name') {
    parts.unshift((toks[k] as Token).text);
    if (toks[k - 1]?.text === '.') k -= 2;
    else break;
  }
  return parts.length ? parts.join('.') : undefined;
}

export function parseSequential(ctx: LintContext, c: Call, fw: ArchFramework, inner: Set<number>): Architecture | undefined {
  const toks = ctx.ix.toks;
  let elements: { call: { open: number; close: number; args: readonly Arg[] }; args: readonly Arg[] } | undefined;
  if (fw === 'torch') {
    const od = c.args.length === 1 ? callOfArg(ctx, c.args[0] as Arg) : undefined;
    if (od && od.name === 'OrderedDict') return parseElements(ctx, c, fw, odElements(ctx, od), inner);
    elements = { call: c, args: c.args };
  } else if (fw === 'tfjs') {
    const layersArg = argNamed(c.args, ['layers']);
    const open = layersArg?.first;
    if (open === undefined || toks[open]?.text !== '[') return undefined;
    elements = listElements(ctx, open);
  } else {
    const first = argNamed(c.args, ['layers'], 0);
    const open = first?.first;
    if (open === undefined || toks[open]?.text !== '[' || ctx.ix.partner[open] !== first?.last) return undefined;
    elements = listElements(ctx, open);
  }
  return parseElements(ctx, c, fw, elements, inner);
}

/** The call an argument consists of entirely (`nn.Linear(2, 8)`), if any. */
export function callOfArg(ctx: LintContext, a: { first: number; last: number }): Call | undefined {
  if (ctx.ix.toks[a.last]?.text !== ')') return undefined;
  const c = ctx.byOpen.get(ctx.ix.partner[a.last] as number);
  return c && c.start === a.first ? c : undefined;
}

export function listElements(ctx: LintContext, open: number): { call: { open: number; close: number; args: readonly Arg[] }; args: readonly Arg[] } {
  const close = ctx.ix.partner[open] as number;
  const args: Arg[] = [];
  const toks = ctx.ix.toks;
  let start = open + 1;
  for (let i = open + 1; i <= close; i++) {
    const t = toks[i] as Token;
    if (i < close && t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
      i = Math.max(i, ctx.ix.partner[i] as number);
      continue;
    }
    if (i === close || t.text === ',') {
      if (i > start) {
        const spread = toks[start]?.text === '*' || toks[start]?.text === '...';
        args.push({ value: { kind: 'symbol', text: '' }, first: spread ? start + 1 : start, last: i - 1, spread });
      }
      start = i + 1;
    }
  }
  return { call: { open, close, args }, args };
}

/** `OrderedDict([("fc1", nn.Linear(2, 8)), ("act", nn.ReLU())])` → the module of each pair. */
function odElements(ctx: LintContext, od: Call): { call: { open: number; close: number; args: readonly Arg[] }; args: readonly Arg[] } {
  const a0 = od.args[0];
  const toks = ctx.ix.toks;
  if (!a0 || toks[a0.first]?.text !== '[') return { call: od, args: [] };
  const list = listElements(ctx, a0.first);
  const args: Arg[] = [];
  for (const e of list.args) {
    if (toks[e.first]?.text !== '(') continue;
    const pair = listElements(ctx, e.first);
    const second = pair.args[1];
    if (second) args.push(second);
  }
  return { call: list.call, args };
}

function parseElements(ctx: LintContext, c: Call, fw: ArchFramework, el: { call: { open: number; close: number; args: readonly Arg[] }; args: readonly Arg[] }, inner: Set<number>): Architecture | undefined {
  const layers: ArchLayer[] = [];
  let inputWidth: number | undefined;
  for (const a of el.args) {
    const got = elementLayers(ctx, a, fw, inner);
    if (got.inputWidth !== undefined) inputWidth = got.inputWidth;
    for (const l of got.layers) layers.push(l.elem || got.layers.length !== 1 ? l : { ...l, elem: { call: el.call, arg: a } });
  }
  if (!layers.some((l) => l.kind === 'dense')) return undefined;
  if (inputWidth === undefined) inputWidth = firstDenseInput(layers);
  const toks = ctx.ix.toks;
  return { framework: fw, form: 'sequential', start: (toks[c.start] as Token).start, end: (toks[c.close] as Token).end, layers, inputWidth, name: nameAssigned(ctx, c.start) };
}

export function firstDenseInput(layers: readonly ArchLayer[]): number | undefined {
  const d = layers.find((l) => l.kind === 'dense');
  return typeof d?.inFeatures === 'number' ? d.inFeatures : undefined;
}

/** One list element → layers (nested Sequentials and `*[... for _ in range(N)]` expand). */
export function elementLayers(ctx: LintContext, a: Arg, fw: ArchFramework, inner: Set<number>): { layers: ArchLayer[]; inputWidth?: number } {
  const toks = ctx.ix.toks;
  const text = ctx.ix.text;
  const span = { start: (toks[a.first] as Token).start, end: (toks[a.last] as Token).end };
  const label = short(text.slice(span.start, span.end));
  if (a.spread) {
    // *[block for _ in range(N)]
    const open = toks[a.first]?.text === '*' || toks[a.first]?.text === '...' ? a.first + 1 : a.first;
    if (open === a.last && toks[open]?.kind === 'name') {
      const built = listBuilt(ctx, open, fw, inner);
      if (built) return { layers: built };
    }
    // *[nn.Linear(8, 8), nn.Sigmoid()] * 6
    const close = ctx.ix.partner[open] as number;
    if (toks[open]?.text === '[' && close > open && toks[close + 1]?.text === '*' && close + 2 === a.last) {
      const nTok = toks[a.last] as Token;
      const n = nTok.kind === 'num' ? Number(nTok.text) : resolveNumber(ctx, nTok.text, nTok.start);
      if (n !== undefined && Number.isInteger(n) && n > 0) {
        const body = listElements(ctx, open).args.flatMap((e) => elementLayers(ctx, e, fw, inner).layers);
        const out: ArchLayer[] = [];
        for (let r = 0; r < Math.min(n, 64); r++) for (const l of body) out.push({ ...l, elem: undefined, repeated: n });
        return { layers: out };
      }
    }
    if (toks[open]?.text !== '[' || ctx.ix.partner[open] !== a.last) return { layers: [{ kind: 'unknown', label, ...span }] };
    return { layers: elementLayers(ctx, { value: a.value, first: open + 1, last: a.last - 1 }, fw, inner).layers.map((l) => ({ ...l, elem: undefined })) };
  }
  // `Dense(64, activation="tanh") for _ in range(6)` (a comprehension's element)
  for (let i = a.first; i <= a.last; i++) {
    const t = toks[i] as Token;
    if (t.text === '(' || t.text === '[' || t.text === '{') i = Math.max(i, ctx.ix.partner[i] as number);
    else if (t.kind === 'name' && t.text === 'for' && i > a.first) {
      const m = /\bin\s+range\(\s*(?:0\s*,\s*)?(\d+)\s*\)\s*$/.exec(text.slice(t.start, (toks[a.last] as Token).end));
      if (!m) return { layers: [{ kind: 'unknown', label, ...span }] };
      const n = Number(m[1]);
      const body = elementLayers(ctx, { value: a.value, first: a.first, last: i - 1 }, fw, inner).layers;
      const out: ArchLayer[] = [];
      for (let r = 0; r < Math.min(n, 64); r++) for (const l of body) out.push({ ...l, repeated: n, elem: undefined });
      return { layers: out };
    }
  }
  const call = callOfArg(ctx, a);
  if (call) return callLayers(ctx, call, fw, inner, span, label);
  // A reference: Flax `nn.relu`, `jax.nn.gelu`.
  let k = a.first;
  while (toks[k + 1]?.text === '.' && toks[k + 2]?.kind === 'name' && k + 2 <= a.last) k += 2;
  if (k === a.last && toks[a.first]?.kind === 'name') {
    const act = activationAt(ctx, a.last);
    if (act) return { layers: [{ kind: 'activation', label, activation: act, ...span }] };
  }
  return { layers: [{ kind: 'unknown', label, ...span }] };
}

/**
 * `nn.Sequential(*layers)` where `layers = [...]` was then grown with `layers.append(m)`,
 * `layers.extend([...])` or `layers += [...]` (inside `for _ in range(N)` loops, repeated).
 */
function listBuilt(ctx: LintContext, nameTok: number, fw: ArchFramework, inner: Set<number>): ArchLayer[] | undefined {
  const toks = ctx.ix.toks;
  const name = (toks[nameTok] as Token).text;
  const at = (toks[nameTok] as Token).start;
  let b = bindingAt(ctx.ix, name, at);
  // `layers += [...]` rebinds the name to "local": find the list literal assignment itself
  const list = ctx.ix.names.get(name) ?? [];
  for (let i = list.length - 1; i >= 0; i--) {
    const nb = list[i];
    if (nb && nb.offset < at && nb.target.kind === 'expr' && toks[nb.target.tok]?.text === '[') {
      b = nb.target;
      break;
    }
  }
  if (b?.kind !== 'expr' || toks[b.tok]?.text !== '[') return undefined;
  const open = b.tok;
  const events: { offset: number; args: readonly Arg[] }[] = [{ offset: (toks[open] as Token).start, args: listElements(ctx, open).args }];
  for (const c of ctx.calls) {
    const off = (toks[c.start] as Token).start;
    if (!c.method || off <= (toks[open] as Token).start || off >= at || toks[c.start]?.text !== name || c.nameTok !== c.start + 2) continue;
    if (c.name === 'append' && c.args[0]) events.push({ offset: off, args: [c.args[0]] });
    else if (c.name === 'extend' && c.args[0] && toks[c.args[0].first]?.text === '[') events.push({ offset: off, args: listElements(ctx, c.args[0].first).args });
  }
  for (let i = open + 1; i < nameTok; i++) {
    if (toks[i]?.text === name && toks[i + 1]?.text === '+=' && toks[i + 2]?.text === '[' && toks[i - 1]?.text !== '.') events.push({ offset: (toks[i] as Token).start, args: listElements(ctx, i + 2).args });
  }
  events.sort((x, y) => x.offset - y.offset);
  const out: ArchLayer[] = [];
  for (const e of events) {
    const n = e.offset === (toks[open] as Token).start ? 1 : loopCount(ctx, e.offset);
    for (let r = 0; r < Math.min(n, 64); r++) for (const a of e.args) for (const l of elementLayers(ctx, a, fw, inner).layers) out.push({ ...l, elem: undefined, repeated: n > 1 ? n : l.repeated });
  }
  return out.length ? out : undefined;
}

/** The activation the scanner finds at a token (a module, a function, or a string). */
export function activationAt(ctx: LintContext, tok: number): ActivationRef | undefined {
  const t = ctx.ix.toks[tok];
  if (!t) return undefined;
  const m = matchAt(ctx.ix, t.start);
  if (!m || m.match.kind === 'lookalike') return undefined;
  const params: Record<string, number | boolean | string> = {};
  for (const [k, v] of Object.entries(m.match.given)) if (v.kind === 'value' && v.value !== null) params[k] = v.value;
  return { id: m.match.binding.id, framework: m.match.framework, name: m.match.binding.names[0] as string, params };
}

function stringActivation(ctx: LintContext, a: Arg | undefined, fw: Framework): ActivationRef | undefined {
  const s = strValue(a);
  if (s === undefined) {
    if (!a) return undefined;
    // activation=tf.nn.relu / keras.activations.gelu: a reference
    const toks = ctx.ix.toks;
    if (toks[a.last]?.kind === 'name') return activationAt(ctx, a.last);
    return undefined;
  }
  if (s === 'linear' || s === '' ) return undefined;
  const b = lookupString(fw, s);
  return b ? { id: b.id, framework: fw, name: s, params: {} } : { id: s, framework: fw, name: s, params: {} };
}

function widthOf(ctx: LintContext, a: Arg | undefined): number | string | undefined {
  if (!a) return undefined;
  const n = numValue(a);
  if (n !== undefined) return n;
  const src = ctx.ix.text.slice((ctx.ix.toks[a.first] as Token).start, (ctx.ix.toks[a.last] as Token).end);
  return resolveNumber(ctx, src, (ctx.ix.toks[a.first] as Token).start) ?? src;
}

/**
 * A width written as a name: `hidden` / `self.hidden` bound to a literal (`hidden: int = 64`,
 * `HIDDEN = 128`), or a parameter with a literal default (`def build(n_features: int = 20)`).
 */
function resolveNumber(ctx: LintContext, src: string, at: number): number | undefined {
  const m = /^(?:self\.)?([A-Za-z_]\w*)$/.exec(src);
  if (!m) return undefined;
  const name = m[1] as string;
  const b = bindingAt(ctx.ix, name, at) ?? bindingAt(ctx.ix, name, ctx.ix.text.length);
  if (b?.kind === 'expr') {
    let end = b.tok;
    while (end < ctx.ix.toks.length && ctx.ix.toks[end]?.kind !== 'nl') end++;
    const v = evalExpr(ctx.ix.text, ctx.ix.toks, b.tok, end, ctx.ix.lang);
    if (v.kind === 'value' && typeof v.value === 'number') return v.value;
  }
  const d = new RegExp(`[(,]\\s*${name}\\s*(?::[^=,()]+)?=\\s*(\\d+)\\s*[,)]`).exec(ctx.ix.text);
  return d ? Number(d[1]) : undefined;
}

/** `input_shape=(4,)`, `shape=(784,)`, `inputShape: [2]` → 4, 784, 2. */
export function shapeWidth(ctx: LintContext, a: Arg | undefined): number | undefined {
  if (!a) return undefined;
  const src = ctx.ix.text.slice((ctx.ix.toks[a.first] as Token).start, (ctx.ix.toks[a.last] as Token).end);
  const m = /^[([]\s*(?:None\s*,\s*)?(\d+|(?:self\.)?[A-Za-z_]\w*)\s*,?\s*[)\]]$/.exec(src);
  if (!m) return undefined;
  return /^\d+$/.test(m[1] as string) ? Number(m[1]) : resolveNumber(ctx, m[1] as string, (ctx.ix.toks[a.first] as Token).start);
}

export function callLayers(ctx: LintContext, call: Call, fw: ArchFramework, inner: Set<number>, span: { start: number; end: number }, label: string): { layers: ArchLayer[]; inputWidth?: number } {
  const p = call.path ?? '';
  const kp = kerasKey(p);
  const args = call.args;
  const one = (l: Omit<ArchLayer, 'start' | 'end' | 'label'>): { layers: ArchLayer[] } => ({ layers: [{ ...l, label, ...span }] });
  if (sequentialFramework(call)) {
    inner.add(call.open);
    const nested = parseSequential(ctx, call, fw, inner);
    return { layers: nested ? [...nested.layers] : [{ kind: 'unknown', label, ...span }], inputWidth: nested?.inputWidth };
  }
  if (fw === 'torch') {
    if (p === 'torch.nn.Linear') return one({ kind: 'dense', inFeatures: widthOf(ctx, argNamed(args, ['in_features'], 0)), units: widthOf(ctx, argNamed(args, ['out_features'], 1)) });
    if (p === 'torch.nn.LazyLinear') return one({ kind: 'dense', units: widthOf(ctx, argNamed(args, ['out_features'], 0)) });
    if (/^torch\.nn\.BatchNorm1d$/.test(p)) return one({ kind: 'norm', norm: 'batch' });
    if (p === 'torch.nn.LayerNorm') return one({ kind: 'norm', norm: 'layer' });
    if (/^torch\.nn\.(?:GroupNorm|RMSNorm|InstanceNorm1d)$/.test(p)) return one({ kind: 'norm', norm: 'layer' });
    if (p === 'torch.nn.Dropout' || p === 'torch.nn.AlphaDropout') return one({ kind: 'dropout', dropout: numValue(argNamed(args, ['p'], 0)) ?? 0.5 });
    if (p === 'torch.nn.Flatten' || p === 'torch.nn.Identity') return one({ kind: 'ignore' });
  } else if (fw === 'keras') {
    if (kp === 'keras.layers.Dense') {
      const actArg = argNamed(args, ['activation'], 1);
      const activation = stringActivation(ctx, actArg, p.startsWith('tf.') ? 'tf' : 'keras');
      const init = argNamed(args, ['kernel_initializer']);
      return {
        layers: [{ kind: 'dense', label, ...span, units: widthOf(ctx, argNamed(args, ['units'], 0)), activation, activationArg: actArg && activation ? { call, arg: actArg } : undefined, init: init ? ctx.ix.text.slice((ctx.ix.toks[init.first] as Token).start, (ctx.ix.toks[init.last] as Token).end) : undefined }],
        inputWidth: shapeWidth(ctx, argNamed(args, ['input_shape'])) ?? numValue(argNamed(args, ['input_dim'])),
      };
    }
    if (kp === 'keras.layers.Input' || kp === 'keras.Input' || kp === 'keras.layers.InputLayer') return { layers: [], inputWidth: shapeWidth(ctx, argNamed(args, ['shape', 'input_shape', 'batch_input_shape'], 0)) };
    if (kp === 'keras.layers.Activation') {
      const act = stringActivation(ctx, argNamed(args, ['activation'], 0), p.startsWith('tf.') ? 'tf' : 'keras');
      return one(act ? { kind: 'activation', activation: act } : { kind: 'ignore' });
    }
    if (kp === 'keras.layers.BatchNormalization') return one({ kind: 'norm', norm: 'batch' });
    if (kp === 'keras.layers.LayerNormalization') return one({ kind: 'norm', norm: 'layer' });
    if (kp === 'keras.layers.Dropout' || kp === 'keras.layers.AlphaDropout') return one({ kind: 'dropout', dropout: numValue(argNamed(args, ['rate'], 0)) ?? 0.5 });
    if (kp === 'keras.layers.Flatten') return one({ kind: 'ignore' });
  } else if (fw === 'flax') {
    if (p === 'flax.linen.Dense' || p === 'flax.linen.Linear') {
      const init = argNamed(args, ['kernel_init']);
      return one({ kind: 'dense', units: widthOf(ctx, argNamed(args, ['features', 'out_features'], p.endsWith('Linear') ? 1 : 0)), inFeatures: p.endsWith('Linear') ? widthOf(ctx, argNamed(args, ['in_features'], 0)) : undefined, init: init ? ctx.ix.text.slice((ctx.ix.toks[init.first] as Token).start, (ctx.ix.toks[init.last] as Token).end) : undefined });
    }
    if (p === 'flax.linen.BatchNorm') return one({ kind: 'norm', norm: 'batch' });
    if (p === 'flax.linen.LayerNorm') return one({ kind: 'norm', norm: 'layer' });
    if (p === 'flax.linen.Dropout') return one({ kind: 'dropout', dropout: numValue(argNamed(args, ['rate'], 0)) ?? 0.5 });
  } else if (fw === 'tfjs') {
    if (p === 'tf.layers.dense') {
      const actArg = argNamed(args, ['activation']);
      const activation = stringActivation(ctx, actArg, 'tfjs');
      const init = argNamed(args, ['kernelInitializer']);
      return {
        layers: [{ kind: 'dense', label, ...span, units: widthOf(ctx, argNamed(args, ['units'])), activation, activationArg: actArg && activation ? { call, arg: actArg } : undefined, init: init ? ctx.ix.text.slice((ctx.ix.toks[init.first] as Token).start, (ctx.ix.toks[init.last] as Token).end) : undefined }],
        inputWidth: shapeWidth(ctx, argNamed(args, ['inputShape'])) ?? numValue(argNamed(args, ['inputDim'])),
      };
    }
    if (p === 'tf.layers.batchNormalization') return one({ kind: 'norm', norm: 'batch' });
    if (p === 'tf.layers.layerNormalization') return one({ kind: 'norm', norm: 'layer' });
    if (p === 'tf.layers.dropout') return one({ kind: 'dropout', dropout: numValue(argNamed(args, ['rate'])) ?? 0.5 });
    if (p === 'tf.layers.flatten') return one({ kind: 'ignore' });
  }
  const act = activationIdOf(ctx.ix, p) !== undefined ? activationAt(ctx, call.nameTok) : undefined;
  if (act) return one({ kind: 'activation', activation: act });
  return one({ kind: 'unknown' });
}

/** `N` of an enclosing `for _ in range(N):` (same line or the block above), else 1. */
export function loopCount(ctx: LintContext, offset: number): number {
  const line = lineOf(ctx, offset);
  const count = (m: RegExpExecArray | null): number | undefined => (m ? (/^\d+$/.test(m[1] as string) ? Number(m[1]) : resolveNumber(ctx, m[1] as string, offset)) : undefined);
  const own = count(/^\s*for\s+\w+\s+in\s+range\(\s*(?:0\s*,\s*)?(\w+)\s*\)\s*:/.exec(lineText(ctx, line)));
  if (own !== undefined) return own;
  const ind = indentOf(ctx, line);
  for (let l = line - 1; l >= 0 && l > line - 40; l--) {
    const txt = lineText(ctx, l);
    if (!txt.trim() || txt.trim().startsWith('#')) continue;
    if (indentOf(ctx, l) < ind) {
      return count(/^\s*for\s+\w+\s+in\s+range\(\s*(?:0\s*,\s*)?(\w+)\s*\)\s*:\s*$/.exec(txt)) ?? 1;
    }
  }
  return 1;
}
