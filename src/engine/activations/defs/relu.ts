// The ReLU family with a slope below zero: ReLU (with Keras's negative_slope / max_value /
// threshold), Leaky ReLU, and (prelu.ts) PReLU and RReLU. Each def sits beside every
// framework's binding. Hand-written loops (here and in piecewise-util.ts): these are the
// hottest kernels in trainings, and the bench holds them to ≥ 0.5× a bare Math.max loop.
import { convention, makeKernel, num } from '../kernel';
import type { BindingParam, CatalogEntry, Conventions, ElementwiseDef, NumArray, ParamValue, Params } from '../types';
import { kerasReluFormulas, kerasReluKernel, kerasReluKinks, kerasReluMeta, isPlainRelu, type KerasReluParams } from './relu-keras';
import { kinksAt, show, slopeFormulas, slopeKernel, slopeMeta } from './piecewise-util';
import { PRELU_ENTRIES } from './prelu';

const RELU_USES = ['default hidden activation for MLPs and CNNs', 'sparse activations'];

function reluParams(p: Params, c: Conventions): KerasReluParams {
  return { s: num(p, 'negative_slope'), max: num(p, 'max_value'), theta: num(p, 'threshold'), gradAtMax: c['gradAtMax'] ?? 'keras' };
}

// max(0, x); relu′(0) = 0 in every framework (torch threshold_backward, jax's custom_jvp,
// TF's ReluGrad and TF.js's step(x) all use x > 0).
const plainRelu = makeKernel({
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
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      gx[i] = v > 0 ? (gy[i] as number) : v <= 0 ? 0 : NaN;
    }
  },
});

// PyTorch and JAX have plain max(0, x); Keras's relu adds three parameters (relu-keras.ts).
// They are parameters of this one def, pinned to 0 / ∞ / 0 by the other frameworks, so a
// Keras `relu(x, max_value=6.)` and a PyTorch `relu` are the same entry; the plain kernel
// is used whenever the parameters are the defaults, so ordinary ReLU stays fast.
const relu: ElementwiseDef = {
  kind: 'elementwise',
  id: 'relu',
  title: 'ReLU',
  summary: 'Rectified linear unit: passes positive inputs, zeroes the rest (Keras: optionally leaky, capped and thresholded).',
  tags: { family: 'relu', demo: 'dying-relu' },
  params: [
    { name: 'negative_slope', type: 'number', default: 0, min: 0, uiMax: 1, doc: 'slope below the threshold (Keras; PyTorch/JAX: 0)' },
    { name: 'max_value', type: 'number', default: Infinity, min: 0, uiMax: 10, doc: 'cap on the output, ∞ = None (Keras; PyTorch/JAX: none)' },
    { name: 'threshold', type: 'number', default: 0, min: 0, uiMax: 3, doc: 'inputs at or below it give 0 (or slope·(x − threshold)) (Keras)' },
  ],
  conventions: [
    convention('gradAtMax', 'derivative at x = max_value', {
      keras: '1 (clip_by_value passes ties), except max_value = 6 without threshold: relu6 path, 0',
      one: '1 for every max_value (TF.js layers.reLU: clipByValue is inclusive)',
    }),
  ],
  kernel: (p, c) => {
    const k = reluParams(p, c);
    if (isPlainRelu(k)) return plainRelu;
    if (k.max === Infinity && k.theta === 0) return slopeKernel(k.s, k.s); // Keras → leaky_relu
    return kerasReluKernel(k);
  },
  formulas: (p, c) => {
    const k = reluParams(p, c);
    if (!isPlainRelu(k)) return kerasReluFormulas(k);
    return {
      f: { latex: '\\max(0, x)', text: 'max(0, x)' },
      df: { latex: '\\begin{cases} 1 & x > 0 \\\\ 0 & x \\le 0 \\end{cases}', text: '1 if x > 0, else 0' },
      d2f: { latex: '0 \\quad (x \\ne 0)', text: '0 (x ≠ 0)' },
    };
  },
  meta: (p) => kerasReluMeta(reluParams(p, {}), RELU_USES),
  kinks: (p, c) => {
    const k = reluParams(p, c);
    return isPlainRelu(k) ? [{ x: 0, left: 0, right: 1, convention: 'f′(0) = 0' }] : kerasReluKinks(k);
  },
  plotRange: [-4, 4],
};

