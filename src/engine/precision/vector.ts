// The vector activations (softmax, log_softmax, softmin, glu; sparsemax) in a narrow dtype:
// y, x.grad for grad_output = ones ("dy"), and Jacobian rows (x.grad for grad_output = the
// one-hot e_i), each as the framework stores it. Two semantics, as for the elementwise rules
// (torch-rules.ts):
//
// - cpu (bfloat16): PyTorch 1.13's CPU kernels, measured bit for bit against Debian's
//   python3-torch 1.13 (test/fixtures/precision-bf16-torch-vector.json):
//   softmax (SoftMaxKernel.cpp, last dim, BFloat16 through float buffers): m = max x,
//     e = exp(x − m) and Σe in float, y = e/Σe rounded once.
//   log_softmax (`_vec_log_softmax_lastdim`, its reductions return scalar_t): S = Σexp(x − m)
//     rounded to bfloat16, L = log(S) rounded to bfloat16, y = (x − m) − L in float, rounded.
//   backward (`_vec_host_softmax_backward_lastdim`, the reductions again return scalar_t):
//     softmax: S = Σ g·y rounded to bfloat16, grad = (g − S)·y in float, rounded once;
//     log_softmax: S = Σ g rounded to bfloat16 (257 ones sum to 256), grad = g − exp(y)·S.
//     Both read the SAVED, rounded y.
//   softmin (torch/nn/functional.py): softmax(−x); its gradient is the negated softmax one.
//   glu (Activation.cpp glu_kernel, GatedLinearUnit.cpp glu_backward): y = a·(1/(1 + e^(−b)))
//     in float, rounded once; backward: s = sigmoid(b) rounded (the sigmoid kernel),
//     grad_a = s·g rounded, grad_b = ((1 − s)·s·a)·g in float, rounded once.
// - opmath (float16, float32; bfloat16 on GPUs; other frameworks): the CUDA kernels
//   (SoftMax.cu, GatedLinearUnit.cu) compute in float32 and round each stored result once;
//   the reductions stay in float32 (not rounded to the dtype); backward reads the stored y.
// A ±∞ or NaN that meets ∞ − ∞ gives NaN, as in PyTorch (float64 evaluation uses limits).
import { vectorEval } from '../activations/defs/vector';
import { CatalogError } from '../activations/errors';
import type { Framework } from '../activations/types';
import { expf, f32, logf } from './opmath';
import { type Dtype, rounder } from './round';

export interface DtypeVector {
  readonly dtype: Dtype;
  readonly rule: 'torch-cpu' | 'torch-opmath' | 'opmath';
  /** The input rounded to the dtype. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** x.grad for grad_output = ones, as stored in the dtype. */
  readonly dy: Float64Array;
  /** Length of a Jacobian row (the input length). */
  readonly cols: number;
  /** out[j] = x.grad[j] for grad_output = e_i (row i of the Jacobian, computed in the dtype). */
  row(i: number, out: Float64Array): void;
  /** row(i)[i] alone, O(1). */
  diag(i: number): number;
}

/** Sum in float32, one element after another. */
function sum32(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = f32(s + (v[i] as number));
  return s;
}

function maxOf(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const t = v[i] as number;
    if (t !== t) return NaN; // vec::maximum propagates NaN
    if (t > m) m = t;
  }
  return m;
}

interface Parts {
  readonly y: Float64Array;
  /** x.grad for grad_output g (values of the dtype), sum its reduction (already computed). */
  grad(g: (j: number) => number, sum: number, j: number): number;
  /** The reduction for grad_output = ones, and for e_i. */
  sumOnes(): number;
  sumOneHot(i: number): number;
}

type Round = (v: number) => number;

function softmaxParts(x: Float64Array, r: Round, cpu: boolean): Parts {
  const n = x.length;
  const m = maxOf(x);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) e[j] = expf(f32((x[j] as number) - m));
  const total = sum32(e);
  const y = e.map((v) => r(f32(v / total)));
  const red = cpu ? r : f32;
  return {
    y,
    sumOnes: () => red(sum32(y)),
    sumOneHot: (i) => red(f32(y[i] as number)),
    grad: (g, s, j) => r(f32(f32(g(j) - s) * (y[j] as number))),
  };
}

function logSoftmaxParts(x: Float64Array, r: Round, cpu: boolean): Parts {
  const n = x.length;
  const m = maxOf(x);
  const red = cpu ? r : f32;
  let total = 0;
  for (let j = 0; j < n; j++) total = f32(total + expf(f32((x[j] as number) - m)));
  const lse = red(logf(red(total)));
  const y = x.map((v) => r(f32(f32(v - m) - lse)));
  return {
    y,
    sumOnes: () => red(n),
    sumOneHot: () => 1,
    grad: (g, s, j) => r(f32(g(j) - f32(expf(y[j] as number) * s))),
  };
}

