// Piecewise activations beyond the ReLU family: the hard* group (hard.ts), shrinkage
// (hardshrink, softshrink), Threshold, binary step, identity, and JAX/Keras's sparse_plus /
// sparse_sigmoid. Keras conventions from keras/src/backend/tensorflow/nn.py: hard_shrink =
// where(|x| > t, x, 0), soft_shrink and threshold use tf.where on strict comparisons (so
// f′ = 0 exactly at the thresholds), sparse_plus = where(x <= −1, 0, where(x < 1, ¼(x+1)², x)),
// sparse_sigmoid = where(x <= −1, 0, where(x >= 1, 1, ½(x + 1))).
import { makeKernel, num } from '../kernel';
import type { CatalogEntry, ElementwiseDef, NumArray } from '../types';
import { HARD_ENTRIES } from './hard';
import { kinksAt, show, tex, zeroSecond } from './piecewise-util';

const lambd = { name: 'lambd', type: 'number', default: 0.5, min: 0, uiMax: 3, doc: 'half-width of the zeroed band [−λ, λ]' } as const;

// hardshrink(x) = x if |x| > λ else 0 (torch: (x >= −λ && x <= λ) ? 0 : x, backward the same
// mask, so f′(±λ) = 0; Keras tf.where(|x| > t)). NaN → NaN (torch's mask lets NaN through too).
const hardshrink: ElementwiseDef = {
  kind: 'elementwise',
  id: 'hardshrink',
  title: 'Hardshrink',
  summary: 'Zeroes inputs within [−λ, λ], passes the rest unchanged (sparse coding, denoising).',
  params: [lambd],
  conventions: [],
  kernel: (p) => {
    const l = num(p, 'lambd');
    return makeKernel({
      f: (x) => (x > l || x < -l ? x : x === x ? 0 : x),
      df: (x) => (x > l || x < -l ? 1 : x === x ? 0 : x),
      d2f: zeroSecond,
    });
  },
  formulas: (p) => {
    const l = num(p, 'lambd');
    return {
      f: { latex: `\\begin{cases} x & |x| > ${tex(l)} \\\\ 0 & |x| \\le ${tex(l)} \\end{cases}`, text: `x if |x| > ${show(l)}, else 0` },
      df: { latex: `\\begin{cases} 1 & |x| > ${tex(l)} \\\\ 0 & |x| \\le ${tex(l)} \\end{cases}`, text: `1 if |x| > ${show(l)}, else 0` },
      d2f: { latex: `0 \\quad (|x| \\ne ${tex(l)})`, text: `0 (|x| ≠ ${show(l)})` },
    };
  },
  meta: (p) => {
    const l = num(p, 'lambd');
    return {
      range: l > 0 ? `(−∞, −${show(l)}) ∪ {0} ∪ (${show(l)}, ∞)` : '(−∞, ∞)',
      lower: -Infinity,
      upper: Infinity,
      // Jumps at ±λ go up (−λ → 0 and 0 → λ), so the function never decreases.
      monotonic: l > 0 ? 'non-decreasing' : 'increasing',
      smoothness: l > 0 ? 'discontinuous' : 'C0',
      zeroCentred: true,
      bounded: false,
      selfNormalizing: false,
      uses: ['sparse coding / denoising (shrinkage)', 'wavelet thresholding'],
      cost: 1,
    };
  },
  kinks: (p) => {
    const l = num(p, 'lambd');
    return kinksAt(hardshrink.kernel(p, {}).df, [-l, l], (x) => `f′(${show(x)}) = 0 (|x| ≤ λ is the zero branch)`);
  },
  plotRange: [-3, 3],
};

// softshrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0; f′(±λ) = 0 (torch reference data;
// Keras tf.where on strict comparisons). At NaN torch's backward gives 1 (its mask lets NaN
// through; some versions also return softshrink(NaN) = 0); we return NaN for f, f′ and f″.
const softshrink: ElementwiseDef = {
  kind: 'elementwise',
  id: 'softshrink',
  title: 'Softshrink',
  summary: 'Soft thresholding: shrinks every input toward 0 by λ, zeroing the band [−λ, λ].',
  params: [lambd],
  conventions: [],
  kernel: (p) => {
    const l = num(p, 'lambd');
    return makeKernel({
      f: (x) => (x > l ? x - l : x < -l ? x + l : x === x ? 0 : x),
      df: (x) => (x > l || x < -l ? 1 : x === x ? 0 : x),
      d2f: zeroSecond,
    });
  },
  formulas: (p) => {
    const l = num(p, 'lambd');
    return {
      f: { latex: `\\begin{cases} x - ${tex(l)} & x > ${tex(l)} \\\\ x + ${tex(l)} & x < -${tex(l)} \\\\ 0 & \\text{otherwise} \\end{cases}`, text: `x − ${show(l)} if x > ${show(l)}, x + ${show(l)} if x < −${show(l)}, else 0` },
      df: { latex: `\\begin{cases} 1 & |x| > ${tex(l)} \\\\ 0 & |x| \\le ${tex(l)} \\end{cases}`, text: `1 if |x| > ${show(l)}, else 0` },
      d2f: { latex: `0 \\quad (|x| \\ne ${tex(l)})`, text: `0 (|x| ≠ ${show(l)})` },
    };
  },
  meta: (p) => {
    const l = num(p, 'lambd');
    return {
      range: '(−∞, ∞)',
      lower: -Infinity,
      upper: Infinity,
      monotonic: l > 0 ? 'non-decreasing' : 'increasing',
      smoothness: 'C0',
      zeroCentred: true,
      bounded: false,
      selfNormalizing: false,
      uses: ['sparse coding (ISTA / LISTA proximal step)', 'denoising'],
      cost: 1,
    };
  },
  kinks: (p) => {
    const l = num(p, 'lambd');
    return kinksAt(softshrink.kernel(p, {}).df, [-l, l], (x) => `f′(${show(x)}) = 0 (|x| ≤ λ is the zero branch)`);
  },
  plotRange: [-3, 3],
};

// threshold(x) = x if x > θ else value (torch F.threshold: x <= θ ? value : x; backward zeroes
// x <= θ, so f′(θ) = 0; Keras tf.where(x > θ, x, default_value); Keras 2 / TF.js
// ThresholdedReLU(theta) is the same with value 0, computed as x·[x > θ]).
const threshold: ElementwiseDef = {
  kind: 'elementwise',
  id: 'threshold',
  title: 'Threshold',
  summary: 'Passes inputs above a threshold, replaces the rest by a constant value.',
  params: [
    { name: 'threshold', type: 'number', default: 0, uiMin: -3, uiMax: 3, doc: 'inputs at or below it are replaced' },
    { name: 'value', type: 'number', default: 0, uiMin: -3, uiMax: 3, doc: 'the replacement value' },
  ],
  conventions: [],
  kernel: (p) => {
    const t = num(p, 'threshold');
    const v = num(p, 'value');
    return makeKernel({
      f: (x) => (x > t ? x : x === x ? v : x),
      df: (x) => (x > t ? 1 : x === x ? 0 : x),
      d2f: zeroSecond,
      // Hand-written: the bench counts Threshold in the ReLU family (≥ 0.5× a bare Math.max loop).
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const u = x[i] as number;
          y[i] = u > t ? u : u <= t ? v : u;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const u = x[i] as number;
          gx[i] = u > t ? (gy[i] as number) : u <= t ? 0 : NaN;
        }
      },
    });
  },
  formulas: (p) => {
    const t = num(p, 'threshold');
    const v = num(p, 'value');
    return {
      f: { latex: `\\begin{cases} x & x > ${tex(t)} \\\\ ${tex(v)} & x \\le ${tex(t)} \\end{cases}`, text: `x if x > ${show(t)}, else ${show(v)}` },
      df: { latex: `\\begin{cases} 1 & x > ${tex(t)} \\\\ 0 & x \\le ${tex(t)} \\end{cases}`, text: `1 if x > ${show(t)}, else 0` },
      d2f: { latex: `0 \\quad (x \\ne ${tex(t)})`, text: `0 (x ≠ ${show(t)})` },
    };
  },
  meta: (p) => {
    const t = num(p, 'threshold');
    const v = num(p, 'value');
    return {
      range: v < t ? `{${show(v)}} ∪ (${show(t)}, ∞)` : v === t ? `[${show(t)}, ∞)` : `(${show(t)}, ∞)`,
      lower: Math.min(v, t),
      upper: Infinity,
      monotonic: v <= t ? 'non-decreasing' : 'no',
      smoothness: v === t ? 'C0' : 'discontinuous',
      zeroCentred: false,
      bounded: false,
      selfNormalizing: false,
      uses: ['thresholded ReLU (value 0)', 'hard gating of small activations'],
      cost: 1,
    };
  },
  kinks: (p) => kinksAt(threshold.kernel(p, {}).df, [num(p, 'threshold')], (x) => `f′(${show(x)}) = 0 (x ≤ threshold takes the constant branch)`),
  plotRange: [-3, 3],
};

