// Self-gated activations x·g(x): GELU (exact and tanh), SiLU/Swish, Mish.
// Left tails are written so nothing cancels: GELU uses a left-tail Φ(x) that never forms
// 1 − Φ(−x) (erfcx-based), tanh-GELU uses 1 + tanh(u) = 2σ(2u), Mish uses
// tanh(softplus x) = n/(n + 2) with n = eˣ(eˣ + 2).
import { normalPdf, normalPdfCdf, sigmoid } from '../../math';
import { bool, fmt, makeKernel, num } from '../kernel';
import type { ActivationMeta, CatalogEntry, ElementwiseDef, ElementwiseKernel } from '../types';
import { bind, p } from './smooth-common';

/** meta of the smooth self-gated units (GELU, SiLU, Mish): a negative dip down to `lower`, unbounded above. */
function dipMeta(range: string, lower: number, uses: readonly string[], cost: number): ActivationMeta {
  return { range, lower, upper: Infinity, monotonic: 'no', smoothness: 'C∞', zeroCentred: false, bounded: false, selfNormalizing: false, uses, cost };
}

// ---------------------------------------------------------------------------------------
// GELU

/**
 * Exact GELU x·Φ(x): f′ = Φ + xφ, f″ = φ·(2 − x²). φ and Φ come from one exp(−x²/2)
 * (normalPdfCdf) and Φ keeps its relative accuracy for x ≪ 0, so nothing cancels except
 * near the minimum x ≈ −0.7518 where f′ itself crosses 0. Beyond |x| = 40 φ underflows
 * and the values are exactly the limits.
 */
function geluExactKernel(): ElementwiseKernel {
  const pc = new Float64Array(2);
  const f = (x: number): number => {
    if (!(Math.abs(x) <= 40)) return x > 0 ? x : x < 0 ? -0 : x;
    normalPdfCdf(x, pc);
    return x * (pc[1] as number);
  };
  const df = (x: number): number => {
    if (!(Math.abs(x) <= 40)) return x > 0 ? 1 : x < 0 ? 0 : x;
    normalPdfCdf(x, pc);
    return (pc[1] as number) + x * (pc[0] as number);
  };
  return makeKernel({
    f,
    df,
    d2f(x) {
      if (!(Math.abs(x) <= 40)) return x === x ? 0 : x;
      return normalPdf(x) * (2 - x * x);
    },
  });
}

const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)
const GELU_K = 0.044715;
const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter

