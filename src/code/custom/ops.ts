// Library operations, constants and tensor methods that custom activations are written
// with, translated into formulas. One table serves PyTorch (`torch.`, `F.`), NumPy, JAX
// (`jnp.`, `jax.nn.`), TensorFlow (`tf.`, `tf.math.`, `tf.nn.`), TF.js (`tf.`, `tfc.`) and
// `math`/`Math`: the op is looked up by its last name, the library only decides defaults
// that differ (gelu's `approximate`, leaky_relu's slope). Anything not listed here
// (reductions, matmul, softmax, reshapes, random) is not elementwise and rejects.
import { bin, clamp, type CE, type CmpOp, dependsOnX, fn, minmax, neg, num, prim, type Unary, UNARY, where, X } from './cexpr';
import { asBool, asExpr, ex, NONE, OPAQUE, reject, trace, type Val } from './values';

export type Family = 'torch' | 'numpy' | 'jax' | 'tf' | 'tfjs' | 'math' | 'keras';

export function familyOf(path: string): Family | undefined {
  const root = path.split('.')[0] as string;
  if (root === 'torch') return 'torch';
  if (root === 'numpy' || root === 'scipy') return 'numpy';
  if (root === 'jax' || root === 'flax') return 'jax';
  if (root === 'tensorflow') return 'tf';
  if (root.startsWith('@tensorflow/')) return 'tfjs';
  if (root === 'math' || root === 'Math') return 'math';
  if (root === 'keras') return 'keras';
  return undefined;
}

type Args = readonly Val[];
type Kw = ReadonlyMap<string, Val>;

/** Positional argument i, or keyword `name` (first of the names that is given). */
function arg(args: Args, kw: Kw, i: number, ...names: string[]): Val | undefined {
  for (const n of names) {
    const v = kw.get(n);
    if (v !== undefined) return v;
  }
  return args[i];
}

function numArg(args: Args, kw: Kw, i: number, dflt: number, ...names: string[]): CE {
  const v = arg(args, kw, i, ...names);
  if (v === undefined || v.v === 'none') return num(dflt);
  return asExpr(v, names[0] ?? 'argument');
}

const SQRT2: CE = fn('sqrt', num(2));

/** ½x(1 + erf(x/√2)) or the tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function gelu(x: CE, tanh: boolean): CE {
  if (!tanh) return bin('*', bin('*', x, num(0.5)), bin('+', num(1), fn('erf', bin('/', x, SQRT2))));
  const inner = bin('*', fn('sqrt', bin('/', num(2), { k: 'const', name: 'pi' })), bin('+', x, bin('*', num(0.044715), bin('**', x, num(3)))));
  return bin('*', bin('*', num(0.5), x), bin('+', num(1), fn('tanh', inner)));
}

const silu = (x: CE): CE => bin('*', x, fn('sigmoid', x));
const relu = (x: CE): CE => minmax('max', x, num(0));
const hardsigmoid = (x: CE): CE => bin('/', clamp(bin('+', x, num(3)), num(0), num(6)), num(6));
const elu = (x: CE, a: CE): CE => where('>', x, num(0), x, bin('*', a, fn('expm1', x)));
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

function geluApprox(v: Val | undefined, fam: Family): boolean {
  if (v === undefined || v.v === 'none') return fam === 'jax';
  if (v.v === 'str') {
    if (v.s === 'tanh') return true;
    if (v.s === 'none') return false;
    return reject(`gelu approximate="${v.s}"`);
  }
  return asBool(v);
}

type Op = (args: Args, kw: Kw, fam: Family) => Val;

const unary = (name: Unary): Op => (a, kw) => ex(fn(name, asExpr(arg(a, kw, 0, 'x', 'input'))));
const x0 = (a: Args, kw: Kw): CE => asExpr(arg(a, kw, 0, 'x', 'input', 'features', 'a'));
const e1 = (f: (x: CE) => CE): Op => (a, kw) => ex(f(x0(a, kw)));

function binary(op: '+' | '-' | '*' | '/' | '**'): Op {
  return (a, kw) => {
    const l = asExpr(arg(a, kw, 0, 'x', 'input', 'x1', 'a'));
    let r = asExpr(arg(a, kw, 1, 'y', 'other', 'x2', 'b', 'exponent'));
    const alpha = kw.get('alpha');
    // torch.add(x, y, alpha=a) = x + a·y
    if (alpha && (op === '+' || op === '-')) r = bin('*', asExpr(alpha), r);
    return ex(bin(op, l, r));
  };
}

function cmpOp(op: CmpOp): Op {
  return (a, kw) => ({ v: 'cond', op, l: asExpr(arg(a, kw, 0, 'x', 'input')), r: asExpr(arg(a, kw, 1, 'y', 'other')) });
}

function clampOp(loNames: string[], hiNames: string[]): Op {
  return (a, kw) => {
    const x = x0(a, kw);
    const lo = arg(a, kw, 1, ...loNames);
    const hi = arg(a, kw, 2, ...hiNames);
    const hasLo = lo !== undefined && lo.v !== 'none';
    const hasHi = hi !== undefined && hi.v !== 'none';
    if (!hasLo && !hasHi) return reject('clamp without bounds');
    // one bound is clamp all the same: its gradient passes at the bound (max(x, 0) splits it)
    return ex(clamp(x, hasLo ? asExpr(lo) : num(-Infinity), hasHi ? asExpr(hi) : num(Infinity)));
  };
}

function whereOp(a: Args, kw: Kw): Val {
  const c = arg(a, kw, 0, 'condition', 'cond');
  if (!c || c.v !== 'cond') return reject('where without an elementwise comparison');
  return ex(where(c.op, c.l, c.r, asExpr(arg(a, kw, 1, 'x', 'input')), asExpr(arg(a, kw, 2, 'y', 'other'))));
}

/** torch.tensor([0.5]) / nn.Parameter(torch.tensor([0.5])): a one-element list is its element. */
function scalarOf(a: Args): Val {
  const v = a[0];
  if (!v) return reject('missing argument');
  if (v.v === 'seq') return v.items.length === 1 && v.items[0]?.v === 'e' ? (v.items[0] as Val) : reject('a tensor of several values');
  return v;
}

