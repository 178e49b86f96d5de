// AI003: zero or constant initialization of weights. With W = c every unit of a layer
// computes the same function and receives the same gradient, so gradient descent can never
// make them differ (and with c = 0 ReLU layers pass no gradient at all). Biases and the
// scale of normalization layers (γ = 1) are initialised to constants on purpose: skipped.
import type { Arg } from '../../literals';
import { enclosingOpeners, type Token } from '../../tokens';
import { argNamed, argResolvedText, argText, strValue } from '../arguments';
import { kerasKey } from '../calleePaths';
import type { Call, LintContext } from '../calls';
import { indentOf, lineOf, lineText } from '../sourceLines';
import type { LintFinding, LintFix } from '../types';
import { bindingAt } from '../../docIndex';
import { classAt, defAt } from '../flow';

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
      // an inner `if m.weight is not None:` says nothing: the branch around it may be the norm's
      if (/^\s*(?:el)?if\b/.test(txt) && /Norm|bias/.test(txt)) return true;
      if (/^\s*(?:def|class|for|with)\b/.test(txt)) return false;
      ind = li;
      line = l;
    }
  }
  return false;
}

// Words in an enclosing condition or function name that say which layer is meant: a head,
// the last layer of a branch, a zero-init recipe (`if name.startswith("head")`, `def zero_init_last`).
const ROLE = /head|classifier|\bfc\b|['"]fc|last|final|zero|\bout\b|output|identity|logit/i;

/** Conditions of the `if`/`elif` blocks around an offset, and the enclosing def's name. */
function enclosing(ctx: LintContext, offset: number): { conds: string[]; def?: string } {
  let line = lineOf(ctx, offset);
  let ind = indentOf(ctx, line);
  const conds: string[] = [];
  const own = lineText(ctx, line);
  if (/^\s*(?:el)?if\b/.test(own)) conds.push(own.split(':')[0] ?? '');
  for (let l = line - 1; l >= 0 && l > line - 60; l--) {
    const txt = lineText(ctx, l);
    if (!txt.trim() || /^\s*#/.test(txt)) continue;
    const li = indentOf(ctx, l);
    if (li >= ind) continue;
    if (/^\s*(?:el)?if\b/.test(txt)) conds.push(txt);
    else if (/^\s*else\b/.test(txt)) {
      // an else branch: its condition is the negation of the if above (e.g. not the head)
      return { conds: [] };
    } else if (/^\s*(?:async\s+)?def\b/.test(txt)) return { conds, def: /def\s+(\w+)/.exec(txt)?.[1] };
    else if (/^\s*class\b/.test(txt)) return { conds };
    ind = li;
    line = l;
  }
  return { conds };
}

/** Test code: inside `def test_*` or a `*Test*` class. */
function inTest(ctx: LintContext, offset: number): boolean {
  // a test module (constant kernels give outputs a test can write down)
  if (ctx.ix.lang === 'python' && ['absltest', 'unittest', 'pytest', 'absl.testing', 'absl.testing.absltest', 'absl.testing.parameterized'].some((m) => [...ctx.ix.names.values()].some((bs) => bs.some((b) => b.target.kind === 'path' && (b.target.path === m || b.target.path.startsWith(`${m}.`)))))) return true;
  const d = defAt(ctx, offset);
  const name = d >= 0 ? ctx.ix.toks[d + 1]?.text ?? '' : '';
  return /^test/i.test(name) || /Test/.test(classAt(ctx, offset)?.name ?? '');
}

const WEIGHTED = /\b(?:Linear|LazyLinear|Bilinear|Conv[123]d|ConvTranspose[123]d|LazyConv[123]d|Sequential|Dense)\(/;

/**
 * Whether `self.<attr>`'s output feeds another weighted layer in the class (`self.fc2(relu(self.fc1(x)))`,
 * `h = self.fc1(x)` … `self.fc2(h)`): a hidden layer, where a constant start keeps the units identical.
 */
function hiddenInClass(ctx: LintContext, attr: string, offset: number): boolean {
  const cls = classAt(ctx, offset);
  if (!cls) return true;
  const body = ctx.ix.text.slice(cls.start, cls.end);
  const weighted = (name: string): boolean => {
    const b = bindingAt(ctx.ix, `self.${name}`, cls.end);
    if (b?.kind !== 'expr') return false;
    const t = ctx.ix.toks[b.tok];
    return !!t && WEIGHTED.test(ctx.ix.text.slice(t.start, t.start + 200).split('\n')[0] ?? '');
  };
  const lines = body.split('\n');
  const call = new RegExp(`self\\.${attr}\\s*\\(`);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (!call.test(l) || /^\s*(?:def|nn\.init|torch\.nn\.init)/.test(l)) continue;
    // nested inside another layer's call on the same line
    for (const m of l.matchAll(/self\.(\w+)\s*\(/g)) {
      const name = m[1] as string;
      if (name === attr || !weighted(name)) continue;
      const at = (m.index ?? 0) + m[0].length;
      let depth = 1;
      let close = at;
      for (; close < l.length && depth > 0; close++) depth += l[close] === '(' ? 1 : l[close] === ')' ? -1 : 0;
      const inner = l.slice(at, close).search(call);
      if (inner >= 0) return true;
    }
    // assigned to a variable that a later layer call reads
    const v = /^\s*(\w+)\s*=/.exec(l)?.[1];
    if (!v) continue;
    for (let j = i + 1; j < Math.min(lines.length, i + 40); j++) {
      const n = lines[j] as string;
      if (/^\s*def\b/.test(n)) break;
      for (const m of n.matchAll(/self\.(\w+)\s*\(([^)]*)/g)) if (m[1] !== attr && weighted(m[1] as string) && new RegExp(`\\b${v}\\b`).test(m[2] as string)) return true;
      if (new RegExp(`@\\s*${v}\\b|\\b${v}\\s*@`).test(n)) return true;
    }
  }
  return false;
}

/**
 * Whether `name` is the variable of an enclosing `for name in [a, b, …]:` whose listed items
 * are all normalization layers by name (`[self.norm1, self.norm2]`, `(bn1, bn2)`).
 */
function normsLooped(ctx: LintContext, offset: number, name: string): boolean {
  let ind = indentOf(ctx, lineOf(ctx, offset));
  const head = new RegExp(`^\\s*for\\s+${name.replace(/\W/g, '')}\\s+in\\s+[[(](.*)[\\])]\\s*:\\s*(?:#.*)?$`);
  for (let l = lineOf(ctx, offset) - 1; l >= 0 && ind > 0; l--) {
    const txt = lineText(ctx, l);
    if (!txt.trim() || /^\s*#/.test(txt)) continue;
    const li = indentOf(ctx, l);
    if (li >= ind) continue;
    ind = li;
    if (/^\s*(?:async\s+)?(?:def|class)\b/.test(txt)) return false;
    if (!/^\s*for\b/.test(txt)) continue;
    const items = head.exec(txt)?.[1]?.split(',').map((x) => x.trim()).filter((x) => x !== '');
    return !!items && items.length > 0 && items.every((x) => /^[\w.]+$/.test(x) && NORM_LIKE.test(x.split('.').pop() ?? ''));
  }
  return false;
}

/**
 * A constant init that is a recipe, not a mistake: test code, the gain of a normalization
 * layer, a head or the last layer of a branch chosen by name or position, a zero-init helper,
 * a named layer whose output feeds no other weighted layer.
 */
function intended(ctx: LintContext, offset: number, target: string, value: string): boolean {
  if (inTest(ctx, offset)) return true;
  const cls = classAt(ctx, offset);
  if (value === '1' && (/^self\.(?:weight|gamma|scale|g)$/.test(target) || /norm|abn/i.test(cls?.name ?? ''))) return true;
  const env = enclosing(ctx, offset);
  if (env.conds.some((c) => ROLE.test(c.replace(/isinstance\([^)]*\)/g, ''))) || ROLE.test(env.def ?? '')) return true;
  if (/\[\s*-1\s*\]/.test(target)) return true;
  const path = target.replace(/\.(?:data|detach\(\))/g, '').replace(/\.(?:weight|kernel|W|w)$/, '');
  const segs = path.split('.');
  // `for layer in [self.norm1, self.norm2]: layer.weight.data.fill_(1.0)`: the gains of norms
  if (segs.length === 1 && normsLooped(ctx, offset, segs[0] as string)) return true;
  if (segs[0] === 'self') return segs.length >= 2 && !hiddenInClass(ctx, (segs[1] as string).replace(/\[.*$/, ''), offset);
  // a named sublayer of a loop variable or a local (`block.mapper.weight`)
  if (segs.length >= 2) return true;
  // a layer made inside a function (`proj = nn.Linear(...)` in __init__)
  const head = (segs[0] as string).replace(/\[.*$/, '');
  const b = bindingAt(ctx.ix, head, offset);
  return b?.kind === 'expr' && defAt(ctx, offset) >= 0 && defAt(ctx, ctx.ix.toks[b.tok]?.start ?? 0) === defAt(ctx, offset);
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
  if (intended(ctx, (toks[c.start] as Token).start, target, /^(?:0|0\.0*|0\.)$/.test(val) ? '0' : /^(?:1|1\.0*|1\.)$/.test(val) ? '1' : val)) return undefined;
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
  if (intended(ctx, (toks[c.start] as Token).start, recv.replace(/\.data$/, ''), /^(?:0|0\.0*)$/.test(val) ? '0' : /^(?:1|1\.0*)$/.test(val) ? '1' : val)) return undefined;
  return { code: 'AI003', severity: 'warning', start: (toks[c.start] as Token).start, end: (toks[c.close] as Token).end, fixes: [], message: `${recv.replace(/\.data$/, '')} is filled with ${val}: every unit of the layer starts identical and gets the same gradient, so the units never differentiate.` };
}

/**
 * A layer with one unit (nothing to break symmetry between), or the network's output layer
 * (`out = Conv2D(3, 1, kernel_initializer="zeros")(x)` … `return keras.Model(inputs, out)`).
 */
function singleUnitOrOutput(ctx: LintContext, c: Call): boolean {
  const units = argNamed(c.args, ['units', 'features', 'filters'], 0);
  if (units && units.value.kind === 'value' && units.value.value === 1) return true;
  // `name="head"`: the classifier head, zero-initialized on purpose
  const named = strValue(argNamed(c.args, ['name']));
  if (named !== undefined && ROLE.test(named)) return true;
  const toks = ctx.ix.toks;
  // the last weighted layer of a Sequential list (only reshaping layers after it)
  const list = toks[c.start - 1]?.text === '[' || toks[c.start - 1]?.text === ',' ? listAround(ctx, c.start) : undefined;
  if (list !== undefined && list > c.close) {
    const after = ctx.ix.text.slice((toks[c.close] as Token).end, (toks[list] as Token).start);
    if (!/\b(?:Dense|Conv\w*|LSTM|GRU|SimpleRNN|Embedding|dense|conv\w*)\s*\(/.test(after)) return true;
  }
  // `name = Layer(...)(x)` or `name = Layer(...)`: the name only reaches `return` or Model(...)
  const applied = toks[c.close + 1]?.text === '(' ? (ctx.ix.partner[c.close + 1] as number) : c.close;
  if (toks[c.start - 1]?.text !== '=' || toks[c.start - 2]?.kind !== 'name') return false;
  const v = (toks[c.start - 2] as Token).text;
  let used = false;
  for (let k = applied + 1; k < toks.length; k++) {
    const t = toks[k] as Token;
    if (t.kind !== 'name' || t.text !== v || toks[k - 1]?.text === '.') continue;
    if (toks[k + 1]?.text === '=' && toks[k + 2]?.text !== '=') break;
    const line = lineText(ctx, lineOf(ctx, t.start));
    if (/^\s*return\b/.test(line) || insideModelCall(ctx, k)) used = true;
    else return false;
  }
  return used;
}

/** Index of the `]` closing the list literal that holds token `k` directly, if any. */
function listAround(ctx: LintContext, k: number): number | undefined {
  const toks = ctx.ix.toks;
  const [j] = enclosingOpeners(toks, k, 2000, false);
  if (j === undefined || toks[j]?.text !== '[') return undefined;
  // `Sequential([` … `])`
  const callee = toks[j - 2]?.text;
  return toks[j - 1]?.text === '(' && callee && /Sequential$/.test(callee) ? (ctx.ix.partner[j] as number) : undefined;
}

/** Whether token `k` is inside the arguments of a `Model(...)` / `keras.Model(...)` call. */
function insideModelCall(ctx: LintContext, k: number): boolean {
  const toks = ctx.ix.toks;
  for (const j of enclosingOpeners(toks, k, 2000, true)) {
    if (toks[j]?.text === '(' && /Model$/.test(toks[j - 1]?.text ?? '')) return true;
  }
  return false;
}

/** `X` when the call at token `start` is the whole right side of `self.X = …`. */
function selfAttrAssigned(ctx: LintContext, start: number): string | undefined {
  const toks = ctx.ix.toks;
  if (toks[start - 1]?.text !== '=' || toks[start - 2]?.kind !== 'name' || toks[start - 3]?.text !== '.' || toks[start - 4]?.text !== 'self') return undefined;
  return toks[start - 5] && toks[start - 5]?.kind !== 'nl' ? undefined : (toks[start - 2] as Token).text;
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
  if (singleUnitOrOutput(ctx, c) || inTest(ctx, (toks[c.start] as Token).start)) return undefined;
  // a layer of a subclassed layer/model (`self.gate = Dense(…, kernel_initializer="zeros")`):
  // a zero-init recipe by name, or a projection whose output feeds no other weighted layer
  // (deformable attention's offsets and weights, a gate before its sigmoid)
  const attr = selfAttrAssigned(ctx, c.start);
  if (attr && (ZERO_BY_DESIGN.test(attr) || ZERO_BY_DESIGN.test(strValue(argNamed(c.args, ['name'])) ?? '') || !hiddenInClass(ctx, attr, (toks[c.start] as Token).start))) return undefined;
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
    // `torch.zeros(n, m).normal_(0, 0.1)`: filled randomly right away
    if (toks[c.close + 1]?.text === '.' && /^(?:normal_|uniform_|random_|bernoulli_|exponential_|geometric_|cauchy_|log_normal_)$/.test(toks[c.close + 2]?.text ?? '')) continue;
    // a weight vector (`np.zeros(1 + X.shape[1])`: one size, not a shape) is one unit's, a
    // linear model's: there is no symmetry between units to break
    if (m && m[1] !== 'zeros_like' && m[1] !== 'ones_like' && oneSize(ctx, c)) continue;
    // the same weight defined again (a class repeated in another notebook cell) counts once
    if (made.some((w) => w.name === name)) continue;
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

/** Whether a zeros/ones/full call is given one size (`zeros(n)`, `zeros(1 + d)`), not a shape (`zeros((n, m))`, `zeros(n, m)`, `zeros(shape)`). */
function oneSize(ctx: LintContext, c: Call): boolean {
  const sizes = c.args.filter((a) => !a.name);
  const size = argNamed(c.args, ['shape', 'size'], 0);
  if (!size || (c.path?.endsWith('.full') ? sizes.length > 2 : sizes.length > 1)) return false;
  const txt = argText(ctx, size).trim();
  if (/^[[(]/.test(txt)) return /^[[(]\s*[^,\s][^,]*,?\s*[\])]$/.test(txt) && !/,\s*\S/.test(txt);
  // a number or arithmetic on sizes (`n_features`, `1 + X.shape[1]`); a bare name may hold a shape
  return /^\d+$/.test(txt) || (/[-+*]/.test(txt) && !/,/.test(txt));
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