/** hi + lo = a·b exactly (Dekker's two-product; JS has no fma). */
function twoProd(a: number, b: number, out: Float64Array): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  out[0] = p;
  out[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * 2u = 2√(2/π)(x + 0.044715x³) as hi + lo in double-double. In the tails e^{−2|u|} is needed
 * with |2u| up to 745, where the ~3 roundings of a plain evaluation would cost |2u|·3ε ≈ 2.5e-13
 * relative; with hi + lo the result keeps ~1 ulp.
 */
function twoU(x: number, out: Float64Array, tmp: Float64Array): void {
  twoProd(x, x, tmp); // x² = p1 + e1
  const p1 = tmp[0] as number;
  const e1 = tmp[1] as number;
  twoProd(p1, x, tmp); // x³ = p2 + (e2 + e1·x)
  const p2 = tmp[0] as number;
  const l2 = (tmp[1] as number) + e1 * x;
  twoProd(GELU_K, p2, tmp); // k·x³ = p3 + (e3 + k·l2)
  const p3 = tmp[0] as number;
  const l3 = (tmp[1] as number) + GELU_K * l2;
  const s1 = x + p3; // two-sum x + p3
  const bb = s1 - x;
  const l4 = x - (s1 - bb) + (p3 - bb) + l3;
  twoProd(SQRT_2_OVER_PI, s1, tmp);
  out[0] = 2 * (tmp[0] as number);
  out[1] = 2 * ((tmp[1] as number) + SQRT_2_OVER_PI * l4);
}

/**
 * tanh-approximate GELU: ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³), written as x·σ(2u).
 * With s = σ(2u), g = s(1 − s), u′ = √(2/π)(1 + 3·0.044715x²), u″ = 6·0.044715·√(2/π)·x:
 *   f′ = s + 2x·u′·g,   f″ = g·(4u′ + 2x·u″ − 4x·u′²·tanh u).
 * σ(2u) and g come from e = exp(−|2u|) evaluated on the double-double 2u (twoU).
 */
function geluTanhKernel(): ElementwiseKernel {
  // Beyond |x| = 30, 2|u| > 1900 and σ(−2|u|) underflows: the values are exactly the limits.
  const v = new Float64Array(2);
  const tmp = new Float64Array(2);
  const sg = new Float64Array(2); // [σ(2u), σ′(2u)]
  const parts = (x: number): void => {
    twoU(x, v, tmp);
    const hi = v[0] as number;
    const lo = v[1] as number;
    // e = exp(−|hi + lo|) = exp(−|hi|)·(1 ∓ lo), |lo| ≤ ulp(hi)
    const e = hi >= 0 ? Math.exp(-hi) * (1 - lo) : Math.exp(hi) * (1 + lo);
    const d = 1 + e;
    sg[0] = hi >= 0 ? 1 / d : e / d;
    sg[1] = e / (d * d);
  };
  return makeKernel({
    f(x) {
      if (!(Math.abs(x) <= 30)) return x > 0 ? x : x < 0 ? -0 : x;
      parts(x);
      return x * (sg[0] as number);
    },
    df(x) {
      if (!(Math.abs(x) <= 30)) return x > 0 ? 1 : x < 0 ? 0 : x;
      parts(x);
      const du = SQRT_2_OVER_PI * (1 + 3 * GELU_K * x * x);
      return (sg[0] as number) + 2 * x * du * (sg[1] as number);
    },
    d2f(x) {
      if (!(Math.abs(x) <= 30)) return x === x ? 0 : x;
      parts(x);
      const du = SQRT_2_OVER_PI * (1 + 3 * GELU_K * x * x);
      const ddu = 6 * GELU_K * SQRT_2_OVER_PI * x;
      return (sg[1] as number) * (4 * du + 2 * x * ddu - 4 * x * du * du * Math.tanh((v[0] as number) / 2));
    },
  });
}

const geluDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'gelu',
  title: 'GELU',
  summary: 'Gaussian error linear unit x·Φ(x): weights the input by the probability a standard normal is below it.',
  params: [
    {
      name: 'approximate',
      type: 'boolean',
      default: false,
      doc: 'use the tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))) instead of the exact erf form',
    },
  ],
  conventions: [],
  kernel: (prm) => (bool(prm, 'approximate') ? geluTanhKernel() : geluExactKernel()),
  formulas: (prm) =>
    bool(prm, 'approximate')
      ? {
          f: {
            latex: '\\tfrac12 x\\left(1 + \\tanh u\\right),\\quad u = \\sqrt{2/\\pi}\\,\\left(x + 0.044715\\,x^{3}\\right)',
            text: '½x·(1 + tanh u), u = √(2/π)·(x + 0.044715x³)',
          },
          df: {
            latex: "\\tfrac12\\left(1 + \\tanh u\\right) + \\tfrac12 x\\,\\operatorname{sech}^2 u\\; u',\\quad u' = \\sqrt{2/\\pi}\\,(1 + 0.134145\\,x^{2})",
            text: '½(1 + tanh u) + ½x·sech²u·u′, u′ = √(2/π)·(1 + 0.134145x²)',
          },
          d2f: {
            latex: "\\operatorname{sech}^2 u\\left(u' + \\tfrac12 x\\,u'' - x\\,u'^{2}\\tanh u\\right),\\quad u'' = 0.26829\\sqrt{2/\\pi}\\,x",
            text: 'sech²u·(u′ + ½x·u″ − x·u′²·tanh u), u″ = 0.26829·√(2/π)·x',
          },
        }
      : {
          f: { latex: 'x\\,\\Phi(x) = \\tfrac12 x\\left(1 + \\operatorname{erf}(x/\\sqrt2)\\right)', text: 'x·Φ(x) = ½x·(1 + erf(x/√2))' },
          df: { latex: '\\Phi(x) + x\\,\\varphi(x)', text: 'Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)' },
          d2f: { latex: '\\varphi(x)\\,(2 - x^{2})', text: 'φ(x)·(2 − x²)' },
        },
  meta: (prm) => {
    // minima (mpmath): x·Φ(x) −0.16997120747990366 at x ≈ −0.75179; tanh form −0.17004075057125405
    // at x ≈ −0.75246. The bounds below sit 1e-14 lower so rounding never crosses them.
    const lower = bool(prm, 'approximate') ? -0.17004075057126 : -0.16997120747991;
    return dipMeta(`[${lower.toFixed(5)}…, ∞)`, lower, ['transformers (BERT, GPT, ViT)', 'smooth ReLU with a small negative dip'], 8);
  },
  kinks: () => [],
  plotRange: [-4, 4],
};