const identity: Op = (a) => {
  const v = a[0];
  if (!v) return reject('missing argument');
  return v;
};

/** A library call of a catalog activation: its --expr primitive, else the expansion. */
const P = (name: string, expand: (x: CE, p: readonly CE[]) => CE, params: (a: Args, kw: Kw, fam: Family) => CE[] = () => []): Op => (a, kw, fam) => {
  const x = x0(a, kw);
  const p = params(a, kw, fam);
  return ex(prim(name, x, p) ?? expand(x, p));
};

/** softplus(βx)/β, and x where βx > threshold (torch's F.softplus/nn.Softplus when given them). */
function softplusOf(x: CE, beta: Val | undefined, threshold: Val | undefined, fam: Family): CE {
  const given = (v: Val | undefined): v is Val => v !== undefined && v.v !== 'none';
  // softplus(x) as written: torch's default threshold 20 changes it by < 2.1e-9 (log1p(e^-20))
  if (!given(beta) && !given(threshold)) return fn('softplus', x);
  // torch's parametrised form: its threshold is 20 unless given
  if (fam === 'torch' && !given(threshold)) threshold = ex(num(20));
  const b = given(beta) ? asExpr(beta, 'beta') : num(1);
  const bx = b.k === 'num' && b.v === 1 ? x : bin('*', b, x);
  const smooth = b.k === 'num' && b.v === 1 ? fn('softplus', x) : bin('/', fn('softplus', bx), b);
  return given(threshold) ? where('>', bx, asExpr(threshold, 'threshold'), x, smooth) : smooth;
}

/** leaky_relu: torch and TF take the slope's side at 0 (x > 0), jax.nn the identity's (x >= 0). */
function leaky(x: CE, s: CE, fam: Family): CE {
  if (fam !== 'jax') return prim('leaky_relu', x, [s]) ?? where('>', x, num(0), x, bin('*', s, x));
  return where('>=', x, num(0), x, bin('*', s, x));
}

function mathMinMax(op: 'min' | 'max', a: Args): Val {
  if (a.length < 2) return reject(`Math.${op} of ${a.length} argument(s)`);
  return ex(a.slice(1).reduce<CE>((acc, v) => minmax(op, acc, asExpr(v)), asExpr(a[0])));
}

