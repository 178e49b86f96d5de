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
  /** dL/dx for dL/dy = 1, as the framework stores it. */
  df(x: number): number;
  /**
   * d(Σ dL/dx)/dx through PyTorch's double-backward graph (create_graph=True), every tensor op
   * rounded to the dtype. Absent: the generic rule (f″ rounded once) applies.
   */
  d2f?(x: number): number;
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
    return {
      f,
      df: (x) => { const y = f(x); return r(f32(1 - y) * y); },
      // sigmoid_backward's double backward: grad·grad_output·(−2y + 1), then sigmoid_backward
      d2f: (x) => { const y = f(x); return sigmoidBackward(r(r(-2 * y) + 1), y, r); },
    };
  },
  tanh: (_p, _c, m) => {
    const r = store(m);
    const f = (x: number): number => r(Math.tanh(x));
    return {
      f,
      df: (x) => { const y = f(x); return r(1 - f32(y * y)); },
      // tanh_backward's double backward: grad·(−2·y·grad_output), then tanh_backward
      d2f: (x) => { const y = f(x); return tanhBackward(r(-2 * y), y, r); },
    };
  },
  softplus: (p, _c, m) => {
    const r = store(m);
    const beta = f32(num(p, 'beta'));
    const th = f32(num(p, 'threshold'));
    return {
      f: (x) => { const bx = f32(x * beta); return bx > th ? x : r(log1pf(expf(bx)) / beta); },
      df: (x) => { const bx = f32(x * beta); if (bx > th) return 1; const z = expf(bx); return r(z / f32(z + 1)); },
      // softplus_double_backward: sigmoid_backward(1, σ(βx))·(βx < threshold)·β, as tensor ops
      d2f: (x) => {
        const bx = r(x * beta);
        const sig = r(1 / f32(1 + expf(-bx)));
        return r(r(sigmoidBackward(1, sig, r) * (bx < th ? 1 : 0)) * beta);
      },
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
      // log_sigmoid_double_backward: grad·(z − 1)·z with z = σ(x), as tensor ops
      d2f: (x) => { const z = r(1 / f32(1 + expf(-x))); return r(r(z - 1) * z); },
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
      // autograd through that backward graph (div backward: grad/d and −grad·((self/d)/d)); d's
      // three gradients accumulate as ((from (x/d)/d) + (from 1/d)) + (from x/d) (measured)
      d2f: (x) => {
        const sg = Math.sign(x);
        const d = den(x);
        const q2 = r(r(x / d) / d);
        const gq1 = r(-sg / d);
        const c3 = r(sg * r(q2 / d));
        const c2 = r(-gq1 * q2);
        const c1 = r(-r(r(1 / d) / d));
        const gd = r(r(c3 + c1) + c2);
        return r(r(gq1 / d) + r(gd * sg));
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
      // only the tanh branch depends on x: tanh_backward's double backward with grad_output = −1
      d2f: (x) => { const tt = t(x); return tanhBackward(r(r(-2 * tt) * -1), tt, r); },
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
      // with create_graph, autograd differentiates infinitely_differentiable_silu_backward:
      // g = s·(1 + x·(1 − s)), s = sigmoid(x), every op a tensor op rounded to the dtype
      d2f: (x) => {
        const s = r(1 / f32(1 + expf(-x)));
        const c = r(1 - s);
        const e = r(1 + r(x * c));
        const viaX = r(s * c);
        const gs = r(e + -r(s * x));
        return r(viaX + sigmoidBackward(gs, s, r));
      },
    };
  },
  exponential: (_p, _c, m) => {
    const f = store(m);
    return { f: (x) => f(Math.exp(x)), df: (x) => f(Math.exp(x)) };
  },
};

/** sigmoid_backward(a, y) = a·(1 − y)·y in float, rounded once. */
function sigmoidBackward(a: number, y: number, r: (v: number) => number): number {
  return r(f32(a * f32(1 - y)) * y);
}

/** tanh_backward(a, y) = a·(1 − y²) in float, rounded once. */
function tanhBackward(a: number, y: number, r: (v: number) => number): number {
  return r(a * f32(1 - f32(y * y)));
}

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
    // gelu_double_backward (torch/csrc/autograd/FunctionsManual.cpp): pdf = β·exp(−x²/2),
    // result 2·pdf − x²·pdf, every op a tensor op rounded to the dtype; on the CPU the double
    // constant β becomes a bfloat16 scalar (measured)
    d2f: (x) => {
      const sc = m.cpu ? r : f32;
      const sq = r(x * x);
      const pdf = r(sc(beta) * r(Math.exp(r(sq * -0.5))));
      return r(r(2 * pdf) - r(sq * pdf));
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
    // gelu_double_backward, tanh branch: f = x/2, g = 1 − tanh²(u), h = β(1 + 3κx²);
    // 2·(0.5·g·h) + f·h·g′ + f·g·h′ with g′ = 2·sech(u)·(−sech(u)·tanh(u))·h, h′ = 6κ·x·β,
    // every op a tensor op rounded to the dtype, double constants as scalars of the dtype (cpu)
    d2f: (x) => {
      const sc = m.cpu ? r : f32;
      const B = sc(Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5);
      const K = sc(0.044715);
      const inner = r(B * r(x + r(K * r(r(x * x) * x)))); // pow(x, 3) = (x·x)·x, rounded per op (measured)
      const t = r(Math.tanh(inner));
      const sech = r(1 / r(Math.cosh(inner)));
      const f = r(0.5 * x);
      const g = r(1 - r(t * t));
      const h = r(B * r(1 + r(r(sc(3 * 0.044715) * x) * x)));
      const fpgh = r(r(0.5 * g) * h);
      const gp = r(r(r(2 * sech) * r(-sech * t)) * h);
      const gpfh = r(r(f * h) * gp);
      const hp = r(r(sc(6 * 0.044715) * x) * B);
      const hpfg = r(r(f * g) * hp);
      return r(r(r(2 * fpgh) + gpfh) + hpfg);
    },
  };
}