// ---------------------------------------------------------------------------------------
// SiLU / Swish: x·σ(βx)

const siluDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'silu',
  title: 'SiLU / Swish',
  summary: 'Sigmoid-weighted linear unit x·σ(βx) (Swish; β = 1 is SiLU).',
  params: [{ name: 'beta', type: 'number', default: 1, min: 0, minExclusive: true, uiMin: 0.1, uiMax: 5, doc: 'β > 0 (TensorFlow’s silu/swish); β → ∞ approaches ReLU' }],
  conventions: [],
  kernel: (prm) => {
    const beta = num(prm, 'beta');
    // z = βx, s = σ(z), s̄ = σ(−z): f′ = s(1 + z·s̄), f″ = β·s·s̄·(2 − z·tanh(z/2)).
    // Beyond |z| = 750 one of s, s̄ is exactly 0: return the limits (avoids ∞·0).
    return makeKernel({
      f: (x) => {
        const z = beta * x;
        return z > 750 ? x : z < -750 ? -0 : x * sigmoid(z);
      },
      df: (x) => {
        const z = beta * x;
        if (z > 750) return 1;
        if (z < -750) return 0;
        return sigmoid(z) * (1 + z * sigmoid(-z));
      },
      d2f: (x) => {
        const z = beta * x;
        if (!(Math.abs(z) <= 750)) return z === z ? 0 : z;
        const e = Math.exp(-Math.abs(z));
        const d = 1 + e;
        return ((beta * e) / (d * d)) * (2 - z * Math.tanh(z / 2));
      },
    });
  },
  formulas: (prm) => {
    const beta = num(prm, 'beta');
    const b = fmt(beta);
    if (beta === 1) {
      return {
        f: { latex: 'x\\,\\sigma(x) = \\frac{x}{1 + e^{-x}}', text: 'x·σ(x) = x/(1 + e⁻ˣ)' },
        df: { latex: '\\sigma(x)\\bigl(1 + x\\,(1 - \\sigma(x))\\bigr)', text: 'σ(x)·(1 + x·(1 − σ(x)))' },
        d2f: { latex: '\\sigma(x)\\bigl(1 - \\sigma(x)\\bigr)\\bigl(2 + x\\,(1 - 2\\sigma(x))\\bigr)', text: 'σ(x)·(1 − σ(x))·(2 + x·(1 − 2σ(x)))' },
      };
    }
    return {
      f: { latex: `x\\,\\sigma(${b}x)`, text: `x·σ(${b}x)` },
      df: { latex: `\\sigma(${b}x)\\bigl(1 + ${b}x\\,(1 - \\sigma(${b}x))\\bigr)`, text: `σ(${b}x)·(1 + ${b}x·(1 − σ(${b}x)))` },
      d2f: {
        latex: `${b}\\,\\sigma(${b}x)\\bigl(1 - \\sigma(${b}x)\\bigr)\\bigl(2 + ${b}x\\,(1 - 2\\sigma(${b}x))\\bigr)`,
        text: `${b}·σ(${b}x)·(1 − σ(${b}x))·(2 + ${b}x·(1 − 2σ(${b}x)))`,
      },
    };
  },
  meta: (prm) => {
    // min of z·σ(z) is −0.27846454276107380 at z ≈ −1.27846 (mpmath); scaled by 1/β, 1e-14 lower
    const lower = -0.27846454276108 / num(prm, 'beta');
    return dipMeta(`[${fmt(lower)}…, ∞)`, lower, ['EfficientNet, MobileNetV3, LLaMA-style MLPs (SwiGLU)', 'smooth ReLU replacement'], 5);
  },
  kinks: () => [],
  plotRange: [-6, 6],
};

