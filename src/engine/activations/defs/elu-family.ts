// ELU, CELU and SELU: x on the right, a scaled expm1 on the left. They differ in what each
// framework returns exactly at 0, where the second derivative (and for α ≠ 1 or SELU the first)
// jumps. Values read from the frameworks' sources and the PyTorch/JAX reference:
//   ELU   f′(0): α everywhere (torch `x <= 0` branch, jax `where(x > 0, …)`, TF EluGrad `y < 0`
//         with α·tf.nn.elu in Keras).  f″(0): torch 0, TF 0, jax α.
//   CELU  f′(0): 1 (torch; jax: ½ + ½·e⁰ from max/min tie-splitting), 2 for Keras on TF, whose
//         tf.maximum/tf.minimum gradients each pass the whole gradient at a tie.
//         f″(0): torch 0, jax 1/(4α), Keras-TF 1/α.
//   SELU  f′(0): λα (torch, jax, tfjs), λ (TF SeluGrad tests `y < 0`).  f″(0): torch 0, TF 0, jax λα.
import { convention, fmt, makeKernel, num } from '../kernel';
import type { ActivationMeta, CatalogEntry, ElementwiseDef, Params } from '../types';
import { bind, p } from './smooth-common';

/** SELU constants (Klambauer et al. 2017) as the frameworks spell them, rounded to double. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;
/** λ·α as PyTorch forms it (1.7580993408473766; TF's literal rounds to …768, 1 ulp apart). */
const SELU_SCALE_ALPHA = SELU_SCALE * SELU_ALPHA;

const eluDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'elu',
  title: 'ELU',
  summary: 'Exponential linear unit: x for x > 0, α(eˣ − 1) below — smooth saturation to −α.',
  tags: { family: 'elu', demo: 'dying-relu' },
  params: [{ name: 'alpha', type: 'number', default: 1, uiMin: 0, uiMax: 3, doc: 'α: the negative saturation value is −α' }],
  conventions: [
    convention('secondAtZero', 'second derivative returned at x = 0 (it jumps from α to 0)', {
      zero: '0 (PyTorch, TensorFlow)',
      alpha: 'α, the left-hand value (JAX: where(x > 0, …) picks the exponential branch at 0)',
    }),
  ],
  kernel: (prm, c) => {
    const a = num(prm, 'alpha');
    const d2at0 = c['secondAtZero'] === 'alpha' ? a : 0;
    return makeKernel({
      f: (x) => (x > 0 ? x : a * Math.expm1(x)), // keeps −0 and NaN
      df: (x) => (x > 0 ? 1 : x <= 0 ? a * Math.exp(x) : x),
      d2f: (x) => (x > 0 ? 0 : x < 0 ? a * Math.exp(x) : x === 0 ? d2at0 : x),
    });
  },
  formulas: (prm) => {
    const a = num(prm, 'alpha');
    const A = a === 1 ? '' : fmt(a);
    const At = a === 1 ? '' : `${fmt(a)}·`;
    return {
      f: { latex: `\\begin{cases} x & x > 0 \\\\ ${A}\\left(e^{x} - 1\\right) & x \\le 0 \\end{cases}`, text: `x if x > 0, else ${At}(eˣ − 1)` },
      df: { latex: `\\begin{cases} 1 & x > 0 \\\\ ${A}\\,e^{x} & x \\le 0 \\end{cases}`, text: `1 if x > 0, else ${At}eˣ` },
      d2f: { latex: `\\begin{cases} 0 & x > 0 \\\\ ${A}\\,e^{x} & x < 0 \\end{cases}`, text: `0 if x > 0, ${At}eˣ if x < 0` },
    };
  },
  meta: (prm) => expMeta(num(prm, 'alpha'), 1, ['deep MLPs/CNNs without batch norm', 'mean activations nearer zero than ReLU']),
  kinks: (prm) => {
    const a = num(prm, 'alpha');
    return a === 1 ? [] : [{ x: 0, left: a, right: 1, convention: `f′(0) = ${fmt(a)} (the exponential branch)` }];
  },
  plotRange: [-5, 4],
};

/**
 * Metadata shared by ELU (α, slope 1) and SELU (λα, λ): f = s·x on the right, k·(eˣ − 1) on the
 * left with k = αs. True for every real k: k < 0 makes the left branch positive and decreasing.
 */
