// AI001: an activation applied to the model's output right before a loss that expects
// logits. `nn.CrossEntropyLoss` = NLL(log_softmax(x)); feeding it softmax(x) computes
// log_softmax(softmax(x)): outputs squashed into [0, 1], gradients shrunk, training stalls.
// Found three ways: the loss's logits argument is (or is a variable holding) an activation
// call; the model (Sequential / last Keras layer / forward's return) ends in an activation
// and the file uses a logits loss of the matching kind.
import type { Arg } from '../../literals';
import type { Token } from '../../tokens';
import { bindingAt } from '../../docIndex';
import { findArchitectures, type ArchLayer, type Architecture } from '../architecture';
import { argNamed, removeArgEdit, strValue, tokSpan } from '../arguments';
import { activationIdOf, kerasKey } from '../calleePaths';
import { LINT_RESOLVE, type Call, type LintContext } from '../calls';
import { assignmentRegion, indentOf, lineOf } from '../sourceLines';
import { lookupString } from '../../paths';
import { resolveNames } from '../../names';
import type { LintFinding, LintFix } from '../types';
import { classAt, classAttrCtor, componentClass, returnsOf, traceValue, visibleFrom, type FlowProbe } from '../flow';
import { compilesOf } from '../kerasCompile';

type LossKind = 'multi' | 'binary';
interface LossInfo {
  readonly kind: LossKind;
  readonly pos: number;
  readonly kw: readonly string[];
  readonly label: string;
}

const OPTAX: Readonly<Record<string, LossInfo>> = {
  'optax.softmax_cross_entropy': { kind: 'multi', pos: 0, kw: ['logits'], label: 'optax.softmax_cross_entropy' },
  'optax.softmax_cross_entropy_with_integer_labels': { kind: 'multi', pos: 0, kw: ['logits'], label: 'optax.softmax_cross_entropy_with_integer_labels' },
  'optax.sigmoid_binary_cross_entropy': { kind: 'binary', pos: 0, kw: ['logits'], label: 'optax.sigmoid_binary_cross_entropy' },
};

const FUNCTIONS: Readonly<Record<string, LossInfo>> = {
  'torch.nn.functional.cross_entropy': { kind: 'multi', pos: 0, kw: ['input'], label: 'F.cross_entropy' },
  'torch.nn.functional.binary_cross_entropy_with_logits': { kind: 'binary', pos: 0, kw: ['input'], label: 'F.binary_cross_entropy_with_logits' },
  'tf.nn.softmax_cross_entropy_with_logits': { kind: 'multi', pos: 1, kw: ['logits'], label: 'tf.nn.softmax_cross_entropy_with_logits' },
  'tf.nn.softmax_cross_entropy_with_logits_v2': { kind: 'multi', pos: 1, kw: ['logits'], label: 'tf.nn.softmax_cross_entropy_with_logits' },
  'tf.nn.sparse_softmax_cross_entropy_with_logits': { kind: 'multi', pos: 1, kw: ['logits'], label: 'tf.nn.sparse_softmax_cross_entropy_with_logits' },
  'tf.nn.sigmoid_cross_entropy_with_logits': { kind: 'binary', pos: 1, kw: ['logits'], label: 'tf.nn.sigmoid_cross_entropy_with_logits' },
  ...OPTAX,
  // optax.losses.X is the same function as optax.X
  ...Object.fromEntries(Object.entries(OPTAX).map(([k, v]) => [k.replace(/^optax\./, 'optax.losses.'), v])),
  'tf.losses.softmaxCrossEntropy': { kind: 'multi', pos: 1, kw: [], label: 'tf.losses.softmaxCrossEntropy' },
  'tf.losses.sigmoidCrossEntropy': { kind: 'binary', pos: 1, kw: [], label: 'tf.losses.sigmoidCrossEntropy' },
};