/** y of torch.max(x, y): a tensor (a formula in x, or a non-integer); an integer is a dim to reduce along. */
function elementwiseOther(a: Args, kw: Kw, fam: Family): CE {
  const y = a[1];
  if (fam !== 'torch' || a.length !== 2 || kw.size !== 0 || y?.v !== 'e') return reject('max/min over a dimension reduces');
  if (!dependsOnX(y.e) && !(y.e.k === 'num' && !Number.isInteger(y.e.v))) return reject('max/min over a dimension reduces');
  return y.e;
}

const OPS: Readonly<Record<string, Op>> = {
  // elementary
  ...Object.fromEntries(UNARY.map((u) => [u, unary(u)])),
  absolute: unary('abs'),
  fabs: unary('abs'),
  expit: unary('sigmoid'),
  square: e1((x) => bin('**', x, num(2))),
  rsqrt: e1((x) => bin('**', x, num(-0.5))),
  reciprocal: e1((x) => bin('/', num(1), x)),
  neg: e1(neg),
  negative: e1(neg),
  add: binary('+'),
  sub: binary('-'),
  subtract: binary('-'),
  mul: binary('*'),
  multiply: binary('*'),
  div: binary('/'),
  divide: binary('/'),
  true_divide: binary('/'),
  truediv: binary('/'),
  realdiv: binary('/'),
  pow: binary('**'),
  power: binary('**'),
  maximum: (a, kw) => ex(minmax('max', x0(a, kw), asExpr(arg(a, kw, 1, 'y', 'other', 'b')))),
  minimum: (a, kw) => ex(minmax('min', x0(a, kw), asExpr(arg(a, kw, 1, 'y', 'other', 'b')))),
  fmax: (a, kw) => ex(minmax('max', x0(a, kw), asExpr(arg(a, kw, 1, 'y', 'other')))),
  fmin: (a, kw) => ex(minmax('min', x0(a, kw), asExpr(arg(a, kw, 1, 'y', 'other')))),
  logaddexp: (a, kw) => {
    const l = x0(a, kw);
    const r = asExpr(arg(a, kw, 1, 'y', 'other', 'x2'));
    if (r.k === 'num' && r.v === 0) return ex(fn('softplus', l));
    if (l.k === 'num' && l.v === 0) return ex(fn('softplus', r));
    return ex(fn('log', bin('+', fn('exp', l), fn('exp', r))));
  },
  where: whereOp,
  softplus: (a, kw, fam) => ex(softplusOf(x0(a, kw), arg(a, kw, 1, 'beta'), arg(a, kw, 2, 'threshold'), fam)),
  // torch.max(x, y) / torch.min(x, y) are elementwise; one argument (or numpy's axis) reduces;
  // JS Math.max(a, b, …) takes numbers
  max: (a, kw, fam) => (fam === 'math' ? mathMinMax('max', a) : ex(minmax('max', x0(a, kw), elementwiseOther(a, kw, fam)))),
  min: (a, kw, fam) => (fam === 'math' ? mathMinMax('min', a) : ex(minmax('min', x0(a, kw), elementwiseOther(a, kw, fam)))),
  squared_difference: (a, kw) => ex(bin('**', bin('-', x0(a, kw), asExpr(arg(a, kw, 1, 'y', 'b'))), num(2))),
  squaredDifference: (a, kw) => ex(bin('**', bin('-', x0(a, kw), asExpr(arg(a, kw, 1, 'y', 'b'))), num(2))),
  clamp: clampOp(['min'], ['max']),
  clip: clampOp(['min', 'a_min', 'min_value', 'x_min'], ['max', 'a_max', 'max_value', 'x_max']),
  clip_by_value: clampOp(['clip_value_min'], ['clip_value_max']),
  clamp_min: (a, kw) => ex(clamp(x0(a, kw), asExpr(arg(a, kw, 1, 'min')), num(Infinity))),
  clamp_max: (a, kw) => ex(clamp(x0(a, kw), num(-Infinity), asExpr(arg(a, kw, 1, 'max')))),
  // heaviside(x, v): 1 above 0, 0 below, v at 0
  heaviside: (a, kw) => ex(where('>', x0(a, kw), num(0), num(1), where('<', x0(a, kw), num(0), num(0), asExpr(arg(a, kw, 1, 'values', 'x2'))))),
  threshold: P('threshold', (x, p) => where('>', x, p[0] as CE, x, p[1] as CE), (a, kw) => [asExpr(arg(a, kw, 1, 'threshold')), asExpr(arg(a, kw, 2, 'value'))]),
  clipByValue: clampOp(['clipValueMin'], ['clipValueMax']),
  greater: cmpOp('>'),
  gt: cmpOp('>'),
  ge: cmpOp('>='),
  lt: cmpOp('<'),
  le: cmpOp('<='),
  greater_equal: cmpOp('>='),
  greaterEqual: cmpOp('>='),
  less: cmpOp('<'),
  less_equal: cmpOp('<='),
  lessEqual: cmpOp('<='),
  // catalog activations used as building blocks
  relu: reluOp,
  // rrelu outside training is leaky_relu with the mean slope (torch's F.rrelu: training=False)
  rrelu: (a, kw) => {
    const training = arg(a, kw, 3, 'training');
    if (training && asBool(training)) return reject('rrelu in training mode is random');
    const lo = numArg(a, kw, 1, 1 / 8, 'lower');
    const hi = numArg(a, kw, 2, 1 / 3, 'upper');
    return ex(leaky(x0(a, kw), bin('/', bin('+', lo, hi), num(2)), 'torch'));
  },
  // TF.js: prelu(x, alpha) with a scalar alpha; step(x, alpha = 0) is 1 above 0, else alpha
  prelu: (a, kw) => ex(where('>', x0(a, kw), num(0), x0(a, kw), bin('*', asExpr(arg(a, kw, 1, 'alpha', 'weight')), x0(a, kw)))),
  step: (a, kw) => ex(where('>', x0(a, kw), num(0), num(1), numArg(a, kw, 1, 0, 'alpha'))),
  leakyRelu: (a, kw) => ex(leaky(x0(a, kw), numArg(a, kw, 1, 0.2, 'alpha'), 'tfjs')),
  relu6: P('relu6', (x) => clamp(x, num(0), num(6))),
  sigmoid: unary('sigmoid'),
  log_sigmoid: P('log_sigmoid', (x) => neg(fn('softplus', neg(x)))),
  logsigmoid: P('log_sigmoid', (x) => neg(fn('softplus', neg(x)))),
  logSigmoid: P('log_sigmoid', (x) => neg(fn('softplus', neg(x)))),
  silu: P('silu', silu),
  swish: (a, kw) => {
    const x = x0(a, kw);
    const beta = arg(a, kw, 1, 'beta');
    return ex(beta && beta.v !== 'none' ? bin('*', x, fn('sigmoid', bin('*', asExpr(beta), x))) : (prim('silu', x) ?? silu(x)));
  },
  gelu: (a, kw, fam) => {
    const x = x0(a, kw);
    const t = geluApprox(arg(a, kw, 1, 'approximate'), fam);
    return ex(prim(t ? 'gelu_tanh' : 'gelu', x) ?? gelu(x, t));
  },
  mish: P('mish', (x) => bin('*', x, fn('tanh', fn('softplus', x)))),
  elu: P('elu', (x, p) => elu(x, p[0] as CE), (a, kw) => [numArg(a, kw, 1, 1, 'alpha')]),
  selu: P('selu', (x) => bin('*', num(SELU_SCALE), elu(x, num(SELU_ALPHA)))),
  celu: (a, kw) => {
    const x = x0(a, kw);
    const al = numArg(a, kw, 1, 1, 'alpha');
    return ex(prim('celu', x, [al]) ?? bin('+', relu(x), minmax('min', num(0), bin('*', al, fn('expm1', bin('/', x, al))))));
  },
  leaky_relu: (a, kw, fam) => ex(leaky(x0(a, kw), numArg(a, kw, 1, fam === 'tf' || fam === 'keras' ? 0.2 : 0.01, 'negative_slope', 'alpha'), fam)),
  softsign: P('softsign', (x) => bin('/', x, bin('+', num(1), fn('abs', x)))),
  soft_sign: P('softsign', (x) => bin('/', x, bin('+', num(1), fn('abs', x)))),
  hardtanh: P('hardtanh', (x, p) => clamp(x, p[0] as CE, p[1] as CE), (a, kw) => [numArg(a, kw, 1, -1, 'min_val'), numArg(a, kw, 2, 1, 'max_val')]),
  hard_tanh: P('hardtanh', (x) => clamp(x, num(-1), num(1))),
  hardsigmoid: P('hardsigmoid', hardsigmoid),
  hard_sigmoid: P('hardsigmoid', hardsigmoid),
  hardswish: P('hardswish', (x) => bin('*', x, hardsigmoid(x))),
  hard_swish: P('hardswish', (x) => bin('*', x, hardsigmoid(x))),
  hard_silu: P('hardswish', (x) => bin('*', x, hardsigmoid(x))),
  tanhshrink: P('tanhshrink', (x) => bin('-', x, fn('tanh', x))),
  softshrink: (a, kw) => {
    const x = x0(a, kw);
    const l = numArg(a, kw, 1, 0.5, 'lambd');
    return ex(where('>', x, l, bin('-', x, l), where('<', x, neg(l), bin('+', x, l), num(0))));
  },
  hardshrink: (a, kw) => {
    const x = x0(a, kw);
    const l = numArg(a, kw, 1, 0.5, 'lambd');
    return ex(where('>', fn('abs', x), l, x, num(0)));
  },
  squareplus: (a, kw) => {
    const x = x0(a, kw);
    const b = numArg(a, kw, 1, 4, 'b');
    return ex(bin('/', bin('+', x, fn('sqrt', bin('+', bin('**', x, num(2)), b))), num(2)));
  },
  // pass-through: conversions and scalar constructors
  convert_to_tensor: scalarOf,
  Parameter: scalarOf,
  Variable: scalarOf,
  cast: identity,
  asarray: scalarOf,
  array: scalarOf,
  tensor: scalarOf,
  as_tensor: scalarOf,
  constant: scalarOf,
  scalar: scalarOf,
  float32: identity,
  float64: identity,
  zeros_like: (a) => (a[0] ? ex(num(0)) : reject('zeros_like()')),
  zerosLike: (a) => (a[0] ? ex(num(0)) : reject('zerosLike()')),
  ones_like: (a) => (a[0] ? ex(num(1)) : reject('ones_like()')),
  onesLike: (a) => (a[0] ? ex(num(1)) : reject('onesLike()')),
  full_like: (a, kw) => ex(asExpr(arg(a, kw, 1, 'fill_value'))),
  // A tensor filled with one number is that number wherever it meets x elementwise (a
  // per-channel nn.Parameter initialised to one value: torch.ones(C) * 0.25, torch.full((C,), 2.0)).
  ones: (a, kw) => filled(a, kw, 1),
  zeros: (a, kw) => filled(a, kw, 0),
  full: (a, kw) => filled(a, kw, asExpr(arg(a, kw, 1, 'fill_value'))),
  fill: (a, kw) => filled(a, kw, asExpr(arg(a, kw, 1, 'value'))),
};

