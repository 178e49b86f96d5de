// AI003: zero or constant initialization of weights. With W = c every unit of a layer
// computes the same function and receives the same gradient, so gradient descent can never
// make them differ (and with c = 0 ReLU layers pass no gradient at all). Biases and the
// scale of normalization layers (γ = 1) are initialised to constants on purpose: skipped.
import type { Arg } from '../../literals';
import type { Token } from '../../tokens';
import { argNamed, argResolvedText, argText, strValue } from '../arguments';
import { kerasKey } from '../calleePaths';
import type { Call, LintContext } from '../calls';
import { indentOf, lineOf, lineText } from '../sourceLines';
import type { LintFinding, LintFix } from '../types';

const TORCH_CONST = new Set(['zeros_', 'ones_', 'constant_', 'zeros', 'ones', 'constant', 'zero_']);
const NORM_LIKE = /norm|\bbn\d*\b|\bbn_|_bn\b|\bln\d*\b|\bln_|_ln\b|gamma|scale\b/i;
const ZERO_BY_DESIGN = /final|head|adaLN|modulation|zero_?conv|out_proj|last|gate|lora|adapter|residual/i;
const CONST_STRINGS = /^(?:zeros?|ones?|constant|Zeros|Ones|Constant)$/;
const CONST_CALLS = /(?:^|\.)(?:zeros?|ones?|constant|Zeros|Ones|Constant|zeros_init|ones_init|zeros_initializer|ones_initializer|constant_initializer)$/;
const KERNEL_KEYS = ['kernel_initializer', 'kernel_init', 'kernelInitializer', 'recurrent_initializer', 'depthwise_initializer', 'pointwise_initializer', 'embedding_init'];

/** Whether the file's activations are the saturating kind (Xavier) rather than ReLU-like (He). */
export function prefersXavier(ctx: LintContext): boolean {
  const t = ctx.ix.text;
  const relu = /relu|ReLU|gelu|GELU|elu\b|ELU|silu|swish|mish/.test(t);
  return !relu && /tanh|Tanh|sigmoid|Sigmoid/.test(t);
}

/** Inside `if isinstance(m, nn.BatchNorm2d)` (or a condition naming a norm or bias)? */
function guardedByNormOrBias(ctx: LintContext, offset: number): boolean {
  let line = lineOf(ctx, offset);
  let ind = indentOf(ctx, line);
  const own = lineText(ctx, line);
  if (/^\s*(?:el)?if\b/.test(own) && /Norm|bias/.test(own.split(':')[0] ?? '')) return true;
  for (let l = line - 1; l >= 0 && l > line - 30; l--) {
    const txt = lineText(ctx, l);
    if (!txt.trim()) continue;
    const li = indentOf(ctx, l);
    if (li < ind) {
      if (/^\s*(?:el)?if\b/.test(txt)) return /Norm|bias/.test(txt);
      if (/^\s*(?:def|class|for|with)\b/.test(txt)) return false;
      ind = li;
      line = l;
    }
  }
  return false;
}

function torchFinding(ctx: LintContext, c: Call): LintFinding | undefined {
  const p = c.path ?? '';
  const m = /^torch\.nn\.init\.(\w+)$/.exec(p);
  if (!m || !TORCH_CONST.has(m[1] as string)) return undefined;
  const w = argNamed(c.args, ['tensor'], 0);
  if (!w) return undefined;
  const target = argText(ctx, w);
  if (!/weight|kernel|\bW\b|\.w\b/.test(target) || /bias/.test(target) || NORM_LIKE.test(target)) return undefined;
  // zero-initialised output projections (DiT adaLN-zero, ControlNet zero convs, final heads) are deliberate
  if (ZERO_BY_DESIGN.test(target)) return undefined;
  const toks = ctx.ix.toks;
  if (guardedByNormOrBias(ctx, (toks[c.start] as Token).start)) return undefined;
  const fn = m[1] as string;
  const val = fn.startsWith('zero') ? '0' : fn.startsWith('one') ? '1' : argNamed(c.args, ['val'], 1) ? argText(ctx, argNamed(c.args, ['val'], 1) as Arg) : 'a constant';
  const prefix = ctx.ix.text.slice((toks[c.start] as Token).start, (toks[c.nameTok] as Token).start);
  const xavier = prefersXavier(ctx);
  const repl = xavier ? `${prefix}xavier_uniform_(${target})` : `${prefix}kaiming_uniform_(${target}, nonlinearity="relu")`;
  const fix: LintFix = { title: `Use ${xavier ? 'Xavier' : 'He (Kaiming)'} initialization`, edits: [{ start: (toks[c.start] as Token).start, end: (toks[c.close] as Token).end, newText: repl }], preferred: true };
  return { code: 'AI003', severity: 'warning', start: (toks[c.start] as Token).start, end: (toks[c.close] as Token).end, fixes: [fix], message: `${target} is initialised to ${val}: every unit of the layer starts identical and gets the same gradient, so the units never differentiate${val === '0' ? ' (and no gradient reaches the layers below)' : ''}.` };
}

