// ReLU and Leaky ReLU: the reference pattern for a catalog entry (def + every framework's
// binding beside it). Hand-written loops: these are the hottest kernels in trainings.
import { fmt, makeKernel, num } from '../kernel';
import type { CatalogEntry, ElementwiseDef, NumArray } from '../types';

// relu(x) = max(0, x); relu′(0) = 0 in every framework (torch threshold_backward,
// jax's custom_jvp, TF's ReluGrad all use x > 0).
const relu: ElementwiseDef = {
  kind: 'elementwise',
  id: 'relu',
  title: 'ReLU',
  summary: 'Rectified linear unit: passes positive inputs, zeroes the rest.',
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      f: (x) => (x > 0 ? x : x === x ? 0 : x),
      df: (x) => (x > 0 ? 1 : x === x ? 0 : x),
      d2f: (x) => (x === x ? 0 : x),
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          y[i] = v > 0 ? v : v === v ? 0 : v;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) gx[i] = (x[i] as number) > 0 ? (gy[i] as number) : 0;
      },
    }),
  formulas: () => ({
    f: { latex: '\\max(0, x)', text: 'max(0, x)' },
    df: { latex: '\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}', text: '1 if x > 0, else 0' },
    d2f: { latex: '0 \\quad (x \\ne 0)', text: '0 (x ≠ 0)' },
  }),
  meta: () => ({
    range: '[0, ∞)',
    lower: 0,
    upper: Infinity,
    monotonic: 'non-decreasing',
    smoothness: 'C0',
    zeroCentred: false,
    bounded: false,
    selfNormalizing: false,
    uses: ['default hidden activation for MLPs and CNNs', 'sparse activations'],
    cost: 1,
  }),
  kinks: () => [{ x: 0, left: 0, right: 1 }],
  plotRange: [-4, 4],
};

// leaky_relu(x) = x if x > 0 else s·x. At 0 the frameworks disagree:
// torch (`x > 0 ? g : g*s`) and TF (LeakyReluGrad: features > 0) give s;
// jax (`jnp.where(x >= 0, x, s*x)`) gives 1.
const leakyRelu: ElementwiseDef = {
  kind: 'elementwise',
  id: 'leaky_relu',
  title: 'Leaky ReLU',
  summary: 'ReLU with a small slope for negative inputs, so units never stop learning entirely.',
  params: [
    {
      name: 'negative_slope',
      type: 'number',
      default: 0.01,
      uiMin: 0,
      uiMax: 1,
      doc: 'slope for x < 0',
    },
  ],
  conventions: [
    {
      name: 'gradAtZero',
      doc: 'derivative returned at x = 0',
      options: [
        { value: 'slope', doc: 'the negative slope (PyTorch, TensorFlow: x > 0 selects the identity)' },
        { value: 'one', doc: '1 (JAX: x >= 0 selects the identity)' },
      ],
    },
  ],
  kernel: (p, c) => {
    const s = num(p, 'negative_slope');
    const atZero = c['gradAtZero'] === 'one' ? 1 : s;
    return makeKernel({
      f: (x) => (x > 0 ? x : s * x),
      df: (x) => (x > 0 ? 1 : x < 0 ? s : x === 0 ? atZero : x),
      d2f: (x) => (x === x ? 0 : x),
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          y[i] = v > 0 ? v : s * v;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          const g = gy[i] as number;
          gx[i] = v > 0 ? g : v < 0 ? s * g : v === 0 ? atZero * g : NaN;
        }
      },
    });
  },
  formulas: (p) => {
    const s = fmt(num(p, 'negative_slope'));
    return {
      f: { latex: `\\begin{cases} x & x > 0 \\\\ ${s}\\,x & x \\le 0 \\end{cases}`, text: `x if x > 0, else ${s}·x` },
      df: { latex: `\\begin{cases} 1 & x > 0 \\\\ ${s} & x < 0 \\end{cases}`, text: `1 if x > 0, ${s} if x < 0` },
      d2f: { latex: '0 \\quad (x \\ne 0)', text: '0 (x ≠ 0)' },
    };
  },
  meta: (p) => {
    const s = num(p, 'negative_slope');
    return {
      range: s > 0 ? '(−∞, ∞)' : s === 0 ? '[0, ∞)' : '(−∞ or ∞ depending on sign)',
      lower: s === 0 ? 0 : s > 0 ? -Infinity : 0,
      upper: Infinity,
      monotonic: s > 0 ? 'increasing' : s === 0 ? 'non-decreasing' : 'no',
      smoothness: s === 1 ? 'C∞' : 'C0',
      zeroCentred: false,
      bounded: false,
      selfNormalizing: false,
      uses: ['avoiding dead ReLUs', 'GAN discriminators (slope 0.2)'],
      cost: 1,
    };
  },
  kinks: (p, c) => {
    const s = num(p, 'negative_slope');
    return s === 1 ? [] : [{ x: 0, left: s, right: 1, convention: c['gradAtZero'] === 'one' ? 'f′(0) = 1' : `f′(0) = ${fmt(s)}` }];
  },
  plotRange: [-4, 4],
};

