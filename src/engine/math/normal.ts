// The standard normal distribution: pdf φ, cdf Φ, and the pieces GELU needs, accurate in
// both tails (Φ(−38) ≈ 3e-316 keeps its digits; no 1 − Φ cancellation).
import { erfSmall, erfcx, expNegSq } from './erf';

/** 1/√(2π) */
export const INV_SQRT_2PI = 0.3989422804014327;
const SQRT1_2 = Math.SQRT1_2;

/** φ(x) = exp(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * expNegSq(x, 0.5);
}

/**
 * Upper tail Q(t) = Φ(−t) = erfc(t/√2)/2 for t ≥ 0, as exp(−t²/2)·erfcx(t/√2)/2 so the
 * exponent uses t²/2 exactly rather than the rounded (t/√2)².
 */
function upperTail(t: number): number {
  if (t < 0.7) return 0.5 - 0.5 * erfSmall(t * SQRT1_2); // t/√2 < 1/2: no cancellation (result > 0.24)
  if (t > 38.6) return 0; // below the smallest subnormal
  return 0.5 * expNegSq(t, 0.5) * erfcx(t * SQRT1_2);
}

/**
 * φ(x) and Φ(x) together, sharing exp(−x²/2): out[0] = φ(x), out[1] = Φ(x). Both keep full
 * relative accuracy in both tails (Φ(x) for x < 0 never forms 1 − Φ(−x)).
 */
export function normalPdfCdf(x: number, out: Float64Array): void {
  const t = Math.abs(x);
  const e = expNegSq(t, 0.5);
  const q = t < 0.7 ? 0.5 - 0.5 * erfSmall(t * SQRT1_2) : t > 38.6 ? 0 : 0.5 * e * erfcx(t * SQRT1_2);
  out[0] = INV_SQRT_2PI * e;
  out[1] = x < 0 ? q : x === x ? 1 - q : x;
}

/** Φ(x) = P(N(0,1) ≤ x) = erfc(−x/√2)/2. */
export function normalCdf(x: number): number {
  if (x !== x) return x;
  return x < 0 ? upperTail(-x) : 1 - upperTail(x);
}