function expMeta(k: number, s: number, uses: string[]): ActivationMeta {
  const c1 = k === s;
  return {
    range: k > 0 ? `(${fmt(-k)}, ∞)` : '[0, ∞)',
    lower: k > 0 ? -k : 0,
    upper: Infinity,
    monotonic: k > 0 ? 'increasing' : k === 0 ? 'non-decreasing' : 'no',
    smoothness: c1 ? 'C1' : 'C0',
    zeroCentred: false,
    bounded: false,
    selfNormalizing: false,
    uses,
    cost: 3,
  };
}

const celuDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'celu',
  title: 'CELU',
  summary: 'Continuously differentiable ELU: α(e^{x/α} − 1) below 0, so f′ is continuous for every α.',
  tags: { family: 'elu', demo: 'dying-relu' },
  params: [{ name: 'alpha', type: 'number', default: 1, uiMin: 0.1, uiMax: 3, doc: 'α ≠ 0: the negative saturation value is −α' }],
  validate: (prm: Params) => (num(prm, 'alpha') === 0 ? 'alpha must not be 0 (CELU divides by α)' : undefined),
  conventions: [
    convention('gradAtZero', 'first derivative returned at x = 0 (both sides give 1)', {
      one: '1 (PyTorch, JAX)',
      two: '2 (Keras on TensorFlow: max(x,0) and min(x,0) each pass the full gradient at the tie)',
    }),
    convention('secondAtZero', 'second derivative returned at x = 0 (it jumps from 1/α to 0)', {
      zero: '0 (PyTorch)',
      quarter: '1/(4α) (JAX: max/min split ties ½–½, twice)',
      left: '1/α, the left-hand value (Keras on TensorFlow)',
    }),
  ],
  kernel: (prm, c) => {
    const a = num(prm, 'alpha');
    const inv = 1 / a;
    const d1at0 = c['gradAtZero'] === 'two' ? 2 : 1;
    const d2at0 = c['secondAtZero'] === 'quarter' ? inv / 4 : c['secondAtZero'] === 'left' ? inv : 0;
    return makeKernel({
      f: (x) => (x > 0 ? x : a * Math.expm1(x / a)),
      df: (x) => (x > 0 ? 1 : x < 0 ? Math.exp(x / a) : x === 0 ? d1at0 : x),
      d2f: (x) => (x > 0 ? 0 : x < 0 ? Math.exp(x / a) / a : x === 0 ? d2at0 : x),
    });
  },
  formulas: (prm) => {
    const a = num(prm, 'alpha');
    const A = fmt(a);
    const one = a === 1;
    return {
      f: {
        latex: one ? '\\begin{cases} x & x > 0 \\\\ e^{x} - 1 & x \\le 0 \\end{cases}' : `\\begin{cases} x & x > 0 \\\\ ${A}\\left(e^{x/${A}} - 1\\right) & x \\le 0 \\end{cases}`,
        text: one ? 'x if x > 0, else eˣ − 1' : `x if x > 0, else ${A}·(e^(x/${A}) − 1)`,
      },
      df: {
        latex: one ? '\\begin{cases} 1 & x > 0 \\\\ e^{x} & x \\le 0 \\end{cases}' : `\\begin{cases} 1 & x > 0 \\\\ e^{x/${A}} & x \\le 0 \\end{cases}`,
        text: one ? '1 if x > 0, else eˣ' : `1 if x > 0, else e^(x/${A})`,
      },
      d2f: {
        latex: one ? '\\begin{cases} 0 & x > 0 \\\\ e^{x} & x < 0 \\end{cases}' : `\\begin{cases} 0 & x > 0 \\\\ e^{x/${A}}/${A} & x < 0 \\end{cases}`,
        text: one ? '0 if x > 0, eˣ if x < 0' : `0 if x > 0, e^(x/${A})/${A} if x < 0`,
      },
    };
  },
  meta: (prm) => {
    const a = num(prm, 'alpha');
    return {
      // α < 0: the left branch α(e^{x/α} − 1) runs to −∞, still increasing (f′ = e^{x/α} > 0)
      range: a > 0 ? `(${fmt(-a)}, ∞)` : '(−∞, ∞)',
      lower: a > 0 ? -a : -Infinity,
      upper: Infinity,
      monotonic: 'increasing',
      smoothness: 'C1',
      zeroCentred: false,
      bounded: false,
      selfNormalizing: false,
      uses: ['ELU with a continuous derivative for any α'],
      cost: 3,
    };
  },
  kinks: (_prm, c) => (c['gradAtZero'] === 'two' ? [{ x: 0, left: 1, right: 1, convention: 'f′(0) = 2 (autodiff through max/min ties)' }] : []),
  plotRange: [-5, 4],
};

const seluDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'selu',
  title: 'SELU',
  summary: 'Scaled ELU with fixed λ ≈ 1.0507, α ≈ 1.6733 chosen so activations self-normalize to mean 0, variance 1.',
  params: [],
  conventions: [
    convention('gradAtZero', 'first derivative returned at x = 0 (λα on the left, λ on the right)', {
      scaleAlpha: 'λα ≈ 1.7581 (PyTorch, JAX, TensorFlow.js)',
      scale: 'λ ≈ 1.0507 (TensorFlow and Keras on TensorFlow: SeluGrad tests y < 0)',
    }),
    convention('secondAtZero', 'second derivative returned at x = 0 (λα on the left, 0 on the right)', {
      zero: '0 (PyTorch, TensorFlow)',
      left: 'λα, the left-hand value (JAX)',
    }),
  ],
  kernel: (_prm, c) => {
    const d1at0 = c['gradAtZero'] === 'scale' ? SELU_SCALE : SELU_SCALE_ALPHA;
    const d2at0 = c['secondAtZero'] === 'left' ? SELU_SCALE_ALPHA : 0;
    return makeKernel({
      f: (x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x)),
      df: (x) => (x > 0 ? SELU_SCALE : x < 0 ? SELU_SCALE_ALPHA * Math.exp(x) : x === 0 ? d1at0 : x),
      d2f: (x) => (x > 0 ? 0 : x < 0 ? SELU_SCALE_ALPHA * Math.exp(x) : x === 0 ? d2at0 : x),
    });
  },
  formulas: () => ({
    f: {
      latex: '\\lambda\\begin{cases} x & x > 0 \\\\ \\alpha\\left(e^{x} - 1\\right) & x \\le 0 \\end{cases},\\quad \\lambda \\approx 1.0507,\\ \\alpha \\approx 1.6733',
      text: 'λ·x if x > 0, else λα·(eˣ − 1); λ ≈ 1.0507009873554805, α ≈ 1.6732632423543772',
    },
    df: { latex: '\\begin{cases} \\lambda & x > 0 \\\\ \\lambda\\alpha\\,e^{x} & x \\le 0 \\end{cases}', text: 'λ if x > 0, else λα·eˣ (λα ≈ 1.7581)' },
    d2f: { latex: '\\begin{cases} 0 & x > 0 \\\\ \\lambda\\alpha\\,e^{x} & x < 0 \\end{cases}', text: '0 if x > 0, λα·eˣ if x < 0' },
  }),
  meta: () => ({
    ...expMeta(SELU_SCALE_ALPHA, SELU_SCALE, ['self-normalizing MLPs (with LeCun-normal init and AlphaDropout)']),
    zeroCentred: true,
    selfNormalizing: true,
  }),
  kinks: (_prm, c) => [
    { x: 0, left: SELU_SCALE_ALPHA, right: SELU_SCALE, convention: c['gradAtZero'] === 'scale' ? 'f′(0) = λ' : 'f′(0) = λα' },
  ],
  plotRange: [-5, 4],
};

const ELU_T = { secondAtZero: 'zero' } as const;
const ELU_J = { secondAtZero: 'alpha' } as const;