// Binary step (Heaviside): 1 for x > 0, `low` for x < 0, and a chosen value at 0. Its
// derivative is 0 everywhere except a Dirac delta at 0, which no framework returns:
// TF.js's step has gradient 0 everywhere; torch.heaviside has no autograd formula.
const binaryStep: ElementwiseDef = {
  kind: 'elementwise',
  id: 'binary_step',
  title: 'Binary step (Heaviside)',
  summary: 'Outputs 1 for positive inputs and 0 (or `low`) otherwise: the perceptron activation, not trainable by gradients.',
  params: [
    { name: 'low', type: 'number', default: 0, uiMin: -1, uiMax: 1, doc: 'output for x < 0' },
    { name: 'at_zero', type: 'number', default: 0, uiMin: -1, uiMax: 1, doc: 'output at x = 0 (unless the convention says `low`)' },
  ],
  conventions: [
    {
      name: 'atZero',
      doc: 'the value at x = 0',
      options: [
        { value: 'param', doc: 'the at_zero parameter (torch.heaviside / numpy.heaviside `values`)' },
        { value: 'low', doc: 'the same as x < 0 (TF.js step: x > 0 ? 1 : alpha)' },
      ],
    },
  ],
  kernel: (p, c) => {
    const low = num(p, 'low');
    const z = c['atZero'] === 'low' ? low : num(p, 'at_zero');
    return makeKernel({
      f: (x) => (x > 0 ? 1 : x < 0 ? low : x === 0 ? z : x),
      df: zeroSecond,
      d2f: zeroSecond,
    });
  },
  formulas: (p, c) => {
    const low = num(p, 'low');
    const z = c['atZero'] === 'low' ? low : num(p, 'at_zero');
    return {
      f: { latex: `\\begin{cases} 1 & x > 0 \\\\ ${tex(z)} & x = 0 \\\\ ${tex(low)} & x < 0 \\end{cases}`, text: `1 if x > 0, ${show(z)} if x = 0, ${show(low)} if x < 0` },
      df: { latex: '0 \\quad (x \\ne 0;\\ \\text{a Dirac delta at } 0)', text: '0 (x ≠ 0; a Dirac delta at 0, reported as 0)' },
      d2f: { latex: '0', text: '0' },
    };
  },
  meta: (p) => {
    const low = num(p, 'low');
    const z = num(p, 'at_zero');
    const constant = low === 1 && z === 1;
    return {
      range: `{${[...new Set([low, z, 1])].sort((a, b) => a - b).map(show).join(', ')}}`,
      lower: Math.min(low, z, 1),
      upper: Math.max(low, z, 1),
      monotonic: low <= z && z <= 1 ? 'non-decreasing' : 'no',
      smoothness: constant ? 'C∞' : 'discontinuous',
      zeroCentred: false,
      bounded: true,
      selfNormalizing: false,
      uses: ['perceptrons and teaching', 'binary neurons with straight-through estimators'],
      cost: 1,
    };
  },
  kinks: (p, c) => {
    const low = num(p, 'low');
    const z = c['atZero'] === 'low' ? low : num(p, 'at_zero');
    return [{ x: 0, left: 0, right: 0, convention: `f(0) = ${show(z)}; f′ = 0 everywhere (the jump's Dirac delta is not representable)` }];
  },
  plotRange: [-3, 3],
};