/** relu, and Keras's relu(x, alpha/negative_slope, max_value, threshold) = clip(x·[x > t], 0, max) − alpha·relu(t − x). */
function reluOp(a: Args, kw: Kw, fam: Family): Val {
  const x = x0(a, kw);
  const keras = fam === 'tf' || fam === 'keras';
  // (tf.nn.relu's second positional argument is its name)
  const given = (v: Val | undefined): v is Val => v !== undefined && v.v !== 'none' && v.v !== 'str';
  const alpha = arg(a, kw, keras ? 1 : -1, 'alpha', 'negative_slope');
  const maxValue = arg(a, kw, keras ? 2 : -1, 'max_value');
  const threshold = arg(a, kw, keras ? 3 : -1, 'threshold');
  if (!given(alpha) && !given(maxValue) && !given(threshold)) return ex(prim('relu', x) ?? relu(x));
  const isZero = (v: Val | undefined): boolean => !given(v) || (v.v === 'e' && v.e.k === 'num' && v.e.v === 0);
  const t = isZero(threshold) ? undefined : asExpr(threshold, 'threshold');
  const m = given(maxValue) ? asExpr(maxValue, 'max_value') : undefined;
  // Keras: max_value 6 with no threshold is tf.nn.relu6 (gradient 0 at both ends)
  let pos: CE;
  if (t) pos = where('>', x, t, x, num(0));
  else if (m && m.k === 'num' && m.v === 6) pos = prim('relu6', x) ?? clamp(x, num(0), num(6));
  else pos = prim('relu', x) ?? relu(x);
  if (m && !(m.k === 'num' && m.v === 6 && !t)) pos = clamp(pos, num(0), m);
  if (isZero(alpha)) return ex(pos);
  const negPart = t ? bin('-', t, x) : neg(x);
  return ex(bin('-', pos, bin('*', asExpr(alpha, 'alpha'), prim('relu', negPart) ?? relu(negPart))));
}

