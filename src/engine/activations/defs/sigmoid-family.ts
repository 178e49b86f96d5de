// Sigmoid, tanh and their relatives: softplus, log-sigmoid, softsign, tanhshrink.
// Every f, f′, f″ is written so that no intermediate overflows and no difference cancels:
// σ′ = e^−|x|/(1 + e^−|x|)², σ″ = −σ′·tanh(x/2), tanh′ = sech² from e^−2|x|.
import { logSigmoid, sech2, sigmoid, sigmoidPrime, softplus, tanhshrink } from '../../math';
import { convention, fmt, makeKernel, num } from '../kernel';
import type { CatalogEntry, ElementwiseDef, NumArray } from '../types';
import { bind, p } from './smooth-common';

const sigmoidDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'sigmoid',
  title: 'Sigmoid',
  summary: 'Logistic function 1/(1 + e⁻ˣ): squashes any input into (0, 1).',
  tags: { saturating: true, demo: 'vanishing-gradients' },
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      f: sigmoid,
      df: sigmoidPrime,
      // σ″ = σ′·(1 − 2σ) = −σ′·tanh(x/2): the tanh form has no cancellation near 0
      d2f: (x) => -sigmoidPrime(x) * Math.tanh(x / 2),
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const e = Math.exp(-Math.abs(x[i] as number));
          const d = 1 + e;
          gx[i] = ((gy[i] as number) * e) / (d * d);
        }
      },
    }),
  formulas: () => ({
    f: { latex: '\\sigma(x) = \\frac{1}{1 + e^{-x}}', text: 'σ(x) = 1/(1 + e⁻ˣ)' },
    df: { latex: '\\sigma(x)\\,\\bigl(1 - \\sigma(x)\\bigr)', text: 'σ(x)·(1 − σ(x))' },
    d2f: { latex: '\\sigma(x)\\bigl(1 - \\sigma(x)\\bigr)\\bigl(1 - 2\\sigma(x)\\bigr)', text: 'σ(x)·(1 − σ(x))·(1 − 2σ(x))' },
  }),
  meta: () => ({
    range: '(0, 1)',
    lower: 0,
    upper: 1,
    monotonic: 'increasing',
    smoothness: 'C∞',
    zeroCentred: false,
    bounded: true,
    selfNormalizing: false,
    uses: ['binary classification output', 'gates in LSTMs/GRUs', 'attention gates'],
    cost: 4,
  }),
  kinks: () => [],
  plotRange: [-8, 8],
};

const tanhDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'tanh',
  title: 'Tanh',
  summary: 'Hyperbolic tangent: a zero-centred sigmoid with range (−1, 1); tanh(x) = 2σ(2x) − 1.',
  tags: { saturating: true, demo: 'vanishing-gradients' },
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      f: Math.tanh,
      df: sech2,
      d2f: (x) => -2 * Math.tanh(x) * sech2(x),
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const e = Math.exp(-2 * Math.abs(x[i] as number));
          const d = 1 + e;
          gx[i] = ((gy[i] as number) * 4 * e) / (d * d);
        }
      },
    }),
  formulas: () => ({
    f: { latex: '\\tanh x = \\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}', text: 'tanh x = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)' },
    df: { latex: '1 - \\tanh^2 x = \\operatorname{sech}^2 x', text: '1 − tanh²x = sech²x' },
    d2f: { latex: '-2\\tanh x\\,\\operatorname{sech}^2 x', text: '−2·tanh x·sech²x' },
  }),
  meta: () => ({
    range: '(−1, 1)',
    lower: -1,
    upper: 1,
    monotonic: 'increasing',
    smoothness: 'C∞',
    zeroCentred: true,
    bounded: true,
    selfNormalizing: false,
    uses: ['RNN hidden state', 'bounded outputs in (−1, 1)', 'classic MLPs'],
    cost: 4,
  }),
  kinks: () => [],
  plotRange: [-5, 5],
};