/** softmin(x) = softmax(−x); the gradient is the negated softmax gradient (exact). */
function softminParts(x: Float64Array, r: Round, cpu: boolean): Parts {
  const p = softmaxParts(x.map((v) => -v), r, cpu);
  return { ...p, grad: (g, s, j) => -p.grad(g, s, j) };
}

function gluDtype(x: Float64Array, r: Round, cpu: boolean): Omit<DtypeVector, 'dtype' | 'rule'> {
  const n = x.length;
  if (n % 2 !== 0) throw new CatalogError(`glu splits the last axis into two halves, so its length must be even (got ${n})`);
  const h = n / 2;
  const y = new Float64Array(h);
  const sig = new Float64Array(h);
  for (let i = 0; i < h; i++) {
    const a = x[i] as number;
    const den = f32(1 + expf(-(x[h + i] as number)));
    y[i] = r(f32(a * f32(1 / den)));
    // cpu: the backward's sigmoid is the bfloat16 sigmoid kernel's stored output
    sig[i] = cpu ? r(f32(1 / den)) : f32(1 / den);
  }
  const ga = (i: number, g: number): number => r(f32((sig[i] as number) * g));
  const gb = (i: number, g: number): number => {
    const s = sig[i] as number;
    const a = x[i] as number;
    return cpu ? r(f32(f32(f32(f32(1 - s) * s) * a) * g)) : r(f32(f32(f32(f32(1 - s) * s) * g) * a));
  };
  const dy = new Float64Array(n);
  for (let i = 0; i < h; i++) {
    dy[i] = ga(i, 1);
    dy[h + i] = gb(i, 1);
  }
  return {
    x,
    y,
    dy,
    cols: n,
    row(i, out) {
      for (let j = 0; j < h; j++) {
        const g = i === j ? 1 : 0;
        out[j] = ga(j, g);
        out[h + j] = gb(j, g);
      }
    },
    diag: (i) => ga(i, 1),
  };
}

/** Sparsemax (Keras, JAX): the float64 values rounded through float32 to the dtype. */
function sparsemaxDtype(x: Float64Array, r: Round): Omit<DtypeVector, 'dtype' | 'rule'> {
  const e = vectorEval('sparsemax', x);
  const q = (v: number): number => r(f32(v));
  const n = x.length;
  // every column of sparsemax's Jacobian sums to 0 (diag(s) − s sᵀ/k), unless y is NaN
  const dy = new Float64Array(n).fill(e.y.some((v) => v !== v) ? NaN : 0);
  return {
    x,
    y: e.y.map(q),
    dy,
    cols: n,
    row(i, out) {
      e.row(i, out);
      for (let j = 0; j < n; j++) out[j] = q(out[j] as number);
    },
    diag: (i) => q(e.diag(i)),
  };
}

function fromParts(x: Float64Array, p: Parts): Omit<DtypeVector, 'dtype' | 'rule'> {
  const n = x.length;
  const ones = (): number => 1;
  const s1 = p.sumOnes();
  const dy = new Float64Array(n);
  for (let j = 0; j < n; j++) dy[j] = p.grad(ones, s1, j);
  return {
    x,
    y: p.y,
    dy,
    cols: n,
    row(i, out) {
      const g = (j: number): number => (j === i ? 1 : 0);
      const s = p.sumOneHot(i);
      for (let j = 0; j < n; j++) out[j] = p.grad(g, s, j);
    },
    diag: (i) => p.grad(() => 1, p.sumOneHot(i), i),
  };
}

const PARTS: Readonly<Record<string, (x: Float64Array, r: Round, cpu: boolean) => Parts>> = {
  softmax: softmaxParts,
  log_softmax: logSoftmaxParts,
  softmin: softminParts,
};

/**
 * The vector activation `id` (canonical) of `framework` at `x`, evaluated in `dtype` (not
 * float64) the way that framework computes it. x is rounded to the dtype first.
 */
export function dtypeVector(framework: Framework, id: string, xs: readonly number[], dtype: Exclude<Dtype, 'float64'>): DtypeVector {
  const r = rounder(dtype);
  const x = Float64Array.from(xs, (v) => r(v));
  const torch = framework === 'torch';
  const cpu = torch && dtype === 'bfloat16';
  const rule: DtypeVector['rule'] = cpu ? 'torch-cpu' : torch ? 'torch-opmath' : 'opmath';
  const parts = PARTS[id];
  let body: Omit<DtypeVector, 'dtype' | 'rule'>;
  if (parts) body = fromParts(x, parts(x, r, cpu));
  else if (id === 'glu') body = gluDtype(x, r, cpu);
  else if (id === 'sparsemax') body = sparsemaxDtype(x, r);
  else throw new CatalogError(`${id} is not a vector activation`);
  return { dtype, rule, ...body };
}
