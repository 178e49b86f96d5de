// PyTorch's elementwise activations in a narrow dtype, operation by operation, forward and
// backward (grad_output = 1). Two semantics, selected by `Mode`:
//
// - cpu (bfloat16): PyTorch 1.13's CPU kernels (aten/src/ATen/native/cpu/Activation.cpp,
//   UnaryOpsKernel.cpp, BinaryOpsKernel.cpp, and the autograd formulas in
//   tools/autograd/derivatives.yaml for functions written as several ops). Most convert each
//   bfloat16 to float, compute in float32 and round once; a few (SiLU, tanh-GELU) still run
//   `Vectorized<BFloat16>` arithmetic, which rounds to bfloat16 after every operation, with the
//   constants themselves rounded to bfloat16. Which is which was measured bit for bit against
//   Debian's python3-torch 1.13 (test/fixtures/precision-bf16-torch.json).
// - opmath (float16, float32; bfloat16 on GPUs): the CUDA semantics documented for
//   half-precision elementwise kernels (ATen/OpMathType.h): load, compute in float32, round
//   the result once; backward kernels read the saved, rounded input or output.
//
// Functions that PyTorch writes as several tensor ops (softsign, tanhshrink) round after every
// op in every dtype, and their gradients are sums of the rounded autograd branches.
// `x` given to the returned functions is already a value of the dtype.
import { num } from '../activations/kernel';
import type { Conventions, Params } from '../activations/types';
import { erf as erfExact } from '../math';
import { erfVec32, expf, f32, log1pf, tanhf } from './opmath';

export interface Mode {
  /** Rounds a float64 to the storage dtype. */
  readonly s: (v: number) => number;
  /** PyTorch 1.13 CPU bfloat16 kernels (true) or the opmath rule (false). */
  readonly cpu: boolean;
}

export interface DtypeFns {
  /** y as the framework stores it. */
  f(x: number): number;
  /** dL/dx for dL/dy = 1, as the framework stores it; null where it has no backward. */
  df(x: number): number;
}

type Rule = (p: Params, c: Conventions, m: Mode) => DtypeFns;

const SMALLEST_NORMAL_F32 = 2 ** -126;

/** Rounds a float32 result to storage. */
function store(m: Mode): (v: number) => number {
  const s = m.s;
  return (v) => s(f32(v));
}

/** Leaky ReLU family (leaky_relu, prelu, rrelu in eval mode): float slope, one rounding. */
function leaky(slope: number, m: Mode): DtypeFns {
  const r = store(m);
  const a = f32(slope);
  return {
    f: (x) => (x > 0 ? x : r(x * a)),
    df: (x) => (x > 0 ? 1 : r(a)),
  };
}