/** torch.ones(shape) / torch.full(shape, v): the fill value; the shape must be static (numbers). */
function filled(a: Args, kw: Kw, value: number | CE): Val {
  const s = a[0] ?? kw.get('size') ?? kw.get('shape');
  const dims = s === undefined ? [] : s.v === 'seq' ? s.items : [s];
  if (!s || !dims.every((d) => d.v === 'e' && d.e.k === 'num' && Number.isInteger(d.e.v) && d.e.v >= 0)) return reject('a tensor of unknown shape');
  return ex(typeof value === 'number' ? num(value) : value);
}


const CONSTANTS: Readonly<Record<string, CE>> = {
  pi: { k: 'const', name: 'pi' },
  PI: { k: 'const', name: 'pi' },
  e: { k: 'const', name: 'e' },
  E: { k: 'const', name: 'e' },
  SQRT2: fn('sqrt', num(2)),
  SQRT1_2: fn('sqrt', num(0.5)),
  LN2: fn('log', num(2)),
  inf: num(Infinity),
  Infinity: num(Infinity),
};

/** Reading `lib.attr` (constants such as math.pi, or a dtype/device). */
export function libAttribute(path: string): Val | undefined {
  const fam = familyOf(path);
  if (!fam) return undefined;
  const last = path.slice(path.lastIndexOf('.') + 1);
  const c = CONSTANTS[last];
  if (c && (fam === 'math' || fam === 'numpy' || fam === 'torch' || fam === 'jax')) return ex(c);
  if (/^(float|bfloat|int|uint)\d+$|^(double|half)$/.test(last)) return OPAQUE;
  return undefined;
}