/** Loss classes whose instances take logits (torch always; Keras with from_logits=True). */
const CLASSES: Readonly<Record<string, LossInfo>> = {
  'torch.nn.CrossEntropyLoss': { kind: 'multi', pos: 0, kw: ['input'], label: 'nn.CrossEntropyLoss' },
  'torch.nn.BCEWithLogitsLoss': { kind: 'binary', pos: 0, kw: ['input'], label: 'nn.BCEWithLogitsLoss' },
};
const KERAS_CLASSES: Readonly<Record<string, LossKind>> = {
  CategoricalCrossentropy: 'multi',
  SparseCategoricalCrossentropy: 'multi',
  CategoricalFocalCrossentropy: 'multi',
  BinaryCrossentropy: 'binary',
  BinaryFocalCrossentropy: 'binary',
};
const KERAS_FUNCTIONS: Readonly<Record<string, LossKind>> = {
  categorical_crossentropy: 'multi',
  sparse_categorical_crossentropy: 'multi',
  categorical_focal_crossentropy: 'multi',
  binary_crossentropy: 'binary',
  binary_focal_crossentropy: 'binary',
};

const OUTPUT_ACTS = new Set(['softmax', 'log_softmax', 'sigmoid', 'relu', 'log_sigmoid']);
const METHOD_ACTS = new Set(['softmax', 'log_softmax', 'sigmoid', 'relu', 'sigmoid_', 'relu_']);

function fromLogits(args: readonly Arg[]): boolean {
  const a = argNamed(args, ['from_logits']);
  return !!a && a.value.kind === 'value' && a.value.value === true;
}

function kerasLossName(path: string | undefined): { fn?: string; cls?: string } {
  const k = kerasKey(path);
  if (!k) return {};
  const m = /^keras\.(?:losses|backend|metrics)\.(\w+)$/.exec(k);
  if (!m) return {};
  const n = m[1] as string;
  return KERAS_CLASSES[n] ? { cls: n } : KERAS_FUNCTIONS[n] ? { fn: n } : {};
}

/** A loss *application*: the call that receives the predictions, and which argument they are. */
function lossApplication(ctx: LintContext, c: Call): LossInfo | undefined {
  if (c.method) return undefined;
  if (c.path) {
    const f = FUNCTIONS[c.path];
    if (f) return f;
    const kf = kerasLossName(c.path).fn;
    if (kf && fromLogits(c.args)) return { kind: KERAS_FUNCTIONS[kf] as LossKind, pos: 1, kw: ['y_pred', 'output'], label: `keras.losses.${kf}(from_logits=True)` };
    return undefined;
  }
  if (c.instanceOf) {
    const cls = CLASSES[c.instanceOf];
    if (cls) return cls;
    const kc = kerasLossName(c.instanceOf).cls;
    const ctor = c.ctorOpen !== undefined ? ctx.byOpen.get(c.ctorOpen) : undefined;
    if (kc && ctor && fromLogits(ctor.args)) return { kind: KERAS_CLASSES[kc] as LossKind, pos: 1, kw: ['y_pred'], label: `${kc}(from_logits=True)` };
  }
  return undefined;
}

const LOSS_NAMES = new Set(Object.keys(FUNCTIONS).map((p) => p.slice(p.lastIndexOf('.') + 1)));

/** Logits losses the file creates or calls (for the model-level check). */
function lossesInFile(ctx: LintContext): { kind: LossKind; label: string }[] {
  const out: { kind: LossKind; label: string }[] = [];
  // passed by reference: `model.compile({loss: tf.losses.softmaxCrossEntropy})`, `loss=optax.softmax_cross_entropy`
  const toks = ctx.ix.toks;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind !== 'name' || !LOSS_NAMES.has(t.text) || toks[i + 1]?.text === '(' || toks[i + 1]?.text === '.') continue;
    let s = i;
    while (toks[s - 1]?.text === '.' && toks[s - 2]?.kind === 'name') s -= 2;
    const path = resolveNames(ctx.ix, s, i, LINT_RESOLVE)?.path;
    const f = path ? FUNCTIONS[path] : undefined;
    if (f) out.push(f);
  }
  for (const c of ctx.calls) {
    if (c.method || !c.path) continue;
    const f = FUNCTIONS[c.path] ?? CLASSES[c.path];
    if (f) out.push(f);
    const k = kerasLossName(c.path);
    if ((k.cls || k.fn) && fromLogits(c.args)) out.push({ kind: (k.cls ? KERAS_CLASSES[k.cls] : KERAS_FUNCTIONS[k.fn as string]) as LossKind, label: `${k.cls ?? k.fn}(from_logits=True)` });
  }
  return out;
}

