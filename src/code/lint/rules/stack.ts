// AI004: five or more sigmoid/tanh layers in a row without normalization. Backprop through
// L such layers multiplies L factors σ′ ≤ 1/4 (tanh′ ≤ 1, ≪ 1 once saturated) into the
// first layer's gradient: 0.25⁵ ≈ 1e-3.
// AI005: initializer vs activation. Glorot/Xavier keeps Var(Wx) for a symmetric activation
// with slope 1 at 0; ReLU zeroes half of its input, so He (Var = 2/fan_in) is the match.
// SELU's self-normalizing fixed point (mean 0, variance 1) assumes LeCun normal (1/fan_in).
import type { Token } from '../../tokens';
import { idsWhere } from '../../../engine/activations/registry';
import { activationAt, findArchitectures, type ArchLayer, type Architecture } from '../architecture';
import { argNamed, argResolvedText, argText, strValue } from '../arguments';
import { activationIdOf, kerasKey } from '../calleePaths';
import type { Call, LintContext } from '../calls';

import { lookupString } from '../../paths';
import type { LintFinding, LintFix } from '../types';

// From the registry's tags (engine/activations defs), not listed here.
const SATURATING = idsWhere((t) => t.saturating === true);
export const RELU_FAMILY = idsWhere((t) => t.family === 'relu');
export const STACK_LIMIT = 5;

export function deepStackRule(ctx: LintContext, archs: readonly Architecture[] = findArchitectures(ctx)): LintFinding[] {
  const out: LintFinding[] = [];
  for (const arch of archs) {
    let run: ArchLayer[] = [];
    let reported = false;
    const flush = (): void => {
      if (run.length >= STACK_LIMIT && !reported) {
        const first = run[0] as ArchLayer;
        const names = [...new Set(run.map((l) => l.activation?.id ?? ''))].join('/');
        const factor = run.every((l) => l.activation?.id === 'sigmoid') ? ` (σ′ ≤ 1/4, so up to 4^-${run.length} ≈ ${Math.pow(0.25, run.length).toExponential(0)})` : '';
        out.push({
          code: 'AI004',
          severity: 'warning',
          start: first.start,
          end: first.end,
          fixes: switchFix(ctx, arch, run),
          message: `${run.length} ${names} layers in a row without normalization: the gradient reaching the first layers is a product of ${run.length} derivatives${factor} and vanishes. Use ReLU-family activations with He init, or add BatchNorm/LayerNorm between the layers.`,
        });
        reported = true;
      }
      run = [];
    };
    for (const l of arch.layers) {
      if (l.kind === 'dense' && !l.activation) continue;
      if (l.kind === 'dropout' || l.kind === 'ignore') continue;
      if (l.activation && SATURATING.has(l.activation.id)) {
        run.push(l);
        continue;
      }
      flush();
      reported = false;
    }
    flush();
  }
  out.push(...moduleListLoops(ctx));
  return out;
}

/**
 * `self.layers = nn.ModuleList([nn.Linear(h, h) for _ in range(8)])` applied in a loop
 * `for layer in self.layers: x = torch.sigmoid(layer(x))`: N saturating layers in a row.
 */