// Identity: Keras's "linear", jax.nn.identity, torch.nn.Identity.
const identity: ElementwiseDef = {
  kind: 'elementwise',
  id: 'identity',
  title: 'Identity (linear)',
  summary: 'Returns its input: the "no activation" of output layers and linear models.',
  params: [],
  conventions: [],
  kernel: () => makeKernel({ f: (x) => x, df: (x) => (x === x ? 1 : x), d2f: zeroSecond }),
  formulas: () => ({ f: { latex: 'x', text: 'x' }, df: { latex: '1', text: '1' }, d2f: { latex: '0', text: '0' } }),
  meta: () => ({
    range: '(−∞, ∞)',
    lower: -Infinity,
    upper: Infinity,
    monotonic: 'increasing',
    smoothness: 'C∞',
    zeroCentred: true,
    bounded: false,
    selfNormalizing: false,
    uses: ['regression output layers', 'logits before a softmax/sigmoid loss'],
    cost: 0.5,
  }),
  kinks: () => [],
  plotRange: [-4, 4],
};

// sparse_plus: 0 for x ≤ −1, (x + 1)²/4 on (−1, 1), x for x ≥ 1. C¹: f′ = (x + 1)/2 joins 0 and
// 1 continuously; f″ jumps (0, ½, 0), and every framework returns f″(±1) = 0 and f′(−1) = 0,
// f′(1) = 1 (jax reference data; Keras's tf.where picks the outer branches at ±1).
const sparsePlus: ElementwiseDef = {
  kind: 'elementwise',
  id: 'sparse_plus',
  title: 'Sparse plus',
  summary: 'A softplus that is exactly 0 below −1 and exactly x above 1, quadratic in between.',
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      f: (x) => (x <= -1 ? 0 : x >= 1 ? x : ((x + 1) * (x + 1)) / 4),
      df: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : x === x ? 0.5 * (x + 1) : x),
      d2f: (x) => (x > -1 && x < 1 ? 0.5 : x === x ? 0 : x),
    }),
  formulas: () => ({
    f: { latex: '\\begin{cases} 0 & x \\le -1 \\\\ \\tfrac14 (x + 1)^2 & -1 < x < 1 \\\\ x & x \\ge 1 \\end{cases}', text: '0 if x ≤ −1, (x + 1)²/4 if −1 < x < 1, x if x ≥ 1' },
    df: { latex: '\\begin{cases} 0 & x \\le -1 \\\\ \\tfrac12 (x + 1) & -1 < x < 1 \\\\ 1 & x \\ge 1 \\end{cases}', text: '0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1' },
    d2f: { latex: '\\begin{cases} \\tfrac12 & |x| < 1 \\\\ 0 & |x| \\ge 1 \\end{cases}', text: '1/2 if |x| < 1, else 0' },
  }),
  meta: () => ({
    range: '[0, ∞)',
    lower: 0,
    upper: Infinity,
    monotonic: 'non-decreasing',
    smoothness: 'C1',
    zeroCentred: false,
    bounded: false,
    selfNormalizing: false,
    uses: ['sparse alternative to softplus (Fenchel-Young losses)'],
    cost: 1.2,
  }),
  kinks: () => [
    { x: -1, left: 0, right: 0, convention: 'f′(−1) = 0, f″(−1) = 0 (f″ jumps 0 → ½)' },
    { x: 1, left: 1, right: 1, convention: 'f′(1) = 1, f″(1) = 0 (f″ jumps ½ → 0)' },
  ],
  plotRange: [-3, 3],
};

