// Other smooth activations: squareplus, exponential, Gaussian and sine (identity lives in piecewise.ts).
import { expNegSq } from '../../math';
import { fmt, makeKernel, num } from '../kernel';
import type { CatalogEntry, ElementwiseDef } from '../types';
import { bind, p } from './smooth-common';

// squareplus_b(x) = (x + √(x² + b))/2. For x < 0 the sum cancels, so it is rewritten as
// b/(2(r − x)) with r = √(x² + b) (r − x = r + |x|: no cancellation); likewise
// f′ = (1 + x/r)/2 = b/(2r(r − x)) for x < 0, and f″ = b/(2r³). r via hypot beyond 1e150.
const squareplusDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'squareplus',
  title: 'Squareplus',
  summary: '(x + √(x² + b))/2: a softplus-like curve built from a square root instead of exp/log.',
  params: [{ name: 'b', type: 'number', default: 4, min: 0, uiMin: 0, uiMax: 16, doc: 'b ≥ 0: curvature near 0 (f(0) = √b/2); b = 0 is ReLU' }],
  conventions: [],
  kernel: (prm) => {
    const b = num(prm, 'b');
    const sb = Math.sqrt(b);
    const r = (x: number): number => (Math.abs(x) < 1e150 && b < 1e290 ? Math.sqrt(x * x + b) : Math.hypot(x, sb));
    return makeKernel({
      f: (x) => (x >= 0 ? (x + r(x)) / 2 : x < 0 ? b / (2 * (r(x) - x)) : x),
      df(x) {
        if (x === Infinity) return 1;
        if (x === 0 && b === 0) return 0.5; // ReLU kink: the mean of the one-sided slopes
        const q = r(x);
        return x >= 0 ? (1 + x / q) / 2 : x < 0 ? b / (2 * q * (q - x)) : x;
      },
      d2f(x) {
        if (x === 0 && b === 0) return 0;
        const q = r(x);
        return x === x ? b / (2 * q * q * q) : x;
      },
    });
  },
  formulas: (prm) => {
    const b = fmt(num(prm, 'b'));
    return {
      f: { latex: `\\frac{x + \\sqrt{x^{2} + ${b}}}{2}`, text: `(x + √(x² + ${b}))/2` },
      df: { latex: `\\frac12\\left(1 + \\frac{x}{\\sqrt{x^{2} + ${b}}}\\right)`, text: `½·(1 + x/√(x² + ${b}))` },
      d2f: { latex: `\\frac{${b}}{2\\left(x^{2} + ${b}\\right)^{3/2}}`, text: `${b}/(2·(x² + ${b})^(3/2))` },
    };
  },
  meta: (prm) => {
    const relu = num(prm, 'b') === 0;
    return {
      range: relu ? '[0, ∞)' : '(0, ∞)',
      lower: 0,
      upper: Infinity,
      monotonic: relu ? 'non-decreasing' : 'increasing',
      smoothness: relu ? 'C0' : 'C∞',
      zeroCentred: false,
      bounded: false,
      selfNormalizing: false,
      uses: ['softplus replacement without exp/log', 'positive outputs'],
      cost: 3,
    };
  },
  kinks: (prm) => (num(prm, 'b') === 0 ? [{ x: 0, left: 0, right: 1, convention: 'f′(0) = ½ (JAX/Keras: NaN from 0/0)' }] : []),
  plotRange: [-6, 6],
};

const exponentialDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'exponential',
  title: 'Exponential',
  summary: 'eˣ: positive, unbounded; used for rates and scales (e.g. Poisson outputs).',
  params: [],
  conventions: [],
  kernel: () => makeKernel({ f: Math.exp, df: Math.exp, d2f: Math.exp }),
  formulas: () => ({
    f: { latex: 'e^{x}', text: 'eˣ' },
    df: { latex: 'e^{x}', text: 'eˣ' },
    d2f: { latex: 'e^{x}', text: 'eˣ' },
  }),
  meta: () => ({
    range: '(0, ∞)',
    lower: 0,
    upper: Infinity,
    monotonic: 'increasing',
    smoothness: 'C∞',
    zeroCentred: false,
    bounded: false,
    selfNormalizing: false,
    uses: ['positive outputs (Poisson rates, scales)', 'rarely a hidden activation'],
    cost: 3,
  }),
  kinks: () => [],
  plotRange: [-4, 3],
};