// softplus_β(x) = log(1 + e^{βx})/β. PyTorch reverts to the identity where β·x > threshold
// (default 20), derivative 1 there and second derivative 0 from β·x ≥ threshold (its double
// backward tests `β·x < threshold`); the other frameworks have no
// threshold (pinned to ∞ in their bindings).
const softplusDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'softplus',
  title: 'Softplus',
  summary: 'Smooth ReLU: log(1 + e^{βx})/β. PyTorch returns x itself where βx exceeds its threshold.',
  params: [
    { name: 'beta', type: 'number', default: 1, min: 0, minExclusive: true, uiMin: 0.1, uiMax: 10, doc: 'sharpness β (> 0); β → ∞ approaches ReLU' },
    {
      name: 'threshold',
      type: 'number',
      // canonical: the pure function (Keras, JAX, TF, TF.js); PyTorch's binding sets 20
      default: Infinity,
      uiMin: 1,
      uiMax: 40,
      doc: 'PyTorch: where β·x > threshold the result is x (∞ = never; the pure function)',
    },
  ],
  conventions: [],
  kernel: (prm) => {
    const beta = num(prm, 'beta');
    const t = num(prm, 'threshold');
    return makeKernel({
      f: (x) => (beta * x > t ? x : softplus(beta * x) / beta),
      df: (x) => (beta * x > t ? 1 : sigmoid(beta * x)),
      // torch's double backward masks with β·x < threshold, so f″ is already 0 at β·x = threshold
      d2f: (x) => (beta * x >= t ? 0 : beta * sigmoidPrime(beta * x)),
    });
  },
  formulas: (prm) => {
    const beta = num(prm, 'beta');
    const t = num(prm, 'threshold');
    const b = fmt(beta);
    const bx = beta === 1 ? 'x' : `${b}x`;
    const bxT = beta === 1 ? 'x' : `${b}·x`;
    const inv = beta === 1 ? '' : `\\frac{1}{${b}}`;
    const invT = beta === 1 ? '' : `/${b}`;
    const core = { latex: `${inv}\\log\\left(1 + e^{${bx}}\\right)`, text: `log(1 + e^(${bxT}))${invT}` };
    const d = { latex: `\\sigma(${bx})`, text: `σ(${bxT})` };
    const d2 = { latex: `${beta === 1 ? '' : b}\\,\\sigma(${bx})\\bigl(1 - \\sigma(${bx})\\bigr)`, text: `${beta === 1 ? '' : `${b}·`}σ(${bxT})·(1 − σ(${bxT}))` };
    if (t === Infinity) return { f: core, df: d, d2f: d2 };
    const tt = fmt(t);
    const cond = beta === 1 ? `x > ${tt}` : `${b}x > ${tt}`;
    const condT = beta === 1 ? `x > ${tt}` : `${b}·x > ${tt}`;
    return {
      f: { latex: `\\begin{cases} ${core.latex} & ${cond.replace('>', '\\le')} \\\\ x & ${cond} \\end{cases}`, text: `${core.text} if ${condT.replace('>', '≤')}, else x` },
      df: { latex: `\\begin{cases} ${d.latex} & ${cond.replace('>', '\\le')} \\\\ 1 & ${cond} \\end{cases}`, text: `${d.text} if ${condT.replace('>', '≤')}, else 1` },
      d2f: { latex: `\\begin{cases} ${d2.latex} & ${cond.replace('>', '\\le')} \\\\ 0 & ${cond} \\end{cases}`, text: `${d2.text} if ${condT.replace('>', '≤')}, else 0` },
    };
  },
  meta: (prm) => {
    const beta = num(prm, 'beta');
    const t = num(prm, 'threshold');
    const pure = t === Infinity;
    // With a finite threshold the identity branch starts below the curve: f jumps down by
    // log1p(e^−t)/β at x = t/β (2e-9 for PyTorch's defaults), so f is neither continuous nor
    // monotonic there; values just above t/β approach t/β, which is negative when t < 0.
    const lower = pure || t >= 0 ? 0 : t / beta;
    return {
      range: lower === 0 ? '(0, ∞)' : `(${fmt(lower)}, ∞)`,
      lower,
      upper: Infinity,
      monotonic: pure ? 'increasing' : 'no',
      smoothness: pure ? 'C∞' : 'discontinuous',
      zeroCentred: false,
      bounded: false,
      selfNormalizing: false,
      uses: ['smooth ReLU replacement', 'positive outputs (variances, rates)'],
      cost: 5,
    };
  },
  kinks: (prm) => {
    const beta = num(prm, 'beta');
    const t = num(prm, 'threshold');
    if (t === Infinity) return [];
    return [{ x: t / beta, left: sigmoid(t), right: 1, convention: `identity where β·x > ${fmt(t)} (jump of ${fmt(Math.log1p(Math.exp(-t)) / beta)})` }];
  },
  plotRange: [-6, 6],
};

const logSigmoidDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'log_sigmoid',
  title: 'Log-sigmoid',
  summary: 'log σ(x) = −softplus(−x): the log-probability of a logistic output, without overflow.',
  tags: { saturating: true, demo: 'vanishing-gradients' },
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      f: logSigmoid,
      df: (x) => sigmoid(-x),
      d2f: (x) => -sigmoidPrime(x),
    }),
  formulas: () => ({
    f: { latex: '\\log \\sigma(x) = -\\log\\left(1 + e^{-x}\\right)', text: 'log σ(x) = −log(1 + e⁻ˣ)' },
    df: { latex: '1 - \\sigma(x) = \\sigma(-x)', text: '1 − σ(x) = σ(−x)' },
    d2f: { latex: '-\\sigma(x)\\bigl(1 - \\sigma(x)\\bigr)', text: '−σ(x)·(1 − σ(x))' },
  }),
  meta: () => ({
    range: '(−∞, 0)',
    lower: -Infinity,
    upper: 0,
    monotonic: 'increasing',
    smoothness: 'C∞',
    zeroCentred: false,
    bounded: false,
    selfNormalizing: false,
    uses: ['log-likelihoods of binary outputs', 'stable BCE / contrastive losses'],
    cost: 5,
  }),
  kinks: () => [],
  plotRange: [-8, 4],
};

// softsign″ jumps from +2 to −2 at 0: PyTorch differentiates |x| with sign(0) = 0 (f″(0) = 0),
// JAX with the right-hand slope (f″(0) = −2).
const softsignDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'softsign',
  title: 'Softsign',
  summary: 'x/(1 + |x|): a tanh-like squashing function with polynomial (slower) saturation.',
  tags: { saturating: true, demo: 'vanishing-gradients' },
  params: [],
  conventions: [
    convention('secondAtZero', 'second derivative returned at x = 0 (it jumps from +2 to −2)', {
      zero: '0 (PyTorch: d|x|/dx = sign(0) = 0)',
      right: '−2, the right-hand value (JAX)',
    }),
  ],
  kernel: (_p, c) => {
    const at0 = c['secondAtZero'] === 'right' ? -2 : 0;
    return makeKernel({
      f: (x) => (x === Infinity ? 1 : x === -Infinity ? -1 : x / (1 + Math.abs(x))),
      df: (x) => {
        const d = 1 + Math.abs(x);
        return 1 / (d * d);
      },
      d2f: (x) => {
        if (x === 0) return at0;
        const d = 1 + Math.abs(x);
        return (x > 0 ? -2 : x < 0 ? 2 : x) / (d * d * d);
      },
    });
  },
  formulas: () => ({
    f: { latex: '\\frac{x}{1 + |x|}', text: 'x/(1 + |x|)' },
    df: { latex: '\\frac{1}{(1 + |x|)^2}', text: '1/(1 + |x|)²' },
    d2f: { latex: '\\frac{-2\\,\\operatorname{sign}(x)}{(1 + |x|)^3}', text: '−2·sign(x)/(1 + |x|)³' },
  }),
  meta: () => ({
    range: '(−1, 1)',
    lower: -1,
    upper: 1,
    monotonic: 'increasing',
    smoothness: 'C1',
    zeroCentred: true,
    bounded: true,
    selfNormalizing: false,
    uses: ['cheap tanh replacement', 'slower saturation than tanh'],
    cost: 2,
  }),
  kinks: () => [],
  plotRange: [-6, 6],
};

const tanhshrinkDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'tanhshrink',
  title: 'Tanhshrink',
  summary: 'x − tanh(x): near zero it is ≈ x³/3 (a dead zone), far away it is x ∓ 1.',
  params: [],
  conventions: [],
  kernel: () =>
    makeKernel({
      f: tanhshrink,
      df: (x) => {
        const t = Math.tanh(x);
        return t * t;
      },
      d2f: (x) => 2 * Math.tanh(x) * sech2(x),
    }),
  formulas: () => ({
    f: { latex: 'x - \\tanh x', text: 'x − tanh x' },
    df: { latex: '\\tanh^2 x', text: 'tanh²x' },
    d2f: { latex: '2\\tanh x\\,\\operatorname{sech}^2 x', text: '2·tanh x·sech²x' },
  }),
  meta: () => ({
    range: '(−∞, ∞)',
    lower: -Infinity,
    upper: Infinity,
    monotonic: 'increasing',
    smoothness: 'C∞',
    zeroCentred: true,
    bounded: false,
    selfNormalizing: false,
    uses: ['sparse coding / shrinkage', 'rarely used as a hidden activation'],
    cost: 4,
  }),
  kinks: () => [],
  plotRange: [-4, 4],
};

const NO_THRESHOLD = { threshold: Infinity } as const;