// ---------------------------------------------------------------------------------------
// Mish: x·tanh(softplus x)

/**
 * From one exponential: out = [t, 1 − t, σ(x), σ(−x)] with t = tanh(softplus x), no cancellation.
 * x ≤ 0: e = eˣ, n = e(e + 2), t = n/(n + 2), 1 − t = 2/(n + 2), σ = e/(1 + e).
 * x > 0: w = e⁻ˣ, D = 1 + 2w + 2w², t = (1 + 2w)/D, 1 − t = 2w²/D, σ = 1/(1 + w).
 */
function mishParts(x: number, out: Float64Array): void {
  if (x > 0) {
    const w = Math.exp(-x);
    const d = 1 + 2 * w + 2 * w * w;
    out[0] = (1 + 2 * w) / d;
    out[1] = (2 * w * w) / d;
    out[2] = 1 / (1 + w);
    out[3] = w / (1 + w);
  } else {
    const e = Math.exp(x);
    const n = e * (e + 2);
    out[0] = n / (n + 2);
    out[1] = 2 / (n + 2);
    out[2] = e / (1 + e);
    out[3] = 1 / (1 + e);
  }
}

const mishDef: ElementwiseDef = {
  kind: 'elementwise',
  id: 'mish',
  title: 'Mish',
  summary: 'x·tanh(softplus(x)): a smooth, non-monotonic self-gated activation similar to Swish.',
  params: [],
  conventions: [],
  kernel: () => {
    const tt = new Float64Array(4);
    // With t = tanh(sp), S = sech²(sp) = (1 − t)(1 + t), σ = σ(x):
    //   f′ = t + x·S·σ,   f″ = S·σ·(2 − 2x·t·σ + x·(1 − σ)).
    return makeKernel({
      f(x) {
        if (x === Infinity) return x;
        if (x === -Infinity) return -0;
        mishParts(x, tt);
        return x * (tt[0] as number);
      },
      df(x) {
        if (x === Infinity) return 1;
        if (x === -Infinity) return 0;
        mishParts(x, tt);
        const t = tt[0] as number;
        return t + x * (tt[1] as number) * (1 + t) * (tt[2] as number);
      },
      d2f(x) {
        if (x === Infinity || x === -Infinity) return 0;
        mishParts(x, tt);
        const t = tt[0] as number;
        const s = tt[2] as number;
        return (tt[1] as number) * (1 + t) * s * (2 - 2 * x * t * s + x * (tt[3] as number));
      },
    });
  },
  formulas: () => ({
    f: { latex: 'x\\tanh\\bigl(\\operatorname{softplus}(x)\\bigr) = x\\tanh\\left(\\log(1 + e^{x})\\right)', text: 'x·tanh(softplus(x)) = x·tanh(log(1 + eˣ))' },
    df: { latex: '\\tanh(\\operatorname{sp}) + x\\,\\operatorname{sech}^2(\\operatorname{sp})\\,\\sigma(x)', text: 'tanh(sp) + x·sech²(sp)·σ(x), sp = softplus(x)' },
    d2f: {
      latex: '\\operatorname{sech}^2(\\operatorname{sp})\\,\\sigma(x)\\bigl(2 - 2x\\tanh(\\operatorname{sp})\\,\\sigma(x) + x\\,(1 - \\sigma(x))\\bigr)',
      text: 'sech²(sp)·σ(x)·(2 − 2x·tanh(sp)·σ(x) + x·(1 − σ(x)))',
    },
  }),
  // min −0.30884341301725041 at x ≈ −1.19243 (mpmath), 1e-14 lower
  meta: () => dipMeta('[−0.30884…, ∞)', -0.30884341301726, ['YOLOv4-style CNNs', 'smooth ReLU replacement'], 7),
  kinks: () => [],
  plotRange: [-6, 6],
};