/** The activation a call applies (`F.softmax(x, 1)`, `x.sigmoid()`, `self.act(x)`), with its input. */
export function activationCall(ctx: LintContext, c: Call): { id: string; input?: string } | undefined {
  const toks = ctx.ix.toks;
  const text = ctx.ix.text;
  const argSrc = (a: Arg | undefined): string | undefined => (a ? text.slice((toks[a.first] as Token).start, (toks[a.last] as Token).end) : undefined);
  if (c.method) {
    if (!METHOD_ACTS.has(c.name) || !(ctx.ix.frameworks.has('torch') || ctx.ix.frameworks.size === 0)) return undefined;
    const recv = text.slice((toks[c.start] as Token).start, (toks[c.nameTok - 2] as Token).end);
    return { id: c.name.replace(/_$/, ''), input: recv };
  }
  const path = c.path ?? c.instanceOf;
  const id = activationIdOf(ctx.ix, path);
  if (!id || !OUTPUT_ACTS.has(id)) return undefined;
  if (c.instanceOf || /\.[A-Z]\w*$/.test(path ?? '')) {
    // a module instance called on the input (`self.softmax(x)`), or `nn.Softmax(dim=1)(x)`
    if (c.path) return undefined; // a constructor, not an application
    return { id, input: argSrc(c.args[0]) };
  }
  return { id, input: argSrc(argNamed(c.args, ['input', 'x', 'logits', 'features'], 0)) };
}

export function replaceWithInput(ctx: LintContext, c: Call, input: string | undefined, id: string): LintFix[] {
  if (!input) return [];
  const span = tokSpan(ctx, c.start, c.close);
  return [{ title: `Remove the ${id} (pass the logits to the loss)`, edits: [{ ...span, newText: input }], preferred: true }];
}

/** The last layer of a Sequential when it is an output activation (dropout skipped). */
export function lastLayerAct(layers: readonly ArchLayer[]): ArchLayer | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i] as ArchLayer;
    if (l.kind === 'dropout' || l.kind === 'ignore') continue;
    if (l.activation && OUTPUT_ACTS.has(l.activation.id)) return l;
    return undefined;
  }
  return undefined;
}

/** Removes an activation layer (or a Dense's activation= argument). */
export function layerFix(ctx: LintContext, l: ArchLayer): LintFix[] {
  if (l.activationArg) return [{ title: `Remove activation=${l.activation?.name ?? ''} (output logits)`, edits: [removeArgEdit(ctx, l.activationArg.call, l.activationArg.arg)], preferred: true }];
  if (l.elem) return [{ title: `Remove the ${l.activation?.name ?? 'activation'} layer (output logits)`, edits: [removeArgEdit(ctx, l.elem.call, l.elem.arg)], preferred: true }];
  return [];
}

/** An activation site found by data flow: where it is, which activation, how to remove it. */
export interface ActSite {
  readonly start: number;
  readonly end: number;
  readonly id: string;
  readonly fixes: LintFix[];
}

/** `self.act(x)` where the class body says `act = nn.Sigmoid()` (a class attribute). */
function classAttrActivation(ctx: LintContext, c: Call): { id: string; input?: string } | undefined {
  const ctor = classAttrCtor(ctx, c);
  const id = ctor ? activationIdOf(ctx.ix, ctor.path) : undefined;
  if (!id || !OUTPUT_ACTS.has(id) || !/\.[A-Z]\w*$/.test(ctor?.path ?? '')) return undefined;
  const a = c.args[0];
  return { id, input: a ? ctx.ix.text.slice((ctx.ix.toks[a.first] as Token).start, (ctx.ix.toks[a.last] as Token).end) : undefined };
}