// sparse_sigmoid = ½·clip(x + 1, 0, 2), the derivative of sparse_plus. Keras's tf.where gives
// f′(±1) = 0; jax.nn.sparse_sigmoid is 0.5·jnp.clip(x + 1, 0, 2) and jnp.clip is
// maximum/minimum, whose JVP splits ties in half (lax _balanced_eq), so jax's f′(±1) = ¼.
const sparseSigmoid: ElementwiseDef = {
  kind: 'elementwise',
  id: 'sparse_sigmoid',
  title: 'Sparse sigmoid',
  summary: 'A sigmoid that is exactly 0 below −1 and 1 above 1, linear in between.',
  params: [],
  conventions: [
    {
      name: 'gradAtEnds',
      doc: 'derivative returned at x = ±1',
      options: [
        { value: 'zero', doc: '0 (Keras: tf.where picks the constant branches)' },
        { value: 'quarter', doc: '¼ (JAX: jnp.clip ties get half of the slope ½)' },
      ],
    },
  ],
  kernel: (_p, c) => {
    const atEnds = c['gradAtEnds'] === 'quarter' ? 0.25 : 0;
    return makeKernel({
      f: (x) => (x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1)),
      df: (x) => (x > -1 && x < 1 ? 0.5 : x === -1 || x === 1 ? atEnds : x === x ? 0 : x),
      d2f: zeroSecond,
    });
  },
  formulas: () => ({
    f: { latex: '\\begin{cases} 0 & x \\le -1 \\\\ \\tfrac12 (x + 1) & -1 < x < 1 \\\\ 1 & x \\ge 1 \\end{cases}', text: '0 if x ≤ −1, (x + 1)/2 if −1 < x < 1, 1 if x ≥ 1' },
    df: { latex: '\\begin{cases} \\tfrac12 & |x| < 1 \\\\ 0 & |x| > 1 \\end{cases}', text: '1/2 if |x| < 1, 0 if |x| > 1' },
    d2f: { latex: '0 \\quad (|x| \\ne 1)', text: '0 (|x| ≠ 1)' },
  }),
  meta: () => ({
    range: '[0, 1]',
    lower: 0,
    upper: 1,
    monotonic: 'non-decreasing',
    smoothness: 'C0',
    zeroCentred: false,
    bounded: true,
    selfNormalizing: false,
    uses: ['sparse gates and probabilities (Fenchel-Young losses)'],
    cost: 1,
  }),
  kinks: (p, c) => {
    const k = sparseSigmoid.kernel(p, c);
    return kinksAt(k.df, [-1, 1], (x) => `f′(${show(x)}) = ${show(k.df(x))}`);
  },
  plotRange: [-3, 3],
};

const shrinkParam = (name: string) => [{ name, canonical: 'lambd', default: 0.5 }];