/** Calling a library function by its full path. */
export function callLibrary(path: string, args: Args, kw: Kw): Val {
  const fam = familyOf(path);
  if (!fam) return reject(`unknown function ${path}`);
  const last = path.slice(path.lastIndexOf('.') + 1);
  // TF.js tidy(() => …) / tf.tidy: runs the function.
  if (last === 'tidy' || last === 'keep') {
    const f = args[args.length - 1];
    if (f && f.v === 'fn') return f.call([], new Map());
    return f ?? reject('tidy()');
  }
  // torch.sigmoid_(x), F.relu_(x), F.leaky_relu_(x, 0.2): the in-place form computes the same
  const name = fam === 'torch' && /^[a-z]\w*[a-z0-9]_$/.test(last) ? last.slice(0, -1) : last;
  const op = Object.prototype.hasOwnProperty.call(OPS, name) ? OPS[name] : undefined;
  if (!op) return reject(`${path} is not an elementwise operation`);
  // math.* takes Python floats: the same formulas apply.
  return tensorResult(op(args, kw, fam), fam);
}

// nn.ReLU() and friends: module constructors whose instances are activations.
type Ctor = (args: Args, kw: Kw) => (x: CE) => CE;
const pr = (name: string, f: (x: CE) => CE, p: readonly CE[] = []): ((x: CE) => CE) => (x) => prim(name, x, p) ?? f(x);
const CTORS: Readonly<Record<string, Ctor>> = {
  ReLU: () => pr('relu', relu),
  ReLU6: () => pr('relu6', (x) => clamp(x, num(0), num(6))),
  Sigmoid: () => (x) => fn('sigmoid', x),
  Tanh: () => (x) => fn('tanh', x),
  SiLU: () => silu,
  Mish: () => (x) => bin('*', x, fn('tanh', fn('softplus', x))),
  GELU: (a, kw) => {
    const t = geluApprox(arg(a, kw, 0, 'approximate'), 'torch');
    return pr(t ? 'gelu_tanh' : 'gelu', (x) => gelu(x, t));
  },
  ELU: (a, kw) => {
    const al = numArg(a, kw, 0, 1, 'alpha');
    return pr('elu', (x) => elu(x, al), [al]);
  },
  CELU: (a, kw) => {
    const al = numArg(a, kw, 0, 1, 'alpha');
    return pr('celu', (x) => elu(x, al), [al]);
  },
  LeakyReLU: (a, kw) => {
    const s = numArg(a, kw, 0, 0.01, 'negative_slope');
    return (x) => leaky(x, s, 'torch');
  },
  Hardtanh: (a, kw) => {
    const lo = numArg(a, kw, 0, -1, 'min_val');
    const hi = numArg(a, kw, 1, 1, 'max_val');
    return pr('hardtanh', (x) => clamp(x, lo, hi), [lo, hi]);
  },
  Softplus: (a, kw) => {
    const b = arg(a, kw, 0, 'beta');
    const t = arg(a, kw, 1, 'threshold');
    return (x) => softplusOf(x, b, t, 'torch');
  },
  Hardswish: () => pr('hardswish', (x) => bin('*', x, hardsigmoid(x))),
  Hardsigmoid: () => pr('hardsigmoid', hardsigmoid),
  Softsign: () => (x) => bin('/', x, bin('+', num(1), fn('abs', x))),
  Tanhshrink: () => (x) => bin('-', x, fn('tanh', x)),
  LogSigmoid: () => (x) => neg(fn('softplus', neg(x))),
  SELU: () => (x) => bin('*', num(SELU_SCALE), elu(x, num(SELU_ALPHA))),
  // nn.RReLU in eval mode: leaky_relu with the mean of its slopes
  RReLU: (a, kw) => {
    const s = bin('/', bin('+', numArg(a, kw, 0, 1 / 8, 'lower'), numArg(a, kw, 1, 1 / 3, 'upper')), num(2));
    return (x) => leaky(x, s, 'torch');
  },
};

