// The clipped ("hard") activations: ReLU6, Hardtanh, Hardsigmoid, Hardswish / hard SiLU.
// Kink conventions come from the PyTorch/JAX reference data and, for Keras/TF/TF.js, from
// their sources: keras/src/backend/tensorflow/nn.py (relu6 → tf.nn.relu6, hard_sigmoid =
// relu6(x + 3)/6, hard_silu = x·hard_sigmoid(x), hard_tanh = tf.clip_by_value), Keras 2's
// tf.keras.backend.hard_sigmoid (clip_by_value(0.2·x + 0.5, 0, 1)), TF's Relu6Grad
// (0 < x < 6), tensorflow/python/ops/math_grad.py (_MaximumGrad / _MinimumGrad pass the
// gradient on ties, so clip_by_value is inclusive), tfjs-core Relu6_grad.ts
// (x <= 6 && x > 0) and tfjs-layers activations.ts (HardSigmoid = clipByValue(0.2x + 0.5)).
// The TF.js bindings are checked against TF.js 4.22 itself in test/unit/piecewise.test.ts.
import { convention, makeKernel, num } from '../kernel';
import type { CatalogEntry, ElementwiseDef, NumArray } from '../types';
import { interval, kinksAt, show, tex, zeroSecond } from './piecewise-util';

// relu6(x) = min(max(x, 0), 6). f′ is 1 on (0, 6); at 6 TF.js's tf.relu6 gives 1.
const relu6: ElementwiseDef = {
  kind: 'elementwise',
  id: 'relu6',
  title: 'ReLU6',
  summary: 'ReLU capped at 6: robust to low-precision arithmetic (MobileNet).',
  tags: { family: 'relu', demo: 'dying-relu' },
  params: [],
  conventions: [
    convention('gradAtMax', 'derivative returned at x = 6', {
      zero: '0 (PyTorch, JAX, TensorFlow, Keras: 1 only on 0 < x < 6)',
      one: '1 (TF.js tf.relu6: x <= 6)',
    }),
  ],
  kernel: (_p, c) => {
    const at6 = c['gradAtMax'] === 'one' ? 1 : 0;
    return makeKernel({
      f: (x) => (x > 0 ? (x < 6 ? x : 6) : x === x ? 0 : x),
      df: (x) => (x > 0 && x < 6 ? 1 : x === 6 ? at6 : x === x ? 0 : x),
      d2f: zeroSecond,
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          y[i] = v > 0 ? (v < 6 ? v : 6) : v === v ? 0 : v;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          gx[i] = v > 0 && v < 6 ? (gy[i] as number) : v === 6 ? at6 * (gy[i] as number) : v === v ? 0 : NaN;
        }
      },
    });
  },
  formulas: () => ({
    f: { latex: '\\min(\\max(0, x), 6)', text: 'min(max(0, x), 6)' },
    df: { latex: '\\begin{cases} 1 & 0 < x < 6 \\\\ 0 & x < 0 \\text{ or } x > 6 \\end{cases}', text: '1 if 0 < x < 6, else 0' },
    d2f: { latex: '0 \\quad (x \\ne 0, 6)', text: '0 (x ≠ 0, 6)' },
  }),
  meta: () => ({
    range: '[0, 6]',
    lower: 0,
    upper: 6,
    monotonic: 'non-decreasing',
    smoothness: 'C0',
    zeroCentred: false,
    bounded: true,
    selfNormalizing: false,
    uses: ['mobile CNNs (MobileNet v1/v2)', 'quantisation-friendly hidden layers'],
    cost: 1,
  }),
  kinks: (p, c) => kinksAt(relu6.kernel(p, c).df, [0, 6], (x) => `f′(${x}) = ${relu6.kernel(p, c).df(x)}`),
  plotRange: [-3, 9],
};