/** ELU, CELU, SELU: elu(x; negcoef = α·scale, poscoef = scale, negiptcoef = input_scale). */
function eluLike(alpha: number, scale: number, inputScale: number, m: Mode): DtypeFns {
  const r = store(m);
  const neg = f32(f32(alpha) * f32(scale));
  const pos = f32(scale);
  const ipt = f32(inputScale);
  return {
    f: (x) => (x > 0 ? r(x * pos) : r(f32(expf(f32(x * ipt)) - 1) * neg)),
    df: (x) => (x > 0 ? r(pos) : r(f32(ipt * neg) * expf(f32(x * ipt)))),
  };
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

export const TORCH_RULES: Readonly<Record<string, Rule>> = {
  relu: () => ({
    f: (x) => (x < 0 ? 0 : x), // clamp_min: NaN and −0 pass through
    df: (x) => (x > 0 || x !== x ? 1 : 0),
  }),
  relu6: (_p, _c, m) => clamp(0, 6, m),
  hardtanh: (p, _c, m) => clamp(num(p, 'min_val'), num(p, 'max_val'), m),
  leaky_relu: (p, _c, m) => leaky(num(p, 'negative_slope'), m),
  prelu: (p, _c, m) => leaky(m.s(num(p, 'weight')), m), // the weight is a tensor of the dtype
  rrelu: (p, _c, m) => leaky((num(p, 'lower') + num(p, 'upper')) / 2, m),
  threshold: (p, _c, m) => {
    const th = m.s(num(p, 'threshold'));
    const v = m.s(num(p, 'value'));
    return { f: (x) => (x <= th ? v : x), df: (x) => (x <= th ? 0 : 1) };
  },
  hardshrink: (p, _c, m) => {
    const l = m.s(num(p, 'lambd')); // lambd.to<scalar_t>()
    return { f: (x) => (x >= -l && x <= l ? 0 : x), df: (x) => (x < -l || x > l ? 1 : 0) };
  },
  softshrink: (p, _c, m) => {
    const r = store(m);
    // cpu: the forward compares and subtracts in float, shrink_backward compares with
    // lambd.to<scalar_t>() (measured: λ = 0.3 → 0.30078125 in bfloat16)
    const lf = m.cpu ? f32(num(p, 'lambd')) : m.s(num(p, 'lambd'));
    const lb = m.s(num(p, 'lambd'));
    return {
      f: (x) => (x > lf ? r(x - lf) : x < -lf ? r(x + lf) : 0),
      df: (x) => (x < -lb || x > lb ? 1 : 0),
    };
  },
  hardsigmoid: (_p, _c, m) => {
    const r = store(m);
    const sixth = r(1 / 6);
    return {
      f: (x) => r(Math.min(Math.max(f32(x + 3), 0), 6) / 6),
      df: (x) => (x > -3 && x < 3 ? sixth : 0),
    };
  },
  hardswish: (_p, _c, m) => {
    const r = store(m);
    return {
      f: (x) => r(f32(x * Math.min(Math.max(f32(x + 3), 0), 6)) / 6),
      df: (x) => (x < -3 ? 0 : x >= 3 ? 1 : r(f32(x / 3) + 0.5)),
    };
  },
  sigmoid: (_p, _c, m) => {
    const r = store(m);
    const f = (x: number): number => r(1 / f32(1 + expf(-x)));
    return { f, df: (x) => { const y = f(x); return r(f32(1 - y) * y); } };
  },
  tanh: (_p, _c, m) => {
    const r = store(m);
    const f = (x: number): number => r(Math.tanh(x));
    return { f, df: (x) => { const y = f(x); return r(1 - f32(y * y)); } };
  },
  softplus: (p, _c, m) => {
    const r = store(m);
    const beta = f32(num(p, 'beta'));
    const th = f32(num(p, 'threshold'));
    return {
      f: (x) => { const bx = f32(x * beta); return bx > th ? x : r(log1pf(expf(bx)) / beta); },
      df: (x) => { const bx = f32(x * beta); if (bx > th) return 1; const z = expf(bx); return r(z / f32(z + 1)); },
    };
  },
  log_sigmoid: (_p, _c, m) => {
    const r = store(m);
    // cpu: the forward saves buffer = e^−|x| in the dtype and the backward reads it; CUDA's
    // backward recomputes e^−|x| in float32 from the saved input
    const buffer = (x: number): number => (m.cpu ? r(Math.exp(-Math.abs(x))) : expf(-Math.abs(x)));
    return {
      f: (x) => r(Math.min(x, 0) - log1pf(expf(-Math.abs(x)))),
      df: (x) => { const z = buffer(x); const q = f32(z / f32(1 + z)); return r(x < 0 ? 1 - q : q); },
    };
  },
  softsign: (_p, _c, m) => {
    // x / (1 + |x|), three tensor ops; autograd: d/dx = 1/d − sgn(x)·((x/d)/d)
    const r = store(m);
    const den = (x: number): number => r(1 + Math.abs(x));
    return {
      f: (x) => r(x / den(x)),
      df: (x) => {
        const d = den(x);
        const gSelf = r(1 / d);
        const gOther = r(-r(r(x / d) / d));
        const gAbs = r(gOther * Math.sign(x));
        return r(gSelf + gAbs);
      },
    };
  },
  tanhshrink: (_p, _c, m) => {
    // x − tanh(x), two tensor ops; autograd: 1 + (−1)·(1 − t²)
    const r = store(m);
    const t = (x: number): number => r(Math.tanh(x));
    return {
      f: (x) => r(x - t(x)),
      df: (x) => { const tt = t(x); return r(1 + r(-f32(1 - f32(tt * tt)))); },
    };
  },
  elu: (p, _c, m) => eluLike(num(p, 'alpha'), 1, 1, m),
  celu: (p, _c, m) => eluLike(num(p, 'alpha'), 1, 1 / num(p, 'alpha'), m),
  selu: (_p, _c, m) => eluLike(SELU_ALPHA, SELU_SCALE, 1, m),
  gelu: (p, _c, m) => (p['approximate'] === true ? geluTanh(m) : geluErf(m)),
  silu: (_p, _c, m) => {
    const r = store(m);
    // cpu: Vectorized<BFloat16> arithmetic, every op rounded to bfloat16
    const q = m.cpu ? r : f32;
    const sig = (x: number): number => q(1 / q(1 + q(expf(-x))));
    return {
      f: (x) => (m.cpu ? r(x / q(1 + q(expf(-x)))) : r(x / f32(1 + expf(-x)))),
      df: (x) => { const s = sig(x); return r(q(s) * q(1 + q(x * q(1 - s)))); },
    };
  },
  exponential: (_p, _c, m) => {
    const f = store(m);
    return { f: (x) => f(Math.exp(x)), df: (x) => f(Math.exp(x)) };
  },
};

function clamp(lo: number, hi: number, m: Mode): DtypeFns {
  const a = m.s(lo);
  const b = m.s(hi);
  return {
    f: (x) => (x < a ? a : x > b ? b : x), // clamp: NaN and −0 pass through
    df: (x) => (x <= a || x >= b ? 0 : 1),
  };
}

/** GELU, exact: 0.5·x·(1 + erf(x/√2)); cpu: float32 through torch's vectorised erf. */
function geluErf(m: Mode): DtypeFns {
  const r = store(m);
  const erf = m.cpu ? erfVec32 : (v: number) => f32(erfExact(v));
  const alpha = f32(Math.SQRT1_2);
  const beta = f32(0.5 * Math.SQRT1_2 * (2 / Math.sqrt(Math.PI)));
  return {
    f: (x) => {
      const onePlusErf = f32(1 + erf(f32(x * alpha)));
      const y = f32(f32(x * 0.5) * onePlusErf);
      if (m.cpu) {
        // measured on the AVX2 bfloat16 kernel: results below float32's normal range are flushed
        // to zero (signed), and an exact 0 from 1 + erf(x/√2) = 0 comes out as +0
        if (onePlusErf === 0 && y === y) return 0;
        if (Math.abs(y) < SMALLEST_NORMAL_F32) return y < 0 ? -0 : 0;
      }
      return r(y);
    },
    df: (x) => {
      const e = erf(f32(x * alpha));
      const pdf = f32(beta * expf(f32(f32(x * x) * -0.5)));
      // cdf + x·pdf; the cpu kernel's result is quantised like (0.5 + x·pdf) + 0.5·erf (measured:
      // in the left tail it moves in steps of 2^−25, the float32 spacing just below 0.5)
      if (m.cpu) return r(f32(0.5 + f32(x * pdf)) + f32(0.5 * e));
      return r(f32(0.5 * f32(1 + e)) + f32(x * pdf));
    },
  };
}

/** GELU, tanh approximation. cpu: Vectorized<BFloat16> arithmetic, rounded per op. */
function geluTanh(m: Mode): DtypeFns {
  const r = store(m);
  const q = m.cpu ? r : f32;
  const kBeta = q(Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5);
  const kKappa = q(0.044715);
  return {
    f: (x) => {
      const cube = q(q(x * x) * x);
      const inner = q(kBeta * q(x + q(kKappa * cube)));
      return r(q(0.5 * x) * q(1 + q(tanhf(inner))));
    },
    df: (x) => {
      const sq = q(x * x);
      const cube = q(sq * x);
      const inner = q(kBeta * q(x + q(kKappa * cube)));
      const t = q(tanhf(inner));
      const left = q(0.5 * x);
      const right = q(1 + t);
      const leftD = q(0.5 * right);
      const tanhD = q(1 - q(t * t));
      const innerD = q(kBeta * q(1 + q(q(3 * kKappa) * sq)));
      const rightD = q(q(left * tanhD) * innerD);
      return r(leftD + rightD);
    },
  };
}