/** `torch.nn.ReLU(...)` → a callable module; undefined when the path is not such a class. */
export function constructLibrary(path: string, args: Args, kw: Kw): Val | undefined {
  if (familyOf(path) !== 'torch') return undefined;
  const last = path.slice(path.lastIndexOf('.') + 1);
  const c = Object.prototype.hasOwnProperty.call(CTORS, last) ? CTORS[last] : undefined;
  if (!c) return undefined;
  const f = c(args, kw);
  return { v: 'fn', call: (a) => tensorResult(ex(f(asExpr(a[0]))), 'torch') };
}

// Tensor methods: x.sigmoid(), x.mul(y), x.clamp(min=0, max=6), x.astype(...)
const PASS_METHODS = new Set(['float', 'double', 'half', 'to', 'type', 'astype', 'contiguous', 'clone', 'detach', 'type_as', 'cpu', 'cuda', 'asType', 'toFloat']);

export function callMethod(self: CE, name: string, args: Args, kw: Kw): Val {
  const base = name.endsWith('_') && name.length > 1 ? name.slice(0, -1) : name;
  if (PASS_METHODS.has(base)) return ex(self);
  // x.where(c, y) = where(c, x, y); x.masked_fill(c, v) = where(c, v, x); x.rsub(y) = y − x
  const c = args[0] ?? kw.get('condition') ?? kw.get('mask');
  if ((base === 'where' || base === 'masked_fill') && c?.v === 'cond') {
    const other = asExpr(args[1] ?? kw.get('other') ?? kw.get('value') ?? kw.get('y'));
    return ex(base === 'where' ? where(c.op, c.l, c.r, self, other) : where(c.op, c.l, c.r, other, self));
  }
  if (base === 'rsub') return ex(bin('-', asExpr(args[0] ?? kw.get('other')), self));
  const op = Object.prototype.hasOwnProperty.call(OPS, base) ? OPS[base] : undefined;
  if (!op || ['where', 'ones', 'zeros', 'full', 'fill', 'array', 'tensor', 'constant', 'asarray', 'convert_to_tensor', 'cast', 'Parameter', 'Variable', 'scalar', 'step'].includes(base)) {
    return reject(`method .${name}() is not elementwise`);
  }
  return tensorResult(op([ex(self), ...args], kw, 'torch'), 'torch');
}

/** Notes (trace) that a tensor op was applied to x: a later `if` on x then rejects. */
function tensorResult(v: Val, fam: Family): Val {
  if (fam !== 'math' && v.v === 'e' && dependsOnX(v.e)) trace.tensorOp = true;
  return v;
}

/** Attributes of a tensor that carry no value of their own (x.dtype, x.device). */
export function tensorAttribute(name: string): Val {
  if (name === 'dtype' || name === 'device') return OPAQUE;
  if (name === 'T' || name === 'shape' || name === 'ndim' || name === 'size') return reject(`x.${name} is not elementwise`);
  return reject(`x.${name}`);
}

export { NONE, X };