/** `layer.weight.data.fill_(0)`, `m.weight.zero_()`. */
function methodFinding(ctx: LintContext, c: Call): LintFinding | undefined {
  if (!c.method || (c.name !== 'fill_' && c.name !== 'zero_')) return undefined;
  const toks = ctx.ix.toks;
  const recv = ctx.ix.text.slice((toks[c.start] as Token).start, (toks[c.nameTok - 1] as Token).start);
  if (!/\.weight\b/.test(recv) || NORM_LIKE.test(recv)) return undefined;
  if (guardedByNormOrBias(ctx, (toks[c.start] as Token).start)) return undefined;
  const val = c.name === 'zero_' ? '0' : c.args[0] ? argText(ctx, c.args[0]) : 'a constant';
  return { code: 'AI003', severity: 'warning', start: (toks[c.start] as Token).start, end: (toks[c.close] as Token).end, fixes: [], message: `${recv.replace(/\.data$/, '')} is filled with ${val}: every unit of the layer starts identical and gets the same gradient, so the units never differentiate.` };
}

/** `kernel_initializer="zeros"`, `kernel_init=nn.initializers.zeros`, `kernelInitializer: 'ones'`. */
function argFinding(ctx: LintContext, c: Call, a: Arg): LintFinding | undefined {
  const toks = ctx.ix.toks;
  const s = strValue(a);
  let kind: string | undefined;
  if (s !== undefined) {
    if (CONST_STRINGS.test(s)) kind = s.toLowerCase().replace(/s$/, '');
  } else {
    // a reference or a call: `initializers.Zeros()`, `nn.initializers.zeros`, `tf.zeros_initializer()`
    let end = a.last;
    if (toks[end]?.text === ')') end = (ctx.ix.partner[end] as number) - 1;
    let st = end;
    while (toks[st - 1]?.text === '.' && toks[st - 2]?.kind === 'name') st -= 2;
    if (st === a.first) {
      const chain = ctx.ix.text.slice((toks[st] as Token).start, (toks[end] as Token).end);
      if (CONST_CALLS.test(chain)) kind = /one/i.test(chain) ? 'one' : /zero/i.test(chain) ? 'zero' : 'constant';
    }
  }
  let viaVariable = false;
  if (!kind && a.first === a.last && toks[a.first]?.kind === 'name') {
    // `init = keras.initializers.Zeros()` … `kernel_initializer=init`
    const r = argResolvedText(ctx, a);
    const lit = /^(['"])(\w+)\1$/.exec(r);
    const chain = r.replace(/\(.*\)$/s, '');
    if (lit ? CONST_STRINGS.test(lit[2] as string) : r !== argText(ctx, a) && CONST_CALLS.test(chain)) {
      kind = /one/i.test(r) ? 'one' : /zero/i.test(r) ? 'zero' : 'constant';
      viaVariable = true;
    }
  }
  if (!kind) return undefined;
  const js = ctx.ix.lang === 'js';
  const act = argNamed(c.args, ['activation']);
  const actS = strValue(act) ?? (act ? argText(ctx, act) : '');
  const flax = a.name === 'kernel_init' || a.name === 'embedding_init';
  const relu = /relu|elu|gelu|silu|swish|mish/i.test(actS) || (!act && !prefersXavier(ctx));
  const span = { start: (toks[a.first] as Token).start, end: (toks[a.last] as Token).end };
  let repl: string;
  if (flax) {
    const chain = ctx.ix.text.slice(span.start, span.end);
    const pre = /^(.*\.)\w+(?:\(.*\))?$/s.exec(chain)?.[1] ?? 'nn.initializers.';
    repl = `${pre}${relu ? 'he_normal' : 'lecun_normal'}()`;
  } else {
    const q = s !== undefined ? (ctx.ix.text[span.start] === "'" ? "'" : '"') : js ? "'" : '"';
    repl = `${q}${js ? (relu ? 'heNormal' : 'glorotUniform') : relu ? 'he_normal' : 'glorot_uniform'}${q}`;
  }
  const what = kind === 'zero' ? 'zeros' : kind === 'one' ? 'ones' : 'a constant';
  return {
    code: 'AI003',
    severity: 'warning',
    ...span,
    fixes: viaVariable ? [] : [{ title: `Use ${repl}`, edits: [{ ...span, newText: repl }], preferred: true }],
    message: `${a.name ?? 'kernel initializer'} initialises the weights to ${what}: every unit of the layer starts identical and gets the same gradient, so the units never differentiate.`,
  };
}

const CREATORS = /^(?:torch|numpy|jax\.numpy|tf)\.(zeros|ones|full|zeros_like|ones_like)$/;
const RANDOM = /^(?:torch\.(?:randn|rand|empty|normal)|numpy\.random\.\w+|jax\.random\.\w+|tf\.random\.\w+)$/;
const WEIGHT_NAME = /^(?:self\.)?(?:W|w|weights?|kernel)(?:_?[A-Za-z0-9]*)?$/;
const WRAPPERS = new Set(['torch.nn.Parameter', 'tf.Variable', 'torch.nn.parameter.Parameter']);

/**
 * Weights created by hand (`W1 = torch.zeros(784, 128, requires_grad=True)`,
 * `self.W = nn.Parameter(torch.zeros(...))`): flagged when constant and either another
 * weight is constant too or a later layer follows (a zero output layer alone is harmless).
 */
function rawWeights(ctx: LintContext): LintFinding[] {
  const toks = ctx.ix.toks;
  const made: { name: string; c: Call; constant: string | undefined }[] = [];
  for (const c of ctx.calls) {
    if (c.method || !c.path) continue;
    const m = CREATORS.exec(c.path);
    if (!m && !RANDOM.test(c.path)) continue;
    let s = c.start;
    const outer = toks[s - 1]?.text === '(' ? ctx.byOpen.get(s - 1) : undefined;
    if (outer && outer.path && WRAPPERS.has(outer.path) && outer.args.length >= 1) s = outer.start;
    if (toks[s - 1]?.text !== '=' || toks[s - 2]?.kind !== 'name') continue;
    let k = s - 2;
    while (toks[k - 1]?.text === '.' && toks[k - 2]?.kind === 'name') k -= 2;
    if (toks[k - 1] && toks[k - 1]?.kind !== 'nl') continue;
    const name = ctx.ix.text.slice((toks[k] as Token).start, (toks[s - 2] as Token).end);
    if (!WEIGHT_NAME.test(name) || /bias|norm|scale|gamma/i.test(name)) continue;
    const fn = m?.[1];
    const fill = fn === 'full' ? argNamed(c.args, ['fill_value'], 1) : undefined;
    made.push({ name, c, constant: fn ? (fn.startsWith('zeros') ? '0' : fn.startsWith('ones') ? '1' : fill ? argText(ctx, fill) : 'a constant') : undefined });
  }
  // only weights the code multiplies with (`x @ W1`, `np.dot(h, W2)`, `torch.matmul(x, self.W)`)
  const text = ctx.ix.text;
  const used = (name: string): boolean => {
    const n = name.replace('.', '\\.');
    return new RegExp(`@\\s*${n}\\b|\\b${n}\\s*@|\\b(?:dot|matmul|mm|einsum|linear)\\([^)]*\\b${n}\\b|\\b${n}\\.(?:dot|mm|matmul)\\(`).test(text);
  };
  const consts = made.filter((w) => w.constant !== undefined && used(w.name));
  if (made.length < 2 || consts.length === 0) return [];
  const last = made[made.length - 1];
  const flagged = consts.length >= 2 ? consts : consts.filter((w) => w !== last);
  return flagged.map((w) => ({
    code: 'AI003' as const,
    severity: 'warning' as const,
    ...{ start: (toks[w.c.start] as Token).start, end: (toks[w.c.close] as Token).end },
    fixes: [],
    message: `${w.name} is initialised to ${w.constant}: every hidden unit starts identical and gets the same gradient, so they never differentiate${w.constant === '0' ? ' (and a zero layer passes no gradient to the layers below)' : ''}. Initialise it randomly (e.g. torch.randn(...) * (2 / fan_in) ** 0.5, He).`,
  }));
}

export function initRule(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [...rawWeights(ctx)];
  for (const c of ctx.calls) {
    const f = torchFinding(ctx, c) ?? methodFinding(ctx, c);
    if (f) {
      out.push(f);
      continue;
    }
    // layer constructors (any framework): look at their kernel initializer argument
    const isLayer = !!(kerasKey(c.path) || c.path?.startsWith('flax.linen.') || c.path?.startsWith('tf.layers.') || (!c.path && !c.method && /^[A-Z]/.test(c.name)) || (c.method && /^(?:dense|conv\dd|simpleRNN|lstm|gru)$/.test(c.name)));
    if (!isLayer) continue;
    for (const a of c.args) {
      if (a.name === undefined || !KERNEL_KEYS.includes(a.name)) continue;
      const g = argFinding(ctx, c, a);
      if (g) out.push(g);
    }
  }
  return out;
}