export const SIGMOID_FAMILY_ENTRIES: readonly CatalogEntry[] = [
  {
    def: sigmoidDef,
    bindings: [
      bind('torch', 'sigmoid', ['sigmoid', 'Sigmoid', 'sigmoid_', 'expit'], ['torch.sigmoid', 'torch.sigmoid_', 'torch.nn.Sigmoid', 'torch.nn.functional.sigmoid', 'torch.special.expit', 'torch.Tensor.sigmoid']),
      bind('keras', 'sigmoid', ['sigmoid'], ['keras.activations.sigmoid', 'keras.ops.sigmoid']),
      bind('jax', 'sigmoid', ['sigmoid', 'expit'], ['jax.nn.sigmoid', 'jax.scipy.special.expit', 'flax.linen.sigmoid']),
      bind('tf', 'sigmoid', ['sigmoid'], ['tf.nn.sigmoid', 'tf.math.sigmoid', 'tf.sigmoid', 'tf.keras.activations.sigmoid']),
      bind('tfjs', 'sigmoid', ['sigmoid'], ['tf.sigmoid', "tf.layers.activation({activation: 'sigmoid'})"]),
    ],
  },
  {
    def: tanhDef,
    bindings: [
      bind('torch', 'tanh', ['tanh', 'Tanh', 'tanh_'], ['torch.tanh', 'torch.tanh_', 'torch.nn.Tanh', 'torch.nn.functional.tanh', 'torch.Tensor.tanh']),
      bind('keras', 'tanh', ['tanh'], ['keras.activations.tanh', 'keras.ops.tanh']),
      bind('jax', 'tanh', ['tanh'], ['jax.nn.tanh', 'jax.numpy.tanh', 'flax.linen.tanh']),
      bind('tf', 'tanh', ['tanh'], ['tf.nn.tanh', 'tf.math.tanh', 'tf.tanh', 'tf.keras.activations.tanh']),
      bind('tfjs', 'tanh', ['tanh'], ['tf.tanh', "tf.layers.activation({activation: 'tanh'})"]),
    ],
  },
  {
    def: softplusDef,
    bindings: [
      bind('torch', 'softplus', ['softplus', 'Softplus'], ['torch.nn.Softplus', 'torch.nn.functional.softplus'], {
        params: [p('beta', 1), p('threshold', 20)],
        notes: ['Where beta·x > threshold PyTorch returns x, with derivative 1 and second derivative 0, so f jumps down by log1p(exp(−threshold))/beta ≈ 2e-9 at x = threshold/beta.'],
      }),
      bind('keras', 'softplus', ['softplus'], ['keras.activations.softplus', 'keras.ops.softplus'], { fixed: NO_THRESHOLD }),
      bind('jax', 'softplus', ['softplus'], ['jax.nn.softplus', 'flax.linen.softplus'], { fixed: NO_THRESHOLD, notes: ['jax.nn.softplus is jnp.logaddexp(x, 0): no beta, no threshold.'] }),
      bind('tf', 'softplus', ['softplus'], ['tf.nn.softplus', 'tf.math.softplus', 'tf.keras.activations.softplus'], { fixed: NO_THRESHOLD }),
      bind('tfjs', 'softplus', ['softplus'], ['tf.softplus', "tf.layers.activation({activation: 'softplus'})"], { fixed: NO_THRESHOLD }),
    ],
  },
  {
    def: logSigmoidDef,
    bindings: [
      bind('torch', 'log_sigmoid', ['logsigmoid', 'LogSigmoid'], ['torch.nn.LogSigmoid', 'torch.nn.functional.logsigmoid']),
      bind('keras', 'log_sigmoid', ['log_sigmoid'], ['keras.activations.log_sigmoid', 'keras.ops.log_sigmoid']),
      bind('jax', 'log_sigmoid', ['log_sigmoid'], ['jax.nn.log_sigmoid', 'flax.linen.log_sigmoid']),
      bind('tf', 'log_sigmoid', ['log_sigmoid'], ['tf.math.log_sigmoid']),
      bind('tfjs', 'log_sigmoid', ['logSigmoid'], ['tf.logSigmoid']),
    ],
  },
  {
    def: softsignDef,
    bindings: [
      bind('torch', 'softsign', ['softsign', 'Softsign'], ['torch.nn.Softsign', 'torch.nn.functional.softsign'], { conventions: { secondAtZero: 'zero' } }),
      bind('keras', 'softsign', ['softsign'], ['keras.activations.softsign', 'keras.ops.softsign'], { conventions: { secondAtZero: 'zero' } }),
      bind('jax', 'softsign', ['soft_sign'], ['jax.nn.soft_sign', 'flax.linen.soft_sign'], { conventions: { secondAtZero: 'right' } }),
      bind('tf', 'softsign', ['softsign'], ['tf.nn.softsign', 'tf.math.softsign', 'tf.keras.activations.softsign'], {
        conventions: { secondAtZero: 'zero' },
        notes: ['TensorFlow registers no gradient for SoftsignGrad, so it has no second derivative; f″ shown is the mathematical one (0 at the jump).'],
      }),
      bind('tfjs', 'softsign', ['softsign'], ["tf.layers.activation({activation: 'softsign'})"], { conventions: { secondAtZero: 'zero' } }),
    ],
  },
  {
    def: tanhshrinkDef,
    bindings: [
      bind('torch', 'tanhshrink', ['tanhshrink', 'Tanhshrink'], ['torch.nn.Tanhshrink', 'torch.nn.functional.tanhshrink'], {
        notes: ['PyTorch computes x − tanh(x) directly, which cancels near 0 (all digits lost below |x| ≈ 1e-8); we use a series there.'],
      }),
      bind('keras', 'tanhshrink', ['tanh_shrink'], ['keras.activations.tanh_shrink', 'keras.ops.tanh_shrink']),
    ],
  },
];