// hardtanh(x) = clamp(x, min_val, max_val). torch: f′ = 1 only strictly inside (the data:
// hardtanh′(±1) = 0); jax.nn.hard_tanh uses where(x > 1, 1, where(x < -1, -1, x)) and Keras
// tf.clip_by_value, both giving 1 at the ends.
const hardtanh: ElementwiseDef = {
  kind: 'elementwise',
  id: 'hardtanh',
  title: 'Hardtanh',
  summary: 'Identity clipped to [min_val, max_val]: a piecewise-linear tanh.',
  tags: { saturating: true, demo: 'vanishing-gradients' },
  params: [
    { name: 'min_val', type: 'number', default: -1, uiMin: -5, uiMax: 0, doc: 'lower clip value' },
    { name: 'max_val', type: 'number', default: 1, uiMin: 0, uiMax: 5, doc: 'upper clip value (> min_val)' },
  ],
  conventions: [
    convention('gradAtEnds', 'derivative returned at x = min_val and x = max_val', {
      zero: '0 (PyTorch: 1 only for min_val < x < max_val)',
      one: '1 (JAX where(), Keras/TF clip_by_value, TF.js clipByValue)',
    }),
  ],
  validate: (p) => {
    const lo = num(p, 'min_val');
    const hi = num(p, 'max_val');
    return lo < hi ? undefined : `min_val (${lo}) must be less than max_val (${hi})`;
  },
  kernel: (p, c) => {
    const lo = num(p, 'min_val');
    const hi = num(p, 'max_val');
    const atEnds = c['gradAtEnds'] === 'one' ? 1 : 0;
    return makeKernel({
      f: (x) => (x < lo ? lo : x > hi ? hi : x),
      df: (x) => (x > lo && x < hi ? 1 : x === lo || x === hi ? atEnds : x === x ? 0 : x),
      d2f: zeroSecond,
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          y[i] = v < lo ? lo : v > hi ? hi : v;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          gx[i] = v > lo && v < hi ? (gy[i] as number) : v === lo || v === hi ? atEnds * (gy[i] as number) : v === v ? 0 : NaN;
        }
      },
    });
  },
  formulas: (p) => {
    const lo = num(p, 'min_val');
    const hi = num(p, 'max_val');
    return {
      f: { latex: `\\min(\\max(x, ${tex(lo)}), ${tex(hi)})`, text: `min(max(x, ${show(lo)}), ${show(hi)})` },
      df: { latex: `\\begin{cases} 1 & ${tex(lo)} < x < ${tex(hi)} \\\\ 0 & x < ${tex(lo)} \\text{ or } x > ${tex(hi)} \\end{cases}`, text: `1 if ${show(lo)} < x < ${show(hi)}, else 0` },
      d2f: { latex: `0 \\quad (x \\ne ${tex(lo)}, ${tex(hi)})`, text: `0 (x ≠ ${show(lo)}, ${show(hi)})` },
    };
  },
  meta: (p) => {
    const lo = num(p, 'min_val');
    const hi = num(p, 'max_val');
    return {
      range: interval(lo, hi),
      lower: lo,
      upper: hi,
      monotonic: 'non-decreasing',
      smoothness: 'C0',
      zeroCentred: lo === -hi,
      bounded: Number.isFinite(lo) && Number.isFinite(hi),
      selfNormalizing: false,
      uses: ['bounded hidden activations', 'cheap tanh replacement (speech, quantised nets)'],
      cost: 1,
    };
  },
  kinks: (p, c) => {
    const k = hardtanh.kernel(p, c);
    return kinksAt(k.df, [num(p, 'min_val'), num(p, 'max_val')], (x) => `f′(${show(x)}) = ${k.df(x)}`);
  },
  plotRange: [-3, 3],
};

// hardsigmoid. Two formulas: x/6 + 1/2 clipped to [0, 1] (PyTorch, JAX, Keras 3: relu6(x + 3)/6,
// kinks at ±3) and Keras 2's 0.2·x + 0.5 clipped (tf.keras 2, TF.js "hardSigmoid", kinks at
// ±2.5, clip_by_value inclusive so f′(±2.5) = 0.2).
// PyTorch quirk, mimicked on purpose: its backward multiplies by `1.0f / 6.0f`, so f′ inside is
// float32(1/6) = 0.1666666716337204 (3e-8 off 1/6), and it has no double backward at all.
// We return what PyTorch returns (the point of a per-framework binding); the canonical def and
// every other framework use the exact 1/6.
const F32_SIXTH = Math.fround(1 / 6);