export const ELU_FAMILY_ENTRIES: readonly CatalogEntry[] = [
  {
    def: eluDef,
    bindings: [
      bind('torch', 'elu', ['elu', 'ELU', 'elu_'], ['torch.nn.ELU', 'torch.nn.functional.elu', 'torch.nn.functional.elu_'], { params: [p('alpha', 1)], conventions: ELU_T }),
      bind('keras', 'elu', ['elu', 'ELU'], ['keras.activations.elu', 'keras.ops.elu', 'keras.layers.ELU'], {
        params: [p('alpha', 1)],
        conventions: ELU_T,
        notes: ['Derivatives at 0 shown for the TensorFlow backend (α·tf.nn.elu); the JAX backend gives f″(0) = α.'],
      }),
      bind('jax', 'elu', ['elu'], ['jax.nn.elu', 'flax.linen.elu'], { params: [p('alpha', 1)], conventions: ELU_J }),
      bind('tf', 'elu', ['elu', 'ELU'], ['tf.nn.elu', 'tf.keras.activations.elu', 'tf.keras.layers.ELU'], {
        params: [p('alpha', 1)],
        conventions: ELU_T,
        notes: ['tf.nn.elu has no alpha (α = 1); tf.keras.activations.elu and the ELU layer take alpha.'],
      }),
      bind('tfjs', 'elu', ['elu'], ['tf.elu', 'tf.layers.elu'], {
        fixed: { alpha: 1 },
        conventions: ELU_T,
        notes: ['TensorFlow.js supports only alpha = 1 (tf.layers.elu throws NotImplementedError otherwise) and cannot differentiate elu twice; f″ shown is PyTorch’s convention.'],
      }),
    ],
  },
  {
    def: celuDef,
    bindings: [
      bind('torch', 'celu', ['celu', 'CELU', 'celu_'], ['torch.nn.CELU', 'torch.nn.functional.celu', 'torch.celu', 'torch.celu_'], {
        params: [p('alpha', 1)],
        conventions: { gradAtZero: 'one', secondAtZero: 'zero' },
      }),
      bind('keras', 'celu', ['celu'], ['keras.activations.celu', 'keras.ops.celu'], {
        params: [p('alpha', 1)],
        conventions: { gradAtZero: 'two', secondAtZero: 'left' },
        notes: [
          'Keras writes CELU as maximum(x, 0) + α·expm1(minimum(x, 0)/α) (keras/src/backend/tensorflow/nn.py). On TensorFlow both max and min pass the full gradient at a tie, so f′(0) = 2 and f″(0) = 1/α; on JAX they split it (f′(0) = 1, f″(0) = 1/(4α)).',
        ],
      }),
      bind('jax', 'celu', ['celu'], ['jax.nn.celu', 'flax.linen.celu'], {
        params: [p('alpha', 1)],
        conventions: { gradAtZero: 'one', secondAtZero: 'quarter' },
        notes: ['jax.nn.celu is maximum(x, 0) + α·expm1(minimum(x, 0)/α); JAX splits ties ½–½, so f″(0) = 1/(4α).'],
      }),
    ],
  },
  {
    def: seluDef,
    bindings: [
      bind('torch', 'selu', ['selu', 'SELU', 'selu_'], ['torch.nn.SELU', 'torch.nn.functional.selu', 'torch.selu', 'torch.selu_'], { conventions: { gradAtZero: 'scaleAlpha', secondAtZero: 'zero' } }),
      bind('keras', 'selu', ['selu'], ['keras.activations.selu', 'keras.ops.selu'], {
        conventions: { gradAtZero: 'scale', secondAtZero: 'zero' },
        notes: ['Gradient at 0 shown for the TensorFlow backend (tf.nn.selu: λ); the JAX backend gives λα.'],
      }),
      bind('jax', 'selu', ['selu'], ['jax.nn.selu', 'flax.linen.selu'], { conventions: { gradAtZero: 'scaleAlpha', secondAtZero: 'left' } }),
      bind('tf', 'selu', ['selu'], ['tf.nn.selu', 'tf.keras.activations.selu'], {
        conventions: { gradAtZero: 'scale', secondAtZero: 'zero' },
        notes: ['TensorFlow multiplies by the literal λα = 1.7580993408473768599…, one ulp above PyTorch’s computed λ·α.'],
      }),
      bind('tfjs', 'selu', ['selu'], ['tf.selu', "tf.layers.activation({activation: 'selu'})"], {
        conventions: { gradAtZero: 'scaleAlpha', secondAtZero: 'zero' },
        notes: ['tf.selu’s gradient is where(x > 0, λ, λα·eˣ), so f′(0) = λα as in PyTorch (unlike TensorFlow’s λ); TensorFlow.js cannot differentiate it twice.'],
      }),
    ],
  },
];
