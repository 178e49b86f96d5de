// Vector activations over the last axis of one vector: softmax, log_softmax, softmin, GLU and
// sparsemax. Each `apply` returns y and the full Jacobian J[i][j] = ∂y[i]/∂x[j]; `vectorEval`
// gives y and the Jacobian row by row (for inputs whose n² Jacobian would not fit).
//
// Numerics follow PyTorch's CPU kernels (aten/src/ATen/native/cpu/SoftMaxKernel.cpp, GLU's
// backward), so values agree with the frameworks to the last few ulps even where the
// frameworks' own formulas cancel (s·(1 − s) with s ≈ 1, σ(b)·(1 − σ(b)) for large b):
//   softmax:      m = max x, e = exp(x − m), s = e · (1/Σe)          (no overflow for any x)
//   log_softmax:  y = (x − m) − log Σe                               (log-sum-exp)
//   backward:     softmax J = s_j(δij − s_i); log_softmax J = δij − exp(y_j)
// Deliberate differences (listed in each binding's notes): ±Infinity entries are limits
// (the +∞ entries share the mass equally; a row of all −∞ is uniform, because softmax and
// sparsemax are shift-invariant), where the frameworks return NaN from ∞ − ∞.
import { CatalogError } from '../errors';
import type {
  ActivationMeta,
  BindingParam,
  CatalogEntry,
  Formula,
  Framework,
  FrameworkBinding,
  ParamSpec,
  ParamValue,
  VectorDef,
  VectorResult,
} from '../types';

// ---------------------------------------------------------------------------------------
// parameters: the axis. One vector has one axis, so -1 and 0 name the same one.

const DIM: ParamSpec = {
  name: 'dim',
  type: 'enum',
  default: '-1',
  options: ['-1', '0'],
  doc: 'axis the function acts along; a single vector has one axis, so -1 and 0 are the same',
};