/** The probe the data-flow tracer uses: activation calls and Sequentials ending in an activation. */
export function actProbe(ctx: LintContext, archs: readonly Architecture[]): FlowProbe<ActSite> {
  const toks = ctx.ix.toks;
  return {
    activation: (c) => {
      const a = activationCall(ctx, c) ?? classAttrActivation(ctx, c);
      return a ? { ...tokSpan(ctx, c.start, c.close), id: a.id, fixes: replaceWithInput(ctx, c, a.input, a.id) } : undefined;
    },
    sequentialEnd: (ctor) => {
      const arch = archs.find((ar) => ar.start === (toks[ctor.start] as Token).start);
      const l = arch ? lastLayerAct(arch.layers) : undefined;
      if (l?.activation) return { start: l.start, end: l.end, id: l.activation.id, fixes: layerFix(ctx, l) };
      if (arch || !/(?:^|\.)Sequential$/.test(ctor.path ?? '')) return undefined;
      // a Sequential the architecture reader skips (convolutions only): read its last element
      const els = ctor.args.filter((x) => !x.name && !x.spread);
      const last = els[els.length - 1];
      const lc = last && toks[last.last]?.text === ')' ? ctx.byOpen.get(ctx.ix.partner[last.last] as number) : undefined;
      const id = lc && lc.start === last?.first && !lc.method ? activationIdOf(ctx.ix, lc.path) : undefined;
      if (!last || !id || !OUTPUT_ACTS.has(id)) return undefined;
      return { ...tokSpan(ctx, last.first, last.last), id, fixes: [{ title: `Remove the ${id} layer (output logits)`, edits: [removeArgEdit(ctx, ctor, last)], preferred: true }] };
    },
  };
}

const what = (id: string): string => (id === 'log_softmax' ? 'log_softmax' : id);