export const RELU_ENTRIES: readonly CatalogEntry[] = [
  {
    def: relu,
    bindings: [
      { framework: 'torch', id: 'relu', names: ['relu', 'ReLU', 'relu_'], paths: ['torch.nn.ReLU', 'torch.nn.functional.relu', 'torch.relu'], params: [], conventions: {} },
      { framework: 'keras', id: 'relu', names: ['relu'], paths: ['keras.activations.relu', 'keras.ops.relu'], params: [], conventions: {} },
      { framework: 'jax', id: 'relu', names: ['relu'], paths: ['jax.nn.relu', 'flax.linen.relu'], params: [], conventions: {} },
      { framework: 'tf', id: 'relu', names: ['relu'], paths: ['tf.nn.relu', 'tf.keras.activations.relu'], params: [], conventions: {} },
      { framework: 'tfjs', id: 'relu', names: ['relu'], paths: ['tf.relu', 'tf.layers.reLU'], params: [], conventions: {} },
    ],
  },
  {
    def: leakyRelu,
    bindings: [
      {
        framework: 'torch',
        id: 'leaky_relu',
        names: ['leaky_relu', 'LeakyReLU', 'leaky_relu_'],
        paths: ['torch.nn.LeakyReLU', 'torch.nn.functional.leaky_relu'],
        params: [{ name: 'negative_slope', canonical: 'negative_slope', default: 0.01 }],
        conventions: { gradAtZero: 'slope' },
      },
      {
        framework: 'keras',
        id: 'leaky_relu',
        names: ['leaky_relu'],
        paths: ['keras.activations.leaky_relu', 'keras.ops.leaky_relu'],
        params: [{ name: 'negative_slope', canonical: 'negative_slope', default: 0.2 }],
        conventions: { gradAtZero: 'slope' },
        notes: ['Keras 3 function default 0.2; the LeakyReLU layer defaults to 0.3. Gradient at 0 shown for the TensorFlow backend (JAX backend: 1).'],
      },
      {
        framework: 'keras',
        id: 'leaky_relu',
        names: ['LeakyReLU'],
        paths: ['keras.layers.LeakyReLU'],
        params: [{ name: 'negative_slope', canonical: 'negative_slope', default: 0.3, aliases: ['alpha'] }],
        conventions: { gradAtZero: 'slope' },
        notes: ['Keras 3 renamed the layer argument alpha → negative_slope; its default stays 0.3.'],
      },
      {
        framework: 'jax',
        id: 'leaky_relu',
        names: ['leaky_relu'],
        paths: ['jax.nn.leaky_relu', 'flax.linen.leaky_relu'],
        params: [{ name: 'negative_slope', canonical: 'negative_slope', default: 0.01 }],
        conventions: { gradAtZero: 'one' },
      },
      {
        framework: 'tf',
        id: 'leaky_relu',
        names: ['leaky_relu'],
        paths: ['tf.nn.leaky_relu'],
        params: [{ name: 'alpha', canonical: 'negative_slope', default: 0.2 }],
        conventions: { gradAtZero: 'slope' },
        notes: ['tf.nn.leaky_relu defaults to alpha=0.2; tf.keras 2’s LeakyReLU layer defaults to alpha=0.3.'],
      },
      {
        framework: 'tf',
        id: 'leaky_relu',
        names: ['LeakyReLU'],
        paths: ['tf.keras.layers.LeakyReLU'],
        params: [{ name: 'alpha', canonical: 'negative_slope', default: 0.3 }],
        conventions: { gradAtZero: 'slope' },
      },
      {
        framework: 'tfjs',
        id: 'leaky_relu',
        names: ['leakyRelu'],
        paths: ['tf.leakyRelu', 'tf.layers.leakyReLU'],
        params: [{ name: 'alpha', canonical: 'negative_slope', default: 0.2 }],
        conventions: { gradAtZero: 'slope' },
        notes: ['tf.leakyRelu defaults to alpha=0.2; tf.layers.leakyReLU defaults to alpha=0.3.'],
      },
    ],
  },
];