export const GELU_FAMILY_ENTRIES: readonly CatalogEntry[] = [
  {
    def: geluDef,
    bindings: [
      bind('torch', 'gelu', ['gelu', 'GELU'], ['torch.nn.GELU', 'torch.nn.functional.gelu'], {
        params: [p('approximate', false, 'approximate', { default: 'none', options: ['none', 'tanh'], toCanonical: torchApproximate })],
        notes: ['PyTorch evaluates ½x(1 + erf(x/√2)) and ½x(1 + tanh u) directly: in the left tail (x ≲ −5) 1 + erf and 1 + tanh cancel, so its values there lose digits (tanh form: exactly −0 below x ≈ −7.4). We keep full relative accuracy.'],
      }),
      bind('keras', 'gelu', ['gelu'], ['keras.activations.gelu'], { params: [p('approximate', false)] }),
      bind('keras', 'gelu', ['ops.gelu'], ['keras.ops.gelu'], {
        params: [p('approximate', true)],
        notes: ['keras.ops.gelu (keras.ops.nn.gelu) defaults to approximate=True (the tanh form), while keras.activations.gelu and activation="gelu" default to the exact form.'],
      }),
      bind('jax', 'gelu', ['gelu'], ['jax.nn.gelu', 'flax.linen.gelu'], {
        params: [p('approximate', true)],
        notes: ['jax.nn.gelu defaults to approximate=True (the tanh form); PyTorch, keras.activations.gelu and tf.nn.gelu default to the exact form (keras.ops.gelu, like jax.nn.gelu, to the tanh form).'],
      }),
      bind('tf', 'gelu', ['gelu'], ['tf.nn.gelu', 'tf.keras.activations.gelu'], { params: [p('approximate', false)] }),
      bind('tfjs', 'gelu', ['gelu'], ["tf.layers.activation({activation: 'gelu'})"], { fixed: { approximate: false } }),
      bind('tfjs', 'gelu', ['gelu_new'], ["tf.layers.activation({activation: 'gelu_new'})"], { fixed: { approximate: true }, notes: ["'gelu_new' is the tanh approximation."] }),
    ],
  },
  {
    def: siluDef,
    bindings: [
      bind('torch', 'silu', ['silu', 'SiLU'], ['torch.nn.SiLU', 'torch.nn.functional.silu'], { fixed: { beta: 1 } }),
      bind('keras', 'silu', ['silu', 'swish'], ['keras.activations.silu', 'keras.activations.swish', 'keras.ops.silu'], { fixed: { beta: 1 } }),
      bind('jax', 'silu', ['silu', 'swish'], ['jax.nn.silu', 'jax.nn.swish', 'flax.linen.silu', 'flax.linen.swish'], { fixed: { beta: 1 } }),
      bind('tf', 'silu', ['silu', 'swish'], ['tf.nn.silu', 'tf.nn.swish', 'tf.keras.activations.swish'], { params: [p('beta', 1)], notes: ['tf.nn.silu(features, beta=1.0) computes x·σ(βx).'] }),
      bind('tfjs', 'silu', ['swish'], ["tf.layers.activation({activation: 'swish'})"], { fixed: { beta: 1 } }),
    ],
  },
  {
    def: mishDef,
    bindings: [
      bind('torch', 'mish', ['mish', 'Mish'], ['torch.nn.Mish', 'torch.nn.functional.mish']),
      bind('keras', 'mish', ['mish'], ['keras.activations.mish']),
      bind('jax', 'mish', ['mish'], ['jax.nn.mish']),
      bind('tf', 'mish', ['mish'], ['tf.keras.activations.mish']),
      bind('tfjs', 'mish', ['mish'], ["tf.layers.activation({activation: 'mish'})"]),
    ],
  },
];

/** torch `approximate`: "none" | "tanh" → canonical boolean; anything else is rejected as torch does. */
function torchApproximate(v: unknown): boolean {
  if (v === 'none' || v === false) return false;
  if (v === 'tanh' || v === true) return true;
  throw new Error(`approximate must be "none" or "tanh", got ${JSON.stringify(v)}`);
}