export function logitsRule(ctx: LintContext, archs: readonly Architecture[] = findArchitectures(ctx)): LintFinding[] {
  const out: LintFinding[] = [];
  const seen = new Set<number>();
  const toks = ctx.ix.toks;
  const push = (start: number, end: number, id: string, loss: string, fixes: LintFix[]): void => {
    if (seen.has(start)) return;
    seen.add(start);
    const extra = id === 'log_softmax' ? ' (redundant: the loss applies log_softmax itself)' : id === 'relu' ? ' (negative logits are cut to 0, so the loss cannot push classes down)' : '';
    out.push({ code: 'AI001', severity: 'warning', start, end, fixes, target: { kind: 'explorer', id, framework: ctx.ix.frameworks.has('torch') || ctx.ix.frameworks.size === 0 ? 'torch' : ctx.ix.frameworks.has('keras') ? 'keras' : ctx.ix.frameworks.has('jax') ? 'jax' : 'tf' }, message: `${what(id)} is applied to the output before ${loss}, which expects raw logits and applies its own ${loss.includes('inary') || loss.includes('BCE') || loss.includes('sigmoid') ? 'sigmoid' : 'log-softmax'}${extra}.` });
  };
  const layerFixOf = (l: ArchLayer): LintFix[] => layerFix(ctx, l);
  const probe = actProbe(ctx, archs);

  // 1. data flow into the loss's logits argument
  for (const c of ctx.calls) {
    const loss = lossApplication(ctx, c);
    if (!loss) continue;
    const a = argNamed(c.args, loss.kw, loss.pos);
    if (!a) continue;
    const src = sourceCall(ctx, a.first, a.last, (toks[a.first] as Token).start, 0);
    const act = src ? activationCall(ctx, src) : undefined;
    if (src && act) {
      const span = tokSpan(ctx, src.start, src.close);
      push(span.start, span.end, act.id, loss.label, replaceWithInput(ctx, src, act.input, act.id));
      continue;
    }
    // `criterion(model(x), y)` where model = nn.Sequential(..., nn.Softmax(dim=1))
    const ctor = src?.instanceOf && src.ctorOpen !== undefined ? ctx.byOpen.get(src.ctorOpen) : undefined;
    if (ctor) {
      const arch = archs.find((ar) => ar.start === (toks[ctor.start] as Token).start);
      const l = arch ? lastLayerAct(arch.layers) : undefined;
      if (l?.activation) push(l.start, l.end, l.activation.id, loss.label, layerFixOf(l));
      if (l?.activation) continue;
    }
    // further back: through variables, tuple returns, module attributes and the model's forward
    const site = ctx.ix.lang === 'python' ? traceValue(ctx, probe, a.first, a.last, (toks[a.first] as Token).start) : undefined;
    if (site && (loss.kind === 'multi' ? site.id === 'softmax' || site.id === 'log_softmax' : site.id === 'sigmoid' || site.id === 'log_sigmoid')) push(site.start, site.end, site.id, loss.label, site.fixes);
  }

  // 1b. softmax into a loss that expects log-probabilities (nn.NLLLoss, F.nll_loss)
  for (const c of ctx.calls) {
    const nll = !c.method && (c.path === 'torch.nn.functional.nll_loss' || c.instanceOf === 'torch.nn.NLLLoss');
    const a = nll ? argNamed(c.args, ['input'], 0) : undefined;
    const src = a ? sourceCall(ctx, a.first, a.last, (toks[a.first] as Token).start, 0) : undefined;
    const act = src ? activationCall(ctx, src) : undefined;
    if (!src || act?.id !== 'softmax') continue;
    const span = tokSpan(ctx, src.start, src.close);
    // rename the function, or the module where the instance was made (`nn.Softmax(dim=1)`)
    const ctor = src.instanceOf && src.ctorOpen !== undefined ? ctx.byOpen.get(src.ctorOpen) : undefined;
    const nameTok = toks[ctor ? ctor.nameTok : src.nameTok] as Token;
    const fixes = renameToLog(nameTok);
    if (seen.has(span.start)) continue;
    seen.add(span.start);
    out.push({ code: 'AI001', severity: 'warning', ...span, fixes, target: { kind: 'explorer', id: 'log_softmax', framework: 'torch' }, message: 'softmax is applied before NLLLoss, which expects log-probabilities: it computes −p instead of −log p, so the gradients are wrong. Use log_softmax (or drop it and use CrossEntropyLoss on the logits).' });
  }

  // a Sequential ending in nn.Softmax trained with NLLLoss
  if (ctx.calls.some((c) => !c.method && (c.path === 'torch.nn.NLLLoss' || c.path === 'torch.nn.functional.nll_loss'))) {
    for (const arch of archs) {
      const l = arch.framework === 'torch' && arch.form !== 'functional' ? lastLayerAct(arch.layers) : undefined;
      if (l?.activation?.id !== 'softmax' || !isWholeModel(ctx, arch, 'softmax') || seen.has(l.start)) continue;
      seen.add(l.start);
      const c = ctx.calls.find((x) => (toks[x.start] as Token).start === l.start && !x.method);
      out.push({ code: 'AI001', severity: 'warning', start: l.start, end: l.end, fixes: c ? renameToLog(toks[c.nameTok] as Token) : [], target: { kind: 'explorer', id: 'log_softmax', framework: 'torch' }, message: 'The model ends in softmax and is trained with NLLLoss, which expects log-probabilities: it computes −p instead of −log p, so the gradients are wrong. Use LogSoftmax (or drop it and use CrossEntropyLoss on the logits).' });
    }
  }

  // 2. the model ends in an activation and the file trains with a logits loss
  const losses = lossesInFile(ctx);
  if (losses.length === 0) return out;
  const matching = (id: string): { kind: LossKind; label: string } | undefined => losses.find((l) => sameKind(l, id));
  const compiles = ctx.calls.some((c) => c.method && c.name === 'compile');
  for (const arch of archs) {
    // a chain of statements may continue in a `return` (PyTorch forward): only a Keras
    // functional output layer with its own activation is known to be the model's last
    if (arch.form === 'functional' && (arch.framework !== 'keras' || !arch.layers[arch.layers.length - 1]?.activationArg)) continue;
    const l = lastLayerAct(arch.layers);
    let loss = l?.activation ? matching(l.activation.id) : undefined;
    // Keras trains through compile(): when the file compiles models, only the loss this model
    // is compiled with counts (a guide's other model, compiled from_logits, says nothing)
    if (loss && l?.activation && arch.framework === 'keras' && compiles) loss = compiledLogitsLoss(ctx, arch, l.activation.id);
    // elsewhere, when losses are made or applied where the model's variable holds (a notebook
    // cell: `model = nn.Sequential(…, nn.LogSoftmax(dim=1))`, `criterion = nn.NLLLoss()`), those
    // are its losses; a logits loss of an earlier cell's model says nothing about it
    else if (loss && l?.activation && arch.framework !== 'keras') {
      const own = lossesWhereHeld(ctx, arch);
      if (own) loss = own.find((x) => sameKind(x, l.activation?.id ?? ''));
    }
    if (!l?.activation || !loss || !isWholeModel(ctx, arch, l.activation.id)) continue;
    push(l.start, l.end, l.activation.id, loss.label, layerFixOf(l));
  }
  // 3. forward()/call() returns an activation (directly, or the variable it was assigned to)
  const wholeCall = (first: number): Call | undefined => {
    let j = first;
    while (j < toks.length && toks[j]?.kind !== 'nl') j++;
    if (toks[j - 1]?.text !== ')') return undefined;
    const c = ctx.byOpen.get(ctx.ix.partner[j - 1] as number);
    return c && c.start === first ? c : undefined;
  };
  for (let i = 0; i < toks.length - 2; i++) {
    const t = toks[i] as Token;
    if (t.text !== 'def' || !['forward', '__call__', 'call'].includes(toks[i + 1]?.text ?? '')) continue;
    // a module-level `def forward(model, x)` is an inference helper, not a model's forward
    if (ctx.ix.lang === 'python' && !classAt(ctx, t.start)) continue;
    const ret = lastReturn(ctx, i);
    if (ret < 0) continue;
    // `if train: return z` … `return tf.sigmoid(z)`: another return gives the logits, the
    // activation is an inference branch
    if (returnsOf(ctx, i).length > 1) continue;
    // a layer that computes its own loss on the logits (`self.add_loss(self.loss_fn(y, logits))`)
    // and returns the activation for prediction
    if (callsLoss(ctx, i, ret)) continue;
    let c = wholeCall(ret + 1);
    const r1 = toks[ret + 1];
    if (!c && r1?.kind === 'name' && (!toks[ret + 2] || toks[ret + 2]?.kind === 'nl')) {
      const b = bindingAt(ctx.ix, r1.text, r1.start);
      // bound inside a branch (`if not is_training: x = softmax(x)`): one path of two, inference
      const at = b?.kind === 'expr' ? (toks[b.tok] as Token).start : -1;
      if (b?.kind === 'expr' && at > t.start && indentOf(ctx, lineOf(ctx, at)) <= indentOf(ctx, lineOf(ctx, r1.start))) c = wholeCall(b.tok);
    }
    if (!c) continue;
    // a part of another module (an attention block returning its weights) is not the model
    if (ctx.ix.lang === 'python' && componentClass(ctx, classAt(ctx, t.start)?.name)) continue;
    const act = activationCall(ctx, c);
    if (act) {
      // a block's forward ending in relu (a residual block) says nothing about the model's
      // output; a relu reaching the loss is found by the data flow above
      const loss = act.id === 'relu' ? undefined : matching(act.id);
      if (loss) {
        const span = tokSpan(ctx, c.start, c.close);
        push(span.start, span.end, act.id, loss.label, replaceWithInput(ctx, c, act.input, act.id));
      }
      continue;
    }
    // Keras subclass: `return self.out(x)` with `self.out = Dense(10, activation="softmax")`
    const ctor = c.instanceOf && kerasKey(c.instanceOf) === 'keras.layers.Dense' && c.ctorOpen !== undefined ? ctx.byOpen.get(c.ctorOpen) : undefined;
    const a = ctor ? argNamed(ctor.args, ['activation'], 1) : undefined;
    const name = strValue(a);
    const id = name ? lookupString('keras', name)?.id : undefined;
    const loss = id && OUTPUT_ACTS.has(id) ? matching(id) : undefined;
    if (ctor && a && id && loss) {
      const span = tokSpan(ctx, a.first, a.last);
      push(span.start, span.end, id, loss.label, [{ title: `Remove activation=${name ?? ''} (output logits)`, edits: [removeArgEdit(ctx, ctor, a)], preferred: true }]);
    }
  }
  return out;
}