// x if x > 0 else s·x. At 0 the frameworks disagree: torch (`x > 0 ? g : g*s`), TF
// (LeakyReluGrad: features > 0) and TF.js give s; jax (`jnp.where(x >= 0, x, s*x)`) gives 1.
const GRAD_AT_ZERO_SLOPE = { value: 'slope', doc: 'the negative slope (PyTorch, TensorFlow, TF.js: x > 0 selects the identity)' };
const GRAD_AT_ZERO_ONE = { value: 'one', doc: '1 (JAX, Flax: x >= 0 selects the identity)' };

const leakyRelu: ElementwiseDef = {
  kind: 'elementwise',
  id: 'leaky_relu',
  title: 'Leaky ReLU',
  summary: 'ReLU with a small slope for negative inputs, so units never stop learning entirely.',
  tags: { family: 'relu', demo: 'dying-relu' },
  params: [{ name: 'negative_slope', type: 'number', default: 0.01, uiMin: 0, uiMax: 1, doc: 'slope for x < 0' }],
  conventions: [{ name: 'gradAtZero', doc: 'derivative returned at x = 0', options: [GRAD_AT_ZERO_SLOPE, GRAD_AT_ZERO_ONE] }],
  kernel: (p, c) => {
    const s = num(p, 'negative_slope');
    return slopeKernel(s, c['gradAtZero'] === 'one' ? 1 : s);
  },
  formulas: (p) => slopeFormulas(num(p, 'negative_slope')),
  meta: (p) => slopeMeta(num(p, 'negative_slope'), ['avoiding dead ReLUs', 'GAN discriminators (slope 0.2)']),
  kinks: (p, c) => {
    const s = num(p, 'negative_slope');
    const k = slopeKernel(s, c['gradAtZero'] === 'one' ? 1 : s);
    return kinksAt(k.df, [0], () => `f′(0) = ${show(k.df(0))}`);
  },
  plotRange: [-4, 4],
};

// ---------------------------------------------------------------------------------------
// bindings

/** Keras's max_value: None (no cap) or a number ≥ 0. */
const maxValue = (name: string, aliases?: readonly string[]): BindingParam => ({
  name,
  canonical: 'max_value',
  default: 'None',
  options: ['None'],
  ...(aliases ? { aliases } : {}),
  toCanonical: (v: ParamValue): ParamValue => {
    if (v === 'None' || (v as unknown) === null) return Infinity;
    if (typeof v === 'number') return v;
    throw new Error(`${name} must be a number or None, got ${JSON.stringify(v)}`);
  },
});
const p = (name: string, canonical: string, def: ParamValue, aliases?: readonly string[]): BindingParam => ({ name, canonical, default: def, ...(aliases ? { aliases } : {}) });
/** Keras layers refuse negative slopes ("cannot be None or negative value"). */
const nonNegative =
  (name: string) =>
  (v: ParamValue): ParamValue => {
    if (typeof v === 'number' && v < 0) throw new Error(`${name} = ${v}: the Keras layer rejects negative values`);
    return v;
  };
const PLAIN = { negative_slope: 0, max_value: Infinity, threshold: 0 };
const KERAS_RELU_NOTES = [
  'Gradients at kinks are those of the TensorFlow backend; on the JAX backend clip() splits ties (f′(max_value) = ½).',
  'Negative negative_slope / max_value / threshold are rejected here, as keras.layers.ReLU rejects them (the bare function accepts them).',
];