const hardsigmoid: ElementwiseDef = {
  kind: 'elementwise',
  id: 'hardsigmoid',
  title: 'Hardsigmoid',
  summary: 'Piecewise-linear sigmoid: a line through (0, ½) clipped to [0, 1].',
  tags: { saturating: true, demo: 'vanishing-gradients' },
  params: [],
  conventions: [
    convention('variant', 'the formula', {
      sixth: 'x/6 + 1/2 clipped (PyTorch, JAX, Keras 3): relu6(x + 3)/6',
      fifth: '0.2·x + 0.5 clipped (Keras 2 / tf.keras 2, TF.js "hardSigmoid")',
    }),
    convention('gradAtEnds', 'derivative returned where the line meets 0 and 1', {
      zero: '0 (PyTorch; relu6′ is 0 at 0 and 6 in JAX and TF)',
      slope: 'the slope (clip_by_value / clipByValue pass ties: Keras 2, TF.js)',
    }),
    convention('slope', 'the value of the slope 1/6 in f′', {
      exact: '1/6 in float64',
      float32: 'float32(1/6) = 0.1666666716… (PyTorch’s backward kernel)',
    }),
    convention('second', 'whether the framework has a second derivative', {
      zero: 'f″ = 0 (JAX, Keras, TF, TF.js)',
      none: 'none: PyTorch hardsigmoid has no double backward',
    }),
  ],
  kernel: (_p, c) => {
    const fifth = c['variant'] === 'fifth';
    const inclusive = c['gradAtEnds'] === 'slope';
    if (fifth) {
      // y = 0.2·x + 0.5 (Keras 2 multiplies, then adds), clipped; the mask is taken on y.
      const lin = (x: number): number => x * 0.2 + 0.5;
      return makeKernel({
        f: (x) => {
          const y = lin(x);
          return y < 0 ? 0 : y > 1 ? 1 : y;
        },
        df: (x) => {
          const y = lin(x);
          return y > 0 && y < 1 ? 0.2 : y === 0 || y === 1 ? (inclusive ? 0.2 : 0) : y === y ? 0 : y;
        },
        d2f: zeroSecond,
        hasSecond: c['second'] !== 'none',
      });
    }
    const k = c['slope'] === 'float32' ? F32_SIXTH : 1 / 6;
    const atEnds = inclusive ? k : 0;
    return makeKernel({
      f: (x) => (x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6),
      df: (x) => (x > -3 && x < 3 ? k : x === -3 || x === 3 ? atEnds : x === x ? 0 : x),
      d2f: zeroSecond,
      hasSecond: c['second'] !== 'none',
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          y[i] = v <= -3 ? 0 : v >= 3 ? 1 : (v + 3) / 6;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          const g = gy[i] as number;
          gx[i] = v > -3 && v < 3 ? k * g : v === -3 || v === 3 ? atEnds * g : v === v ? 0 : NaN;
        }
      },
    });
  },
  formulas: (_p, c) => {
    const fifth = c['variant'] === 'fifth';
    const e = fifth ? '2.5' : '3';
    const slope = fifth ? '0.2' : c['slope'] === 'float32' ? '0.1666666716 (float32 1/6)' : '1/6';
    return {
      f: fifth
        ? { latex: '\\min(\\max(0.2\\,x + 0.5, 0), 1)', text: 'min(max(0.2·x + 0.5, 0), 1)' }
        : { latex: '\\min(\\max(\\tfrac{x}{6} + \\tfrac12, 0), 1)', text: 'min(max(x/6 + 1/2, 0), 1)' },
      df: { latex: `\\begin{cases} ${fifth ? '0.2' : '\\tfrac16'} & |x| < ${e} \\\\ 0 & |x| > ${e} \\end{cases}`, text: `${slope} if |x| < ${e}, else 0` },
      d2f: c['second'] === 'none' ? { latex: '\\text{none (no double backward)}', text: 'none (no double backward)' } : { latex: `0 \\quad (|x| \\ne ${e})`, text: `0 (|x| ≠ ${e})` },
    };
  },
  meta: () => ({
    range: '[0, 1]',
    lower: 0,
    upper: 1,
    monotonic: 'non-decreasing',
    smoothness: 'C0',
    zeroCentred: false,
    bounded: true,
    selfNormalizing: false,
    uses: ['gates in mobile networks (MobileNetV3 squeeze-excite)', 'cheap sigmoid replacement'],
    cost: 1.2,
  }),
  kinks: (p, c) => {
    const k = hardsigmoid.kernel(p, c);
    const e = c['variant'] === 'fifth' ? 2.5 : 3;
    return kinksAt(k.df, [-e, e], (x) => `f′(${show(x)}) = ${show(k.df(x))}`);
  },
  plotRange: [-5, 5],
};

