// Binary step (Heaviside), identity, and JAX/Keras's sparse_plus / sparse_sigmoid. Keras
// conventions from keras/src/backend/tensorflow/nn.py: sparse_plus = where(x <= −1, 0,
// where(x < 1, ¼(x+1)², x)), sparse_sigmoid = where(x <= −1, 0, where(x >= 1, 1, ½(x + 1))).
import { convention, makeKernel, num } from '../kernel';
import type { CatalogEntry, ElementwiseDef } from '../types';
import { kinksAt, show, tex, zeroSecond } from './piecewise-util';

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
    convention('atZero', 'the value at x = 0', {
      param: 'the at_zero parameter (torch.heaviside / numpy.heaviside `values`)',
      low: 'the same as x < 0 (TF.js step: x > 0 ? 1 : alpha)',
    }),
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
    // low = f(0) = 1: the constant 1, no step at all
    if (low === 1 && z === 1) return [];
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
    convention('gradAtEnds', 'derivative returned at x = ±1', {
      zero: '0 (Keras: tf.where picks the constant branches)',
      quarter: '¼ (JAX: jnp.clip ties get half of the slope ½)',
    }),
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

export const SIMPLE_ENTRIES: readonly CatalogEntry[] = [
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