// Gaussian bump exp(−x²) (TensorFlow Playground's requested "Gaussian"); exp(−x²) is formed
// without the rounding of x² (expNegSq). Beyond |x| = 40 everything underflows to 0.
const gaussianDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'gaussian',
  title: 'Gaussian',
  summary: 'exp(−x²): a bump that responds only near 0 (radial-basis style). No framework ships it.',
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      f: (x) => expNegSq(x),
      df: (x) => (Math.abs(x) > 40 ? (x === x ? 0 : x) : -2 * x * expNegSq(x)),
      d2f: (x) => (Math.abs(x) > 40 ? (x === x ? 0 : x) : (4 * x * x - 2) * expNegSq(x)),
    }),
  formulas: () => ({
    f: { latex: 'e^{-x^{2}}', text: 'e^(−x²)' },
    df: { latex: '-2x\\,e^{-x^{2}}', text: '−2x·e^(−x²)' },
    d2f: { latex: '(4x^{2} - 2)\\,e^{-x^{2}}', text: '(4x² − 2)·e^(−x²)' },
  }),
  meta: () => ({
    range: '(0, 1]',
    lower: 0,
    upper: 1,
    monotonic: 'no',
    smoothness: 'C∞',
    zeroCentred: false,
    bounded: true,
    selfNormalizing: false,
    uses: ['radial-basis-like units', 'TensorFlow Playground experiments'],
    cost: 3,
  }),
  kinks: () => [],
  plotRange: [-3, 3],
};

// sin x (TensorFlow Playground's "sine"; SIREN-style periodic units). sin(±∞) has no limit: NaN.
const sineDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'sine',
  title: 'Sine',
  summary: 'sin(x): periodic; used by SIREN networks for implicit neural representations.',
  params: [],
  conventions: [],
  kernel: () => makeKernel({ f: Math.sin, df: Math.cos, d2f: (x) => -Math.sin(x) }),
  formulas: () => ({
    f: { latex: '\\sin x', text: 'sin x' },
    df: { latex: '\\cos x', text: 'cos x' },
    d2f: { latex: '-\\sin x', text: '−sin x' },
  }),
  meta: () => ({
    range: '[−1, 1]',
    lower: -1,
    upper: 1,
    monotonic: 'no',
    smoothness: 'C∞',
    zeroCentred: true,
    bounded: true,
    selfNormalizing: false,
    uses: ['SIREN / implicit neural representations', 'TensorFlow Playground experiments'],
    cost: 3,
  }),
  kinks: () => [],
  plotRange: [-7, 7],
};

export const SMOOTH_MISC_ENTRIES: readonly CatalogEntry[] = [
  {
    def: squareplusDef,
    bindings: [
      bind('keras', 'squareplus', ['squareplus'], ['keras.activations.squareplus', 'keras.ops.squareplus'], { params: [p('b', 4)] }),
      bind('jax', 'squareplus', ['squareplus'], ['jax.nn.squareplus'], {
        params: [p('b', 4)],
        notes: ['jax.nn.squareplus squares x directly, so it returns inf for |x| ≳ 1.3e154; we return the true value.'],
      }),
    ],
  },
  {
    def: exponentialDef,
    bindings: [
      bind('torch', 'exponential', ['exp', 'exp_'], ['torch.exp', 'torch.Tensor.exp']),
      bind('keras', 'exponential', ['exponential', 'exp'], ['keras.activations.exponential', 'keras.ops.exp']),
      bind('jax', 'exponential', ['exp'], ['jax.numpy.exp']),
      bind('tf', 'exponential', ['exponential', 'exp'], ['tf.keras.activations.exponential', 'tf.math.exp', 'tf.exp']),
      bind('tfjs', 'exponential', ['exp'], ['tf.exp']),
    ],
  },
  { def: gaussianDef, bindings: [] },
  {
    def: sineDef,
    bindings: [
      bind('torch', 'sine', ['sin', 'sin_'], ['torch.sin', 'torch.Tensor.sin']),
      bind('keras', 'sine', ['sin'], ['keras.ops.sin']),
      bind('jax', 'sine', ['sin'], ['jax.numpy.sin']),
      bind('tf', 'sine', ['sin'], ['tf.math.sin', 'tf.sin']),
      bind('tfjs', 'sine', ['sin'], ['tf.sin']),
    ],
  },
];