function moduleListLoops(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  const text = ctx.ix.text;
  const loop = /^([ \t]*)for\s+(\w+)\s+in\s+(self\.\w+|\w+)\s*:[ \t]*\n((?:\1[ \t]+.*\n?|[ \t]*\n)+)/gm;
  for (let m = loop.exec(text); m; m = loop.exec(text)) {
    const [, , v, list, body] = m as unknown as [string, string, string, string, string];
    const act = new RegExp(`(?:torch\\.|F\\.|nn\\.functional\\.)?(sigmoid|tanh)\\(\\s*${v}\\(`).exec(body) ?? new RegExp(`${v}\\([^)]*\\)\\s*\\.(sigmoid|tanh)\\(`).exec(body);
    if (!act || /norm|bn\d*\(/i.test(body)) continue;
    const def = new RegExp(`${list.replace('.', '\\.')}\\s*=\\s*(?:nn\\.|torch\\.nn\\.)?ModuleList\\(\\s*\\[[^\\]]*for\\s+\\w+\\s+in\\s+range\\(\\s*(?:\\d+\\s*,\\s*)?(\\w+)\\s*\\)`).exec(text);
    if (!def) continue;
    const nText = def[1] as string;
    let n = /^\d+$/.test(nText) ? Number(nText) : NaN;
    if (Number.isNaN(n)) {
      const lit = new RegExp(`(?:^|[(,\\s])${nText}\\s*(?::[^=,()]+)?=\\s*(\\d+)`, 'm').exec(text);
      n = lit ? Number(lit[1]) : NaN;
    }
    if (!(n >= STACK_LIMIT)) continue;
    const start = (m.index ?? 0) + (m[0] as string).indexOf(body) + (act.index ?? 0);
    out.push({
      code: 'AI004',
      severity: 'warning',
      start,
      end: start + (act[0] as string).length,
      fixes: [],
      message: `${n} ${act[1] as string} layers in a row without normalization (the loop over ${list}): the gradient reaching the first layers is a product of ${n} derivatives and vanishes. Use ReLU-family activations with He init, or add BatchNorm/LayerNorm between the layers.`,
    });
  }
  return out;
}

/**
 * "Switch to LeakyReLU": rewrites each saturating activation of the run in place, when every
 * one is written once (not repeated by a loop or comprehension). PyTorch modules become
 * nn.LeakyReLU(), Flax functions nn.leaky_relu, Keras/TF.js strings "relu".
 */
function switchFix(ctx: LintContext, arch: Architecture, run: readonly ArchLayer[]): LintFix[] {
  if (run.some((l) => l.repeated && l.repeated > 1)) return [];
  const text = ctx.ix.text;
  const edits: { start: number; end: number; newText: string }[] = [];
  for (const l of run) {
    if (l.activationArg) {
      const a = l.activationArg.arg;
      const t0 = ctx.ix.toks[a.first] as Token;
      const t1 = ctx.ix.toks[a.last] as Token;
      if (t0 !== t1 || t0.kind !== 'str') return [];
      const q = text[t0.start] === "'" ? "'" : '"';
      edits.push({ start: t0.start, end: t1.end, newText: `${q}relu${q}` });
      continue;
    }
    const src = text.slice(l.start, l.end);
    const m = /^((?:[\w]+\.)*)(Sigmoid|Tanh)\(\)$/.exec(src) ?? /^((?:[\w]+\.)*)(sigmoid|tanh)$/.exec(src);
    if (!m) return [];
    const prefix = m[1] ?? '';
    edits.push({ start: l.start, end: l.end, newText: arch.framework === 'torch' ? `${prefix}LeakyReLU()` : `${prefix}leaky_relu` });
  }
  const uniq = new Map(edits.map((e) => [e.start, e]));
  if (uniq.size !== edits.length) return [];
  const title = arch.framework === 'torch' ? 'Switch these layers to nn.LeakyReLU' : arch.framework === 'flax' ? 'Switch these layers to nn.leaky_relu' : 'Switch these layers to relu';
  return [{ title, edits: [...uniq.values()] }];
}

const GLOROT = /glorot|xavier|Glorot|Xavier/;
const LECUN = /lecun|LeCun|Lecun/;

/** Activation following each dense layer (its own `activation=` or the next activation layer). */
function denseActs(arch: Architecture): { dense: ArchLayer; act?: ArchLayer }[] {
  const out: { dense: ArchLayer; act?: ArchLayer }[] = [];
  arch.layers.forEach((l, i) => {
    if (l.kind !== 'dense') return;
    if (l.activation) return out.push({ dense: l, act: l });
    for (let j = i + 1; j < arch.layers.length; j++) {
      const n = arch.layers[j] as ArchLayer;
      if (n.kind === 'dense') break;
      if (n.kind === 'activation') return out.push({ dense: l, act: n });
    }
    return out.push({ dense: l });
  });
  return out;
}

/** Edit replacing an initializer argument value. */
function replaceInitFix(ctx: LintContext, c: Call, key: string, value: string, title: string): LintFix | undefined {
  const a = argNamed(c.args, [key]);
  const toks = ctx.ix.toks;
  if (a) return { title, edits: [{ start: (toks[a.first] as Token).start, end: (toks[a.last] as Token).end, newText: value }], preferred: true };
  // add it after the last argument
  const last = c.args[c.args.length - 1];
  if (!last) return { title, edits: [{ start: (toks[c.close] as Token).start, end: (toks[c.close] as Token).start, newText: `${key}=${value}` }], preferred: true };
  const sep = ctx.ix.lang === 'js' ? ': ' : '=';
  return { title, edits: [{ start: (toks[last.last] as Token).end, end: (toks[last.last] as Token).end, newText: `, ${key}${sep}${value}` }], preferred: true };
}

export function initMismatchRule(ctx: LintContext, archs: readonly Architecture[] = findArchitectures(ctx)): LintFinding[] {
  const out: LintFinding[] = [];
  const toks = ctx.ix.toks;
  const seen = new Set<number>();
  const push = (f: LintFinding): void => {
    if (seen.has(f.start)) return;
    seen.add(f.start);
    out.push(f);
  };
  // Keras / TF.js: initializer and activation on the same Dense layer
  for (const c of ctx.calls) {
    const k = kerasKey(c.path);
    const js = c.path === 'tf.layers.dense';
    if (c.method || !(js || k === 'keras.layers.Dense')) continue;
    const actArg = argNamed(c.args, ['activation'], js ? undefined : 1);
    const actS = strValue(actArg);
    const id = actS !== undefined ? lookupString(js ? 'tfjs' : 'keras', actS)?.id : actArg && toks[actArg.last]?.kind === 'name' ? activationAt(ctx, actArg.last)?.id : undefined;
    if (!id || !actArg) continue;
    const key = js ? 'kernelInitializer' : 'kernel_initializer';
    const initArg = argNamed(c.args, [key]);
    const init = initArg ? argResolvedText(ctx, initArg) : '';
    const q = js ? "'" : '"';
    const span = (a: { first: number; last: number }): { start: number; end: number } => ({ start: (toks[a.first] as Token).start, end: (toks[a.last] as Token).end });
    if (RELU_FAMILY.has(id) && initArg && GLOROT.test(init)) {
      const normal = /normal/i.test(init);
      const repl = js ? `${q}${normal ? 'heNormal' : 'heUniform'}${q}` : `${q}${normal ? 'he_normal' : 'he_uniform'}${q}`;
      push({ code: 'AI005', severity: 'information', ...span(initArg), fixes: [replaceInitFix(ctx, c, key, repl, `Use He initialization (${repl})`) as LintFix], message: `${actS ?? id} layer initialised with Glorot/Xavier: ReLU zeroes half the signal, so each layer halves the variance; He initialization (${repl}) is the match.` });
    }
    if (id === 'selu' && !LECUN.test(init)) {
      const repl = js ? `${q}leCunNormal${q}` : `${q}lecun_normal${q}`;
      const fix = replaceInitFix(ctx, c, key, repl, `Initialise with LeCun normal (${repl})`);
      push({ code: 'AI005', severity: 'information', ...span(actArg), fixes: fix ? [fix] : [], message: `SELU without LeCun normal initialization: SELU self-normalizes (mean 0, variance 1) only when the weights have variance 1/fan_in; ${init ? `${init} breaks that` : `the default ${js ? 'glorotUniform' : 'glorot_uniform'} does not give it`}.` });
    }
  }
  // Keras / TF.js: a Dense layer followed by a separate activation layer (`Activation("selu")`)
  for (const arch of archs) {
    if (arch.framework !== 'keras' && arch.framework !== 'tfjs') continue;
    for (const { dense, act } of denseActs(arch)) {
      const id = act?.activation?.id;
      if (!act || act === dense || !id) continue;
      const ctorCall = callAtOffset(ctx, dense.start);
      if (!ctorCall) continue;
      const js = arch.framework === 'tfjs';
      const key = js ? 'kernelInitializer' : 'kernel_initializer';
      const initArg = argNamed(ctorCall.args, [key]);
      const init = initArg ? argResolvedText(ctx, initArg) : '';
      const q = js ? "'" : '"';
      if (id === 'selu' && !LECUN.test(init)) {
        const repl = js ? `${q}leCunNormal${q}` : `${q}lecun_normal${q}`;
        const fix = replaceInitFix(ctx, ctorCall, key, repl, `Initialise the Dense layer with LeCun normal (${repl})`);
        push({ code: 'AI005', severity: 'information', start: act.start, end: act.end, fixes: fix ? [fix] : [], message: `SELU after a Dense layer without LeCun normal initialization: SELU self-normalizes (mean 0, variance 1) only when the weights have variance 1/fan_in; ${init ? `${init} breaks that` : `the default ${js ? 'glorotUniform' : 'glorot_uniform'} does not give it`}.` });
      } else if (RELU_FAMILY.has(id) && initArg && GLOROT.test(init)) {
        const normal = /normal/i.test(init);
        const repl = js ? `${q}${normal ? 'heNormal' : 'heUniform'}${q}` : `${q}${normal ? 'he_normal' : 'he_uniform'}${q}`;
        push({ code: 'AI005', severity: 'information', start: (toks[initArg.first] as Token).start, end: (toks[initArg.last] as Token).end, fixes: [replaceInitFix(ctx, ctorCall, key, repl, `Use He initialization (${repl})`) as LintFix], message: `Dense layer initialised with Glorot/Xavier and followed by ${act.activation?.name ?? id}: ReLU zeroes half the signal, so each layer halves the variance; He initialization (${repl}) is the match.` });
      }
    }
  }
  // Flax: nn.Dense(kernel_init=…) followed by the activation
  for (const arch of archs) {
    if (arch.framework !== 'flax') continue;
    for (const { dense, act } of denseActs(arch)) {
      const id = act?.activation?.id;
      const init = dense.init ?? '';
      const ctorCall = callAtOffset(ctx, dense.start);
      if (!ctorCall || !id) continue;
      const initArg = argNamed(ctorCall.args, ['kernel_init']);
      if (!initArg) continue;
      const span = { start: (toks[initArg.first] as Token).start, end: (toks[initArg.last] as Token).end };
      const m = /^(.*?)(?:glorot|xavier)_(uniform|normal)\(\)$/.exec(init);
      if (RELU_FAMILY.has(id) && GLOROT.test(init)) {
        const repl = m ? `${m[1] as string}he_${m[2] as string}()` : undefined;
        push({ code: 'AI005', severity: 'information', ...span, fixes: repl ? [{ title: `Use He initialization (${repl})`, edits: [{ ...span, newText: repl }], preferred: true }] : [], message: `${act?.activation?.name ?? id} after a Dense initialised with Glorot/Xavier: ReLU zeroes half the signal, so each layer halves the variance; He initialization is the match.` });
      }
      if (id === 'selu' && !LECUN.test(init)) {
        const pre = /^(.*\.)\w+(?:\(.*\))?$/s.exec(init)?.[1] ?? 'nn.initializers.';
        push({ code: 'AI005', severity: 'information', ...span, fixes: [{ title: 'Use LeCun normal (Flax\'s default)', edits: [{ ...span, newText: `${pre}lecun_normal()` }], preferred: true }], message: `SELU after a Dense initialised with ${init}: SELU self-normalizes only from LeCun normal (variance 1/fan_in), Flax's default kernel_init.` });
      }
    }
  }
  // PyTorch: nn.init calls vs the activations the file uses
  const used = new Set<string>();
  for (const c of ctx.calls) {
    const id = activationIdOf(ctx.ix, c.path ?? c.instanceOf);
    if (id) used.add(id);
    if (c.method && (c.name === 'relu' || c.name === 'tanh' || c.name === 'sigmoid')) used.add(c.name);
  }
  for (const s of toks) if (s.kind === 'str' && s.value && /^(?:relu|tanh|selu|leaky_relu)$/.test(s.value)) used.add(s.value);
  // Transformers initialise attention projections with Xavier on purpose: not a ReLU network's init
  const attention = /MultiheadAttention|Transformer|attention|attn/i.test(ctx.ix.text);
  const reluFile = [...used].some((u) => RELU_FAMILY.has(u)) && !used.has('tanh') && !used.has('selu') && !attention;
  // a SELU network: SELU is the file's hidden activation, not one option among others
  const seluFile = used.has('selu') && ![...used].some((u) => RELU_FAMILY.has(u) || u === 'gelu' || u === 'tanh' || u === 'silu' || u === 'elu');
  // the author already gives ReLU layers He (`kaiming_*(…, nonlinearity="relu")`): the Xavier
  // calls are for the other layers (an output layer, embeddings), on purpose
  const heForRelu = ctx.calls.some((c) => /^torch\.nn\.init\.kaiming_(?:normal|uniform)_?$/.test(c.path ?? '') && /relu/.test(strValue(argNamed(c.args, ['nonlinearity'], 3)) ?? ''));
  for (const c of ctx.calls) {
    const m = /^torch\.nn\.init\.(xavier_uniform_|xavier_normal_|kaiming_normal_|kaiming_uniform_|xavier_uniform|xavier_normal)$/.exec(c.path ?? '');
    if (!m) continue;
    const fn = m[1] as string;
    const w = argNamed(c.args, ['tensor'], 0);
    if (!w) continue;
    const target = argText(ctx, w);
    if (/bias/.test(target) || !/weight|kernel|\bW\b|\.w\b/.test(target)) continue;
    const span = { start: (toks[c.start] as Token).start, end: (toks[c.close] as Token).end };
    const prefix = ctx.ix.text.slice(span.start, (toks[c.nameTok] as Token).start);
    const gain = argNamed(c.args, ['gain'], 1);
    // embedding tables and output projections are not followed by a ReLU
    const notHidden = /embed|\bemb\b|proj(?:ection)?\b|head|classifier|logit|output|\bout\b|final/i.test(target);
    if (fn.startsWith('xavier') && reluFile && !heForRelu && !notHidden && !(gain && /relu/.test(argText(ctx, gain)))) {
      const normal = fn.includes('normal');
      const nl = used.has('leaky_relu') && !used.has('relu') ? 'leaky_relu' : 'relu';
      const repl = `${prefix}kaiming_${normal ? 'normal' : 'uniform'}_(${target}, nonlinearity="${nl}")`;
      push({ code: 'AI005', severity: 'information', ...span, fixes: [{ title: `Use He (Kaiming) initialization`, edits: [{ ...span, newText: repl }], preferred: true }], message: `Xavier/Glorot initialization in a ReLU network: ReLU zeroes half the signal, so each layer halves the activations' variance; He (kaiming_${normal ? 'normal' : 'uniform'}_ with nonlinearity="${nl}") is the match.` });
    }
    if (seluFile) {
      const nl = strValue(argNamed(c.args, ['nonlinearity'], fn.startsWith('kaiming') ? 3 : undefined));
      if (fn.startsWith('kaiming') && nl === 'linear') continue;
      const repl = `${prefix}kaiming_normal_(${target}, nonlinearity="linear")`;
      push({ code: 'AI005', severity: 'information', ...span, fixes: [{ title: 'Use LeCun normal (kaiming_normal_ with nonlinearity="linear")', edits: [{ ...span, newText: repl }], preferred: true }], message: `SELU network initialised with ${fn}${nl ? `(nonlinearity="${nl}")` : ''}: SELU self-normalizes only from LeCun normal (variance 1/fan_in), which PyTorch spells kaiming_normal_(w, nonlinearity="linear").` });
    }
  }
  // PyTorch SELU stacks left at nn.Linear's default init (U(±1/√fan_in): variance 1/(3·fan_in))
  const explicitInit = ctx.calls.some((c) => /^torch\.nn\.init\.\w+$/.test(c.path ?? '') && !/bias/.test(c.args[0] ? argText(ctx, c.args[0]) : ''));
  if (!explicitInit) {
    for (const arch of archs) {
      if (arch.framework !== 'torch' || arch.layers.filter((l) => l.kind === 'dense').length < 2) continue;
      const selu = arch.layers.find((l) => l.activation?.id === 'selu');
      if (!selu) continue;
      push({ code: 'AI005', severity: 'information', start: selu.start, end: selu.end, fixes: [], message: 'SELU with PyTorch\'s default nn.Linear initialization (uniform ±1/√fan_in, variance 1/(3·fan_in)): SELU self-normalizes only from LeCun normal (variance 1/fan_in). Initialise the weights with nn.init.kaiming_normal_(w, nonlinearity="linear").' });
      break;
    }
  }
  return out;
}

function callAtOffset(ctx: LintContext, offset: number): Call | undefined {
  return ctx.calls.find((c) => (ctx.ix.toks[c.start] as Token).start === offset && !c.method && !!(kerasKey(c.path) || c.path?.startsWith('flax.') || c.path?.startsWith('tf.layers.')));
}