export const PIECEWISE_ENTRIES: readonly CatalogEntry[] = [
  ...HARD_ENTRIES,
  {
    def: hardshrink,
    bindings: [
      { framework: 'torch', id: 'hardshrink', names: ['hardshrink', 'Hardshrink'], paths: ['torch.nn.Hardshrink', 'torch.nn.functional.hardshrink', 'torch.Tensor.hardshrink'], params: shrinkParam('lambd'), conventions: {} },
      { framework: 'keras', id: 'hardshrink', names: ['hard_shrink'], paths: ['keras.activations.hard_shrink', 'keras.ops.hard_shrink'], params: shrinkParam('threshold'), conventions: {} },
    ],
  },
  {
    def: softshrink,
    bindings: [
      {
        framework: 'torch',
        id: 'softshrink',
        names: ['softshrink', 'Softshrink'],
        paths: ['torch.nn.Softshrink', 'torch.nn.functional.softshrink'],
        params: shrinkParam('lambd'),
        conventions: {},
        notes: ['At NaN PyTorch’s derivative is 1 (some versions also return softshrink(NaN) = 0); this catalog returns NaN for both.'],
      },
      { framework: 'keras', id: 'softshrink', names: ['soft_shrink'], paths: ['keras.activations.soft_shrink', 'keras.ops.soft_shrink'], params: shrinkParam('threshold'), conventions: {} },
    ],
  },
  {
    def: threshold,
    bindings: [
      {
        framework: 'torch',
        id: 'threshold',
        names: ['threshold', 'Threshold', 'threshold_'],
        paths: ['torch.nn.Threshold', 'torch.nn.functional.threshold'],
        params: [
          { name: 'threshold', canonical: 'threshold', default: 0 },
          { name: 'value', canonical: 'value', default: 0 },
        ],
        conventions: {},
        notes: ['Both arguments are required in PyTorch; the defaults shown (0, 0) make it ReLU.'],
      },
      {
        framework: 'keras',
        id: 'threshold',
        names: ['threshold'],
        paths: ['keras.activations.threshold', 'keras.ops.threshold'],
        params: [
          { name: 'threshold', canonical: 'threshold', default: 0 },
          { name: 'default_value', canonical: 'value', default: 0 },
        ],
        conventions: {},
        notes: ['Both arguments are required in Keras; the defaults shown (0, 0) make it ReLU.'],
      },
      { framework: 'tf', id: 'threshold', names: ['ThresholdedReLU'], paths: ['tf.keras.layers.ThresholdedReLU'], params: [{ name: 'theta', canonical: 'threshold', default: 1 }], fixed: { value: 0 }, conventions: {} },
      {
        framework: 'tfjs',
        id: 'threshold',
        names: ['thresholdedReLU'],
        paths: ['tf.layers.thresholdedReLU'],
        params: [{ name: 'theta', canonical: 'threshold', default: 1 }],
        fixed: { value: 0 },
        conventions: {},
        notes: ['TF.js cannot differentiate it (x·cast(x > theta): no gradient for Greater); f′ shown is the mathematical one, 0 at theta.'],
      },
    ],
  },
  {
    def: binaryStep,
    bindings: [
      {
        framework: 'torch',
        id: 'binary_step',
        names: ['heaviside'],
        paths: ['torch.heaviside'],
        params: [{ name: 'values', canonical: 'at_zero', default: 0 }],
        conventions: { atZero: 'param' },
        notes: ['torch.heaviside(input, values) requires `values` (the output at 0) and has no autograd formula; f′ shown is 0.'],
      },
      {
        framework: 'jax',
        id: 'binary_step',
        names: ['heaviside'],
        paths: ['jax.numpy.heaviside'],
        params: [{ name: 'x2', canonical: 'at_zero', default: 0 }],
        conventions: { atZero: 'param' },
        notes: ['jnp.heaviside(x1, x2) requires x2 (the output at 0); its gradient is 0.'],
      },
      { framework: 'tfjs', id: 'binary_step', names: ['step'], paths: ['tf.step'], params: [{ name: 'alpha', canonical: 'low', default: 0 }], conventions: { atZero: 'low' }, notes: ['step(0) = alpha; gradient 0 everywhere.'] },
    ],
  },
  {
    def: identity,
    bindings: [
      { framework: 'torch', id: 'identity', names: ['Identity', 'identity'], paths: ['torch.nn.Identity'], params: [], conventions: {} },
      { framework: 'keras', id: 'identity', names: ['linear'], paths: ['keras.activations.linear'], params: [], conventions: {}, notes: ['activation=None also means linear.'] },
      { framework: 'jax', id: 'identity', names: ['identity'], paths: ['jax.nn.identity'], params: [], conventions: {} },
      { framework: 'tf', id: 'identity', names: ['linear', 'identity'], paths: ['tf.keras.activations.linear', 'tf.identity'], params: [], conventions: {} },
      { framework: 'tfjs', id: 'identity', names: ['linear'], paths: ["tf.layers.activation({activation: 'linear'})"], params: [], conventions: {} },
    ],
  },
  {
    def: sparsePlus,
    bindings: [
      { framework: 'keras', id: 'sparse_plus', names: ['sparse_plus'], paths: ['keras.activations.sparse_plus', 'keras.ops.sparse_plus'], params: [], conventions: {} },
      { framework: 'jax', id: 'sparse_plus', names: ['sparse_plus'], paths: ['jax.nn.sparse_plus'], params: [], conventions: {} },
    ],
  },
  {
    def: sparseSigmoid,
    bindings: [
      { framework: 'keras', id: 'sparse_sigmoid', names: ['sparse_sigmoid'], paths: ['keras.activations.sparse_sigmoid', 'keras.ops.sparse_sigmoid'], params: [], conventions: { gradAtEnds: 'zero' } },
      {
        framework: 'jax',
        id: 'sparse_sigmoid',
        names: ['sparse_sigmoid'],
        paths: ['jax.nn.sparse_sigmoid'],
        params: [],
        conventions: { gradAtEnds: 'quarter' },
        notes: ['f′(±1) = ¼ comes from jnp.clip’s tie-splitting maximum/minimum (read from JAX’s source, not in the reference data).'],
      },
    ],
  },
];