// hardswish(x) = x·relu6(x + 3)/6. Every framework agrees at the kinks (reference data for
// torch and jax; Keras's x·hard_sigmoid(x) gives 0 + x·0 at −3 and 1 + 3·0 at 3):
// f′(−3) = 0, f′(3) = 1, f″(±3) = 0. Inside, f′ = x/3 + 1/2 (torch's backward formula).
const hardswish: ElementwiseDef = {
  kind: 'elementwise',
  id: 'hardswish',
  title: 'Hardswish (hard SiLU)',
  summary: 'Piecewise-quadratic SiLU: x·hardsigmoid(x), cheap on mobile hardware.',
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      // x ≤ −3 gives −0 like torch's x·0 (and the limit 0 at −∞ instead of −∞·0 = NaN).
      f: (x) => (x <= -3 ? -0 : x >= 3 ? x : (x * (x + 3)) / 6),
      df: (x) => (x <= -3 ? 0 : x < 3 ? x / 3 + 0.5 : x === x ? 1 : x),
      d2f: (x) => (x > -3 && x < 3 ? 1 / 3 : x === x ? 0 : x),
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          y[i] = v <= -3 ? -0 : v >= 3 ? v : (v * (v + 3)) / 6;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          const g = gy[i] as number;
          gx[i] = v <= -3 ? 0 : v < 3 ? (v / 3 + 0.5) * g : v === v ? g : NaN;
        }
      },
    }),
  formulas: () => ({
    f: { latex: '\\begin{cases} 0 & x \\le -3 \\\\ \\tfrac{x(x + 3)}{6} & -3 < x < 3 \\\\ x & x \\ge 3 \\end{cases}', text: '0 if x ≤ −3, x·(x + 3)/6 if −3 < x < 3, x if x ≥ 3' },
    df: { latex: '\\begin{cases} 0 & x \\le -3 \\\\ \\tfrac{x}{3} + \\tfrac12 & -3 < x < 3 \\\\ 1 & x \\ge 3 \\end{cases}', text: '0 if x ≤ −3, x/3 + 1/2 if −3 < x < 3, 1 if x ≥ 3' },
    d2f: { latex: '\\begin{cases} \\tfrac13 & |x| < 3 \\\\ 0 & |x| \\ge 3 \\end{cases}', text: '1/3 if |x| < 3, else 0' },
  }),
  meta: () => ({
    range: '[−0.375, ∞)',
    lower: -0.375,
    upper: Infinity,
    monotonic: 'no',
    smoothness: 'C0',
    zeroCentred: false,
    bounded: false,
    selfNormalizing: false,
    uses: ['mobile CNNs (MobileNetV3)', 'cheap SiLU/swish replacement'],
    cost: 1.5,
  }),
  kinks: () => [
    { x: -3, left: 0, right: -0.5, convention: 'f′(−3) = 0, f″(−3) = 0' },
    { x: 3, left: 1.5, right: 1, convention: 'f′(3) = 1, f″(3) = 0' },
  ],
  plotRange: [-5, 5],
};

const HS_TORCH = { variant: 'sixth', gradAtEnds: 'zero', slope: 'float32', second: 'none' };
const HS_SIXTH = { variant: 'sixth', gradAtEnds: 'zero', slope: 'exact', second: 'zero' };
const HS_FIFTH = { variant: 'fifth', gradAtEnds: 'slope', slope: 'exact', second: 'zero' };