export const RELU_ENTRIES: readonly CatalogEntry[] = [
  {
    def: relu,
    bindings: [
      { framework: 'torch', id: 'relu', names: ['relu', 'ReLU', 'relu_'], paths: ['torch.nn.ReLU', 'torch.nn.functional.relu', 'torch.relu', 'torch.relu_', 'torch.Tensor.relu_'], params: [], fixed: PLAIN, conventions: {} },
      {
        framework: 'keras',
        id: 'relu',
        names: ['relu'],
        paths: ['keras.activations.relu', 'keras.ops.relu'],
        params: [p('negative_slope', 'negative_slope', 0), maxValue('max_value'), p('threshold', 'threshold', 0)],
        conventions: { gradAtMax: 'keras' },
        notes: KERAS_RELU_NOTES,
      },
      {
        framework: 'keras',
        id: 'relu',
        names: ['ReLU'],
        paths: ['keras.layers.ReLU'],
        params: [maxValue('max_value'), p('negative_slope', 'negative_slope', 0), p('threshold', 'threshold', 0)],
        conventions: { gradAtMax: 'keras' },
        notes: KERAS_RELU_NOTES,
      },
      { framework: 'jax', id: 'relu', names: ['relu'], paths: ['jax.nn.relu', 'flax.linen.relu'], params: [], fixed: PLAIN, conventions: {} },
      {
        framework: 'tf',
        id: 'relu',
        names: ['relu'],
        paths: ['tf.nn.relu', 'tf.keras.activations.relu'],
        params: [p('alpha', 'negative_slope', 0), maxValue('max_value'), p('threshold', 'threshold', 0)],
        conventions: { gradAtMax: 'keras' },
        notes: ['tf.nn.relu takes no parameters; tf.keras.activations.relu (Keras 2) has alpha, max_value, threshold with the same graph as Keras 3.'],
      },
      {
        framework: 'tf',
        id: 'relu',
        names: ['ReLU'],
        paths: ['tf.keras.layers.ReLU'],
        params: [maxValue('max_value'), p('negative_slope', 'negative_slope', 0), p('threshold', 'threshold', 0)],
        conventions: { gradAtMax: 'keras' },
      },
      { framework: 'tfjs', id: 'relu', names: ['relu'], paths: ['tf.relu'], params: [], fixed: PLAIN, conventions: {} },
      {
        framework: 'tfjs',
        id: 'relu',
        names: ['reLU'],
        paths: ['tf.layers.reLU'],
        params: [maxValue('maxValue')],
        fixed: { negative_slope: 0, threshold: 0 },
        conventions: { gradAtMax: 'one' },
        notes: ['maxValue clips with clipByValue, whose gradient is 1 at the cap (also for maxValue = 6, unlike tf.relu6).'],
      },
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
        params: [p('negative_slope', 'negative_slope', 0.01)],
        conventions: { gradAtZero: 'slope' },
      },
      {
        framework: 'keras',
        id: 'leaky_relu',
        names: ['leaky_relu'],
        paths: ['keras.activations.leaky_relu', 'keras.ops.leaky_relu'],
        params: [p('negative_slope', 'negative_slope', 0.2)],
        conventions: { gradAtZero: 'slope' },
        notes: ['Keras 3 function default 0.2; the LeakyReLU layer defaults to 0.3. Gradient at 0 shown for the TensorFlow backend (JAX backend: 1).'],
      },
      {
        framework: 'keras',
        id: 'leaky_relu',
        names: ['LeakyReLU'],
        paths: ['keras.layers.LeakyReLU'],
        params: [{ ...p('negative_slope', 'negative_slope', 0.3, ['alpha']), toCanonical: nonNegative('negative_slope') }],
        conventions: { gradAtZero: 'slope' },
        notes: ['Keras 3 renamed the layer argument alpha → negative_slope; its default stays 0.3. The layer rejects negative slopes.'],
      },
      {
        framework: 'jax',
        id: 'leaky_relu',
        names: ['leaky_relu'],
        paths: ['jax.nn.leaky_relu', 'flax.linen.leaky_relu'],
        params: [p('negative_slope', 'negative_slope', 0.01)],
        conventions: { gradAtZero: 'one' },
      },
      {
        framework: 'tf',
        id: 'leaky_relu',
        names: ['leaky_relu'],
        paths: ['tf.nn.leaky_relu'],
        params: [p('alpha', 'negative_slope', 0.2)],
        conventions: { gradAtZero: 'slope' },
        notes: ['tf.nn.leaky_relu defaults to alpha=0.2; tf.keras 2’s LeakyReLU layer defaults to alpha=0.3.'],
      },
      {
        framework: 'tf',
        id: 'leaky_relu',
        names: ['LeakyReLU'],
        paths: ['tf.keras.layers.LeakyReLU'],
        params: [p('alpha', 'negative_slope', 0.3)],
        conventions: { gradAtZero: 'slope' },
      },
      {
        framework: 'tfjs',
        id: 'leaky_relu',
        names: ['leakyRelu'],
        paths: ['tf.leakyRelu'],
        params: [p('alpha', 'negative_slope', 0.2)],
        conventions: { gradAtZero: 'slope' },
        notes: ['tf.leakyRelu defaults to alpha=0.2; tf.layers.leakyReLU defaults to alpha=0.3.'],
      },
      {
        framework: 'tfjs',
        id: 'leaky_relu',
        names: ['leakyReLU'],
        paths: ['tf.layers.leakyReLU'],
        params: [p('alpha', 'negative_slope', 0.3)],
        conventions: { gradAtZero: 'slope' },
      },
    ],
  },
  ...PRELU_ENTRIES,
];
