// Evaluation of one activation in a dtype, the way its framework computes it: the input is
// rounded to the dtype, then each framework's rule (torch-rules.ts for PyTorch; the opmath rule
// for everything else) gives y and dy (grad_output = 1) as stored in that dtype.
import type { Conventions, ElementwiseKernel, Framework, Params } from '../activations/types';
import { type Dtype, rounder } from './round';
import { TORCH_RULES, type DtypeFns, type Mode } from './torch-rules';

export interface DtypeScalars {
  readonly dtype: Dtype;
  /** How y and dy are computed: 'torch-cpu' (PyTorch 1.13 CPU kernels, measured), 'opmath' or 'float64'. */
  readonly rule: 'float64' | 'torch-cpu' | 'torch-opmath' | 'opmath';
  /** Rounds a number to the dtype (identity for float64). */
  round(x: number): number;
  f(x: number): number;
  df(x: number): number;
  /** f″ in the dtype, or null where the framework has no double backward. */
  d2f(x: number): number | null;
}

/**
 * The activation `id` with resolved canonical params and conventions, evaluated in `dtype` as
 * `framework` does. `kernel` is the float64 kernel of the same call (used by the opmath rule
 * and for f″).
 */
export function dtypeScalars(framework: Framework, id: string, params: Params, conventions: Conventions, kernel: ElementwiseKernel, dtype: Dtype): DtypeScalars {
  const s = rounder(dtype);
  const d2 = (x: number): number | null => (kernel.hasSecond ? s(Math.fround(kernel.d2f(s(x)))) : null);
  if (dtype === 'float64') {
    return { dtype, rule: 'float64', round: s, f: kernel.f, df: kernel.df, d2f: (x) => (kernel.hasSecond ? kernel.d2f(x) : null) };
  }
  const rule = framework === 'torch' ? TORCH_RULES[id] : undefined;
  let fns: DtypeFns;
  let name: DtypeScalars['rule'];
  if (rule && !(id === 'relu' && !isPlainRelu(params))) {
    const mode: Mode = { s, cpu: dtype === 'bfloat16' };
    fns = rule(params, conventions, mode);
    name = mode.cpu ? 'torch-cpu' : 'torch-opmath';
  } else {
    // opmath: compute in float32 (here: float64 rounded to float32), round the result once
    fns = { f: (x) => s(Math.fround(kernel.f(x))), df: (x) => s(Math.fround(kernel.df(x))) };
    name = 'opmath';
  }
  return {
    dtype,
    rule: name,
    round: s,
    f: (x) => fns.f(s(x)),
    df: (x) => fns.df(s(x)),
    d2f: fns.d2f && kernel.hasSecond ? (x) => (fns.d2f as (v: number) => number)(s(x)) : d2,
  };
}

function isPlainRelu(p: Params): boolean {
  return p['negative_slope'] === 0 && p['threshold'] === 0 && (p['max_value'] === Infinity || p['max_value'] === 'None');
}