/** The framework's axis argument (`dim`/`axis`); `None` means "the last axis" for one vector. */
function axisParam(name: string, dflt: ParamValue, allowNone: boolean): BindingParam {
  return {
    name,
    canonical: 'dim',
    default: dflt,
    options: allowNone ? ['None', -1, 0] : [-1, 0],
    toCanonical(v: ParamValue): ParamValue {
      if (v === 'None') {
        if (!allowNone) throw new Error(`${name} must be an integer, not None`);
        return '-1';
      }
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(v)}`);
      if (n !== -1 && n !== 0) throw new Error(`${name}=${n} is out of range for one vector (expected -1 or 0)`);
      return String(n);
    },
  };
}

// ---------------------------------------------------------------------------------------
// numerics

function hasNaN(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== x[i]) return true;
  return false;
}

/**
 * A vector function's values and its Jacobian ROW BY ROW: `row(i, out)` fills
 * out[j] = ∂y[i]/∂x[j] (out.length = cols), so a caller can stream a Jacobian, or take its
 * diagonal, without n² memory. `apply` is `full(…)` of the same rows, so both agree bitwise.
 */
export interface VectorEval {
  readonly y: Float64Array;
  /** Length of a Jacobian row (the input length). */
  readonly cols: number;
  row(i: number, out: Float64Array): void;
  /** ∂y[i]/∂x[i] alone, O(1). */
  diag(i: number): number;
}

function full(e: VectorEval): VectorResult {
  const jacobian: Float64Array[] = [];
  for (let i = 0; i < e.y.length; i++) {
    const row = new Float64Array(e.cols);
    e.row(i, row);
    jacobian.push(row);
  }
  return { y: e.y, jacobian };
}

function nanEval(rows: number, cols: number): VectorEval {
  return { y: new Float64Array(rows).fill(NaN), cols, row: (_i, out) => out.fill(NaN), diag: () => NaN };
}

/**
 * Softmax and log-softmax of z, no NaN in z. Max-subtraction keeps exp ≤ 1; +∞ entries share
 * the mass (limit of z_i = t → ∞ together), an all −∞ row is uniform (shift invariance).
 */
function normalise(z: Float64Array): { s: Float64Array; logp: Float64Array } {
  const n = z.length;
  const s = new Float64Array(n);
  const logp = new Float64Array(n);
  let m = -Infinity;
  for (let i = 0; i < n; i++) if ((z[i] as number) > m) m = z[i] as number;
  if (m === Infinity || m === -Infinity) {
    const top = m === Infinity ? Infinity : -Infinity;
    let k = 0;
    for (let i = 0; i < n; i++) if (z[i] === top) k++;
    const lk = -Math.log(k);
    for (let i = 0; i < n; i++) {
      const on = z[i] === top;
      s[i] = on ? 1 / k : 0;
      logp[i] = on ? lk : -Infinity;
    }
    return { s, logp };
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((z[i] as number) - m);
    s[i] = e;
    sum += e;
  }
  const inv = 1 / sum;
  const logSum = Math.log(sum);
  for (let i = 0; i < n; i++) {
    s[i] = (s[i] as number) * inv;
    logp[i] = ((z[i] as number) - m) - logSum;
  }
  return { s, logp };
}

/** softmax(sign·x); J[i][j] = sign · s_j (δij − s_i) (PyTorch's softmax backward). */
function softmaxLike(x: Float64Array, sign: 1 | -1): VectorEval {
  const n = x.length;
  if (hasNaN(x)) return nanEval(n, n);
  const z = sign === 1 ? x : x.map((v) => -v);
  const { s } = normalise(z);
  const entry = (i: number, j: number): number => sign * ((s[j] as number) * ((i === j ? 1 : 0) - (s[i] as number)));
  return {
    y: s,
    cols: n,
    row(i, out) {
      for (let j = 0; j < n; j++) out[j] = entry(i, j);
    },
    diag: (i) => entry(i, i),
  };
}

/** log_softmax; J[i][j] = δij − exp(y_j) (PyTorch's log_softmax backward). */
function logSoftmax(x: Float64Array): VectorEval {
  const n = x.length;
  if (hasNaN(x)) return nanEval(n, n);
  const { logp } = normalise(x);
  const entry = (i: number, j: number): number => (i === j ? 1 : 0) - Math.exp(logp[j] as number);
  return {
    y: logp,
    cols: n,
    row(i, out) {
      for (let j = 0; j < n; j++) out[j] = entry(i, j);
    },
    diag: (i) => entry(i, i),
  };
}

function evenHalf(n: number): number {
  if (n % 2 !== 0) {
    throw new CatalogError(`glu splits the last axis into two halves, so its length must be even (got ${n})`);
  }
  return n / 2;
}

/**
 * GLU: a = x[0..h), b = x[h..n), y = a·σ(b). ∂y_i/∂a_i = σ(b_i), ∂y_i/∂b_i = a_i·σ(b_i)·(1 − σ(b_i))
 * as in PyTorch's glu_backward (σ(b) = 1/(1 + e^(−b)), exact at ±∞).
 */
function glu(x: Float64Array): VectorEval {
  const h = evenHalf(x.length);
  const y = new Float64Array(h);
  const sig = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const a = x[i] as number;
    const g = 1 / (1 + Math.exp(-(x[h + i] as number)));
    sig[i] = g;
    y[i] = a * g;
  }
  return {
    y,
    cols: 2 * h,
    row(i, out) {
      out.fill(0);
      const g = sig[i] as number;
      out[i] = g;
      out[h + i] = (x[i] as number) * g * (1 - g);
    },
    diag: (i) => sig[i] as number,
  };
}

/**
 * Sparsemax (Martins & Astudillo 2016): the Euclidean projection onto the simplex,
 * y = max(x − τ, 0) with τ = (Σ_{support} x_(r) − 1)/k over the sorted support
 * {r : x_(r) − (C_r − 1)/r > 0}, C the cumulative sum of the descending sort — Keras 3's
 * formula with the threshold fix of keras-team/keras#23469 (sum of the sorted logits over the
 * support, not of their cumulative sums). J = diag(s) − s sᵀ/k, s the support indicator.
 */
function sparsemax(x: Float64Array): VectorEval {
  const n = x.length;
  if (hasNaN(x)) return nanEval(n, n);
  const y = new Float64Array(n);
  const inS = new Uint8Array(n);
  let k = 0;
  let m = -Infinity;
  for (let i = 0; i < n; i++) if ((x[i] as number) > m) m = x[i] as number;
  if (m === Infinity || m === -Infinity) {
    // Limits, as for softmax: the +∞ entries (or, for an all −∞ row, every entry) share 1.
    for (let i = 0; i < n; i++) {
      if (x[i] === m) {
        inS[i] = 1;
        k++;
      }
    }
    for (let i = 0; i < n; i++) y[i] = inS[i] ? 1 / k : 0;
  } else {
    // Shift by the max so the cumulative sums cannot overflow (sparsemax is shift-invariant).
    const z = x.map((v) => v - m);
    const sorted = Float64Array.from(z).sort(); // ascending; walk it from the end
    let c = 0;
    let supportSum = 0;
    for (let r = 1; r <= n; r++) {
      const v = sorted[n - r] as number;
      c += v;
      if (v - (c - 1) / r > 0) {
        k++;
        supportSum += v;
      }
    }
    const tau = (supportSum - 1) / k;
    for (let i = 0; i < n; i++) {
      const d = (z[i] as number) - tau;
      y[i] = d > 0 ? d : 0;
      if (d > 0) inS[i] = 1;
    }
    k = 0;
    for (let i = 0; i < n; i++) k += inS[i] as number;
  }
  const entry = (i: number, j: number): number => (inS[i] ? (i === j ? 1 : 0) - (inS[j] ? 1 / k : 0) : 0);
  return {
    y,
    cols: n,
    row(i, out) {
      for (let j = 0; j < n; j++) out[j] = entry(i, j);
    },
    diag: (i) => entry(i, i),
  };
}

const EVALS: Readonly<Record<string, (x: Float64Array) => VectorEval>> = {
  softmax: (x) => softmaxLike(x, 1),
  log_softmax: logSoftmax,
  softmin: (x) => softmaxLike(x, -1),
  glu,
  sparsemax,
};

/** Values and row-by-row Jacobian of a vector activation (by canonical id). */
export function vectorEval(id: string, x: Float64Array): VectorEval {
  const e = EVALS[id];
  if (!e) throw new CatalogError(`${id} is not a vector activation`);
  return e(x);
}

// ---------------------------------------------------------------------------------------
// definitions

function meta(m: Partial<ActivationMeta> & Pick<ActivationMeta, 'range' | 'lower' | 'upper' | 'smoothness' | 'uses' | 'cost'>): ActivationMeta {
  return {
    monotonic: 'no', // a vector map has no single monotonic direction (y_i rises with x_i, falls with x_j)
    zeroCentred: false,
    bounded: Number.isFinite(m.lower) && Number.isFinite(m.upper),
    selfNormalizing: false,
    ...m,
  };
}

function f(latex: string, text: string): Formula {
  return { latex, text };
}

function vectorDef(d: Omit<VectorDef, 'kind' | 'params' | 'conventions' | 'outputLength' | 'apply'> & { apply(x: Float64Array): VectorResult; outputLength?: (n: number) => number }): VectorDef {
  return {
    kind: 'vector',
    params: [DIM],
    conventions: [],
    outputLength: (n) => n,
    ...d,
    apply: (x) => d.apply(x),
  };
}

const INF_NOTE = '±inf entries are taken as limits (the +inf entries share the mass equally; a row of all -inf is uniform); the framework itself returns NaN there (inf − inf).';

const softmaxDef = vectorDef({
  id: 'softmax',
  title: 'Softmax',
  summary: 'Turns a vector of scores into probabilities: exponentiate, then normalise to sum 1.',
  apply: (x) => full(softmaxLike(x, 1)),
  formulas: () => ({
    f: f('\\mathrm{softmax}(x)_i = \\frac{e^{x_i - m}}{\\sum_j e^{x_j - m}},\\ m = \\max_j x_j', 'softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m), m = max x'),
    df: f('\\frac{\\partial y_i}{\\partial x_j} = y_i(\\delta_{ij} - y_j)', '∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ)'),
  }),
  meta: () => meta({ range: '[0, 1], summing to 1', lower: 0, upper: 1, smoothness: 'C∞', uses: ['multi-class output layer (with cross-entropy)', 'attention weights'], cost: 6 }),
});

const logSoftmaxDef = vectorDef({
  id: 'log_softmax',
  title: 'Log-softmax',
  summary: 'The logarithm of softmax, computed stably with log-sum-exp; pairs with NLL loss.',
  apply: (x) => full(logSoftmax(x)),
  formulas: () => ({
    f: f('\\log\\mathrm{softmax}(x)_i = x_i - m - \\log\\sum_j e^{x_j - m}', 'log_softmax(x)ᵢ = xᵢ − m − log Σⱼ exp(xⱼ − m), m = max x'),
    df: f('\\frac{\\partial y_i}{\\partial x_j} = \\delta_{ij} - e^{y_j}', '∂yᵢ/∂xⱼ = δᵢⱼ − exp(yⱼ)'),
  }),
  meta: () => meta({ range: '(−∞, 0]', lower: -Infinity, upper: 0, smoothness: 'C∞', uses: ['classifier output with NLL loss', 'numerically stable log-probabilities'], cost: 7 }),
});

const softminDef = vectorDef({
  id: 'softmin',
  title: 'Softmin',
  summary: 'Softmax of the negated input: the smallest scores get the largest probabilities.',
  apply: (x) => full(softmaxLike(x, -1)),
  formulas: () => ({
    f: f('\\mathrm{softmin}(x)_i = \\frac{e^{-x_i}}{\\sum_j e^{-x_j}}', 'softmin(x)ᵢ = exp(−xᵢ) / Σⱼ exp(−xⱼ)'),
    df: f('\\frac{\\partial y_i}{\\partial x_j} = -y_i(\\delta_{ij} - y_j)', '∂yᵢ/∂xⱼ = −yᵢ(δᵢⱼ − yⱼ)'),
  }),
  meta: () => meta({ range: '[0, 1], summing to 1', lower: 0, upper: 1, smoothness: 'C∞', uses: ['weighting by smallest cost or distance'], cost: 6 }),
});

const gluDef = vectorDef({
  id: 'glu',
  title: 'GLU (gated linear unit)',
  summary: 'Splits the vector into halves a and b and gates one with the other: a·σ(b).',
  apply: (x) => full(glu(x)),
  outputLength: evenHalf,
  formulas: () => ({
    f: f('\\mathrm{GLU}(a, b) = a \\otimes \\sigma(b),\\ x = [a; b]', 'GLU(x) = a ⊙ σ(b), where x = [a, b] split into halves'),
    df: f('\\frac{\\partial y_i}{\\partial a_i} = \\sigma(b_i),\\ \\frac{\\partial y_i}{\\partial b_i} = a_i\\,\\sigma(b_i)(1 - \\sigma(b_i))', '∂yᵢ/∂aᵢ = σ(bᵢ), ∂yᵢ/∂bᵢ = aᵢ·σ(bᵢ)(1 − σ(bᵢ))'),
  }),
  meta: () => meta({ range: '(−∞, ∞)', lower: -Infinity, upper: Infinity, smoothness: 'C∞', uses: ['gated convolutions (language models)', 'feed-forward blocks (GLU variants)'], cost: 4 }),
});

const sparsemaxDef = vectorDef({
  id: 'sparsemax',
  title: 'Sparsemax',
  summary: 'Projects scores onto the probability simplex: like softmax, but with exact zeros.',
  apply: (x) => full(sparsemax(x)),
  formulas: () => ({
    f: f('\\mathrm{sparsemax}(x)_i = \\max(x_i - \\tau(x), 0),\\ \\sum_i \\max(x_i - \\tau, 0) = 1', 'sparsemax(x)ᵢ = max(xᵢ − τ, 0), τ chosen so the outputs sum to 1'),
    df: f('J = \\mathrm{diag}(s) - \\frac{s s^\\top}{|S|},\\ s_i = [x_i > \\tau]', 'J = diag(s) − s sᵀ/|S|, sᵢ = 1 if xᵢ > τ (in the support) else 0'),
  }),
  meta: () => meta({ range: '[0, 1], summing to 1', lower: 0, upper: 1, smoothness: 'C0', uses: ['sparse attention', 'multi-label classification'], cost: 10 }),
});

// ---------------------------------------------------------------------------------------
// bindings

function bind(framework: Framework, id: string, names: string[], paths: string[], params: BindingParam[], notes: string[] = []): FrameworkBinding {
  // The ±inf note is about normalising (softmax's inf − inf); GLU has no normalisation.
  return { framework, id, names, paths, params, conventions: {}, notes: id === 'glu' ? notes : [...notes, INF_NOTE] };
}

const TORCH_IMPLICIT_DIM =
  'Omitting dim (nn.Softmax() or F.softmax(x)) warns "Implicit dimension choice … has been deprecated" and picks dim 0 for 0-, 1- and 3-D inputs, else 1; pass dim explicitly.';
const TF_NONE = 'axis=None means the last axis in tf.nn.';

export const VECTOR_ENTRIES: readonly CatalogEntry[] = [
  {
    def: softmaxDef,
    bindings: [
      bind('torch', 'softmax', ['softmax', 'Softmax'], ['torch.nn.Softmax', 'torch.nn.functional.softmax', 'torch.softmax', 'torch.special.softmax'], [axisParam('dim', 'None', true)], [TORCH_IMPLICIT_DIM]),
      bind('keras', 'softmax', ['softmax', 'Softmax'], ['keras.activations.softmax', 'keras.ops.softmax', 'keras.layers.Softmax'], [axisParam('axis', -1, true)]),
      bind('jax', 'softmax', ['softmax'], ['jax.nn.softmax', 'flax.linen.softmax'], [axisParam('axis', -1, true)]),
      bind('tf', 'softmax', ['softmax'], ['tf.nn.softmax', 'tf.math.softmax', 'tf.keras.activations.softmax'], [axisParam('axis', 'None', true)], [TF_NONE]),
      bind('tfjs', 'softmax', ['softmax'], ['tf.softmax', 'tf.layers.softmax'], [axisParam('dim', -1, false)]),
    ],
  },
  {
    def: logSoftmaxDef,
    bindings: [
      bind('torch', 'log_softmax', ['log_softmax', 'LogSoftmax'], ['torch.nn.LogSoftmax', 'torch.nn.functional.log_softmax', 'torch.log_softmax', 'torch.special.log_softmax'], [axisParam('dim', 'None', true)], [TORCH_IMPLICIT_DIM]),
      bind('keras', 'log_softmax', ['log_softmax'], ['keras.activations.log_softmax', 'keras.ops.log_softmax'], [axisParam('axis', -1, true)]),
      bind('jax', 'log_softmax', ['log_softmax'], ['jax.nn.log_softmax', 'flax.linen.log_softmax'], [axisParam('axis', -1, true)]),
      bind('tf', 'log_softmax', ['log_softmax'], ['tf.nn.log_softmax', 'tf.math.log_softmax'], [axisParam('axis', 'None', true)], [TF_NONE]),
      bind('tfjs', 'log_softmax', ['logSoftmax'], ['tf.logSoftmax'], [axisParam('axis', -1, false)]),
    ],
  },
  {
    def: softminDef,
    bindings: [
      bind('torch', 'softmin', ['softmin', 'Softmin'], ['torch.nn.Softmin', 'torch.nn.functional.softmin'], [axisParam('dim', 'None', true)], [TORCH_IMPLICIT_DIM]),
    ],
  },
  {
    def: gluDef,
    bindings: [
      bind('torch', 'glu', ['glu', 'GLU'], ['torch.nn.GLU', 'torch.nn.functional.glu'], [axisParam('dim', -1, false)], ['The split axis must have even length (RuntimeError otherwise).']),
      bind('keras', 'glu', ['glu'], ['keras.ops.glu', 'keras.activations.glu'], [axisParam('axis', -1, false)]),
      bind('jax', 'glu', ['glu'], ['jax.nn.glu'], [axisParam('axis', -1, false)]),
    ],
  },
  {
    def: sparsemaxDef,
    bindings: [
      bind('keras', 'sparsemax', ['sparsemax'], ['keras.activations.sparsemax', 'keras.ops.sparsemax'], [axisParam('axis', -1, false)], [
        'Keras releases before keras-team/keras#23469 (Aug 2026) computed τ from the sum of the cumulative sums over the support and returned wrong values (not summing to 1) whenever the support has 2+ entries (issue #23425); shown here is the corrected projection.',
        'At a kink (an entry exactly equal to τ) the engine uses the support-only Jacobian of Martins & Astudillo; autodiff through Keras’s max(x − τ, 0) there depends on the backend.',
      ]),
    ],
  },
];