export const HARD_ENTRIES: readonly CatalogEntry[] = [
  {
    def: relu6,
    bindings: [
      { framework: 'torch', id: 'relu6', names: ['relu6', 'ReLU6'], paths: ['torch.nn.ReLU6', 'torch.nn.functional.relu6'], params: [], conventions: { gradAtMax: 'zero' } },
      { framework: 'keras', id: 'relu6', names: ['relu6'], paths: ['keras.activations.relu6', 'keras.ops.relu6'], params: [], conventions: { gradAtMax: 'zero' } },
      { framework: 'jax', id: 'relu6', names: ['relu6'], paths: ['jax.nn.relu6', 'flax.linen.relu6'], params: [], conventions: { gradAtMax: 'zero' } },
      { framework: 'tf', id: 'relu6', names: ['relu6'], paths: ['tf.nn.relu6'], params: [], conventions: { gradAtMax: 'zero' } },
      {
        framework: 'tfjs',
        id: 'relu6',
        names: ['relu6'],
        paths: ['tf.relu6'],
        params: [],
        conventions: { gradAtMax: 'one' },
        notes: ['tf.relu6’s gradient is 1 at x = 6; the layers activation "relu6" (minimum(6, relu(x))) gives 0 there.'],
      },
    ],
  },
  {
    def: hardtanh,
    bindings: [
      {
        framework: 'torch',
        id: 'hardtanh',
        names: ['hardtanh', 'Hardtanh', 'hardtanh_'],
        paths: ['torch.nn.Hardtanh', 'torch.nn.functional.hardtanh'],
        params: [
          { name: 'min_val', canonical: 'min_val', default: -1 },
          { name: 'max_val', canonical: 'max_val', default: 1 },
        ],
        conventions: { gradAtEnds: 'zero' },
      },
      { framework: 'keras', id: 'hardtanh', names: ['hard_tanh'], paths: ['keras.activations.hard_tanh', 'keras.ops.hard_tanh'], params: [], fixed: { min_val: -1, max_val: 1 }, conventions: { gradAtEnds: 'one' } },
      { framework: 'jax', id: 'hardtanh', names: ['hard_tanh'], paths: ['jax.nn.hard_tanh', 'flax.linen.hard_tanh'], params: [], fixed: { min_val: -1, max_val: 1 }, conventions: { gradAtEnds: 'one' } },
      {
        framework: 'tfjs',
        id: 'hardtanh',
        names: ['clipByValue'],
        paths: ['tf.clipByValue'],
        params: [
          { name: 'clipValueMin', canonical: 'min_val', default: -1 },
          { name: 'clipValueMax', canonical: 'max_val', default: 1 },
        ],
        conventions: { gradAtEnds: 'one' },
        notes: ['TF.js has no hardtanh; clipByValue is the same function (both bounds are required there).'],
      },
    ],
  },
  {
    def: hardsigmoid,
    bindings: [
      {
        framework: 'torch',
        id: 'hardsigmoid',
        names: ['hardsigmoid', 'Hardsigmoid'],
        paths: ['torch.nn.Hardsigmoid', 'torch.nn.functional.hardsigmoid'],
        params: [],
        conventions: HS_TORCH,
        notes: ['f′ is float32(1/6) = 0.1666666716337204 even in float64 (its backward uses 1.0f/6.0f), and there is no second derivative (no double backward).'],
      },
      { framework: 'keras', id: 'hardsigmoid', names: ['hard_sigmoid'], paths: ['keras.activations.hard_sigmoid', 'keras.ops.hard_sigmoid'], params: [], conventions: HS_SIXTH, notes: ['Keras 3 changed the formula: Keras 2 (tf.keras 2) used 0.2·x + 0.5.'] },
      { framework: 'jax', id: 'hardsigmoid', names: ['hard_sigmoid'], paths: ['jax.nn.hard_sigmoid', 'flax.linen.hard_sigmoid'], params: [], conventions: HS_SIXTH },
      { framework: 'tf', id: 'hardsigmoid', names: ['hard_sigmoid'], paths: ['tf.keras.activations.hard_sigmoid'], params: [], conventions: HS_FIFTH, notes: ['Keras 2 formula 0.2·x + 0.5 (kinks at ±2.5), unlike Keras 3’s x/6 + 1/2.'] },
      { framework: 'tfjs', id: 'hardsigmoid', names: ['hardSigmoid'], paths: ["tf.layers.activation({activation: 'hardSigmoid'})"], params: [], conventions: HS_FIFTH, notes: ['Keras 2 formula 0.2·x + 0.5; clipByValue gives f′(±2.5) = 0.2.'] },
    ],
  },
  {
    def: hardswish,
    bindings: [
      { framework: 'torch', id: 'hardswish', names: ['hardswish', 'Hardswish'], paths: ['torch.nn.Hardswish', 'torch.nn.functional.hardswish'], params: [], conventions: {} },
      { framework: 'keras', id: 'hardswish', names: ['hard_silu', 'hard_swish'], paths: ['keras.activations.hard_silu', 'keras.activations.hard_swish', 'keras.ops.hard_silu'], params: [], conventions: {} },
      { framework: 'jax', id: 'hardswish', names: ['hard_silu', 'hard_swish'], paths: ['jax.nn.hard_silu', 'jax.nn.hard_swish', 'flax.linen.hard_swish'], params: [], conventions: {} },
    ],
  },
];