/** Whether a logits loss of this kind undoes activation `id` (a relu spoils either kind). */
function sameKind(l: { kind: LossKind }, id: string): boolean {
  return id === 'relu' || (l.kind === 'multi' ? id === 'softmax' || id === 'log_softmax' : id === 'sigmoid' || id === 'log_sigmoid');
}

const TORCH_LOSS = /^torch\.nn\.(?:\w*Loss|functional\.(?:\w+_loss|\w*cross_entropy\w*|kl_div))$/; // any torch loss: nn.NLLLoss, F.mse_loss, …

/** The logits losses made or applied where a (non-Keras) model's variable holds, if any loss is; else undefined (the file's count). */
function lossesWhereHeld(ctx: LintContext, arch: Architecture): { kind: LossKind; label: string }[] | undefined {
  if (!arch.name || ctx.ix.lang !== 'python') return undefined;
  const region = assignmentRegion(ctx, arch.name, lineOf(ctx, arch.start));
  const toks = ctx.ix.toks;
  let any = false;
  const out: { kind: LossKind; label: string }[] = [];
  for (const c of ctx.calls) {
    if (c.method || (toks[c.start] as Token).start < arch.end || (toks[c.start] as Token).start >= region.end) continue;
    const p = c.path ?? c.instanceOf;
    const f = c.path ? FUNCTIONS[c.path] ?? CLASSES[c.path] : c.instanceOf ? CLASSES[c.instanceOf] : undefined;
    if (f) out.push(f);
    if (f || (p && TORCH_LOSS.test(p))) any = true;
  }
  return any ? out : undefined;
}

