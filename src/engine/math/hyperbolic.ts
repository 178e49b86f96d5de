// tanh-family helpers: sech², x − tanh x without cancellation near 0, log cosh x without overflow.
import { clenshaw } from './erf';
import { TANHSHRINK_SMALL } from './erf-coeffs';

const C_TS = Float64Array.from(TANHSHRINK_SMALL);

/** sech²(x) = 1 − tanh²(x) = 4e/(1 + e)² with e = exp(−2|x|): no cancellation for large |x|. */
export function sech2(x: number): number {
  const e = Math.exp(-2 * Math.abs(x));
  const d = 1 + e;
  return (4 * e) / (d * d);
}

/**
 * x − tanh(x). For |x| < 1 the difference cancels (x − tanh x ≈ x³/3), so it is x³·P(x²) with a
 * Chebyshev series fitted by gen-erf-coeffs.py; beyond, the plain difference loses < 1 bit.
 */
export function tanhshrink(x: number): number {
  const a = Math.abs(x);
  if (a < 1) {
    const s = x * x;
    return x * s * clenshaw(C_TS, 2 * s - 1);
  }
  return x - Math.tanh(x); // ±Infinity → ±Infinity, NaN → NaN
}

/** log(cosh(x)); past |x| = 20 as |x| + log1p(e^(−2|x|)) − log 2, which does not overflow (cosh does from 710). */
export function logcosh(x: number): number {
  const a = Math.abs(x);
  if (a < 20) return Math.log(Math.cosh(x));
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}