/** The logits loss the Keras model `arch` is compiled with, matching activation `id`; undefined when it is compiled with another loss or cannot be followed. */
function compiledLogitsLoss(ctx: LintContext, arch: Architecture, id: string): { kind: LossKind; label: string } | undefined {
  for (const { loss } of compilesOf(ctx, arch) ?? []) {
    const l = loss ? logitsLossValue(ctx, loss) : undefined;
    if (l && (id === 'relu' || (l.kind === 'multi' ? id === 'softmax' || id === 'log_softmax' : id === 'sigmoid' || id === 'log_sigmoid'))) return l;
  }
  return undefined;
}

/** A `loss=` value that takes logits: `BinaryCrossentropy(from_logits=True)`, a variable bound to one, or a logits function by reference. */
function logitsLossValue(ctx: LintContext, a: Arg, depth = 0): { kind: LossKind; label: string } | undefined {
  const toks = ctx.ix.toks;
  const c = ctx.calls.find((x) => x.start === a.first && !x.method && x.close === a.last);
  if (c?.path) {
    const k = kerasLossName(c.path);
    if ((k.cls || k.fn) && fromLogits(c.args)) return { kind: (k.cls ? KERAS_CLASSES[k.cls] : KERAS_FUNCTIONS[k.fn as string]) as LossKind, label: `${k.cls ?? k.fn}(from_logits=True)` };
    return undefined;
  }
  if (c || a.value.kind === 'value') return undefined;
  const path = resolveNames(ctx.ix, a.first, a.last, LINT_RESOLVE)?.path;
  const f = path ? FUNCTIONS[path] : undefined;
  if (f) return f;
  const t = toks[a.first] as Token;
  if (depth > 3 || a.first !== a.last || t.kind !== 'name') return undefined;
  const b = bindingAt(ctx.ix, t.text, t.start);
  if (b?.kind !== 'expr') return undefined;
  const bound = ctx.calls.find((x) => x.start === b.tok && !x.method);
  return bound ? logitsLossValue(ctx, { first: bound.start, last: bound.close, value: { kind: 'symbol', text: t.text } }, depth + 1) : undefined;
}

/** Whether the method whose `def` is token `def` calls a loss before its last return (`self.loss_fn(...)`, `self.add_loss(...)`). */
function callsLoss(ctx: LintContext, def: number, ret: number): boolean {
  return ctx.calls.some((c) => c.open > def && c.open < ret && /loss|criterion/i.test(c.name));
}

/**
 * Whether a Sequential is the model itself rather than a block inside one (a feature
 * extractor ending in ReLU, an SE gate ending in a sigmoid): a module-level model, or the
 * attribute forward() returns. A trailing ReLU also needs a model-like name.
 */
function isWholeModel(ctx: LintContext, arch: Architecture, id: string): boolean {
  const name = arch.name ?? '';
  if (/feature|encoder|backbone|body|trunk|embed|gate|attn|attention|block|stem|se\b|excit/i.test(name)) return false;
  if (id === 'relu' && !/model|net|classifier|clf|head|mlp|disc|critic/i.test(name)) return false;
  if (arch.framework !== 'torch') return true;
  if (!name.startsWith('self.')) return true;
  // self.X = nn.Sequential(...): the model only if forward returns self.X(...)
  const attr = name.slice(5);
  return new RegExp(`return\\s+self\\.${attr}\\(`).test(ctx.ix.text);
}

/** `softmax` → `log_softmax`, `Softmax` → `LogSoftmax`. */
function renameToLog(t: Token): LintFix[] {
  if (t.text !== 'softmax' && t.text !== 'Softmax') return [];
  return [{ title: t.text === 'Softmax' ? 'Use nn.LogSoftmax' : 'Use log_softmax', edits: [{ start: t.start, end: t.end, newText: t.text === 'Softmax' ? 'LogSoftmax' : 'log_softmax' }], preferred: true }];
}

// Methods that only reshape or cast: `torch.sigmoid(out).squeeze(1)` is still the sigmoid.
const SHAPE_METHODS = new Set(['squeeze', 'unsqueeze', 'view', 'reshape', 'flatten', 'float', 'double', 'half', 'contiguous', 'permute', 'transpose', 't', 'to', 'type', 'view_as', 'reshape_as', 'cpu', 'cuda', 'squeeze_', 'unsqueeze_']);

/**
 * The call that produces the value in tokens [first, last]: the expression itself, through
 * reshaping methods, or the assignment of a variable (bound before `at`).
 */
function sourceCall(ctx: LintContext, first: number, last: number, at: number, depth: number): Call | undefined {
  if (depth > 6) return undefined;
  const toks = ctx.ix.toks;
  const t = toks[first];
  if (!t) return undefined;
  if (first === last && t.kind === 'name') {
    const b = bindingAt(ctx.ix, t.text, at);
    if (b?.kind !== 'expr' || !visibleFrom(ctx, t.text, (toks[b.tok] as Token).start, at)) return undefined;
    let j = b.tok;
    while (j < toks.length && toks[j]?.kind !== 'nl') j++;
    // names inside that expression refer to bindings made before its statement
    const lineStart = ctx.ix.text.lastIndexOf('\n', (toks[b.tok] as Token).start) + 1;
    return sourceCall(ctx, b.tok, j - 1, lineStart - 1, depth + 1);
  }
  if (toks[last]?.text !== ')') return undefined;
  const c = ctx.byOpen.get(ctx.ix.partner[last] as number);
  if (!c || c.start !== first) return undefined;
  if (c.method && SHAPE_METHODS.has(c.name) && c.nameTok - 2 >= c.start) return sourceCall(ctx, c.start, c.nameTok - 2, at, depth + 1) ?? c;
  return c;
}

/** Token index of the last `return` in the body of the `def` at token `def`. */
function lastReturn(ctx: LintContext, def: number): number {
  const toks = ctx.ix.toks;
  const defLine = lineOf(ctx, (toks[def] as Token).start);
  const ind = indentOf(ctx, defLine);
  let found = -1;
  for (let k = def + 2; k < toks.length; k++) {
    const t = toks[k] as Token;
    if (t.kind === 'nl') continue;
    const line = lineOf(ctx, t.start);
    if (line > defLine && toks[k - 1]?.kind === 'nl' && indentOf(ctx, line) <= ind) break;
    if (t.text === 'return' && toks[k - 1]?.kind === 'nl') found = k;
    else if (t.text === 'def' && line > defLine && indentOf(ctx, line) > ind) {
      // a nested function: its returns are not forward's
      const inner = indentOf(ctx, line);
      while (k + 1 < toks.length) {
        const u = toks[k + 1] as Token;
        if (u.kind !== 'nl' && toks[k]?.kind === 'nl' && indentOf(ctx, lineOf(ctx, u.start)) <= inner) break;
        k++;
      }
    }
  }
  return found;
}
