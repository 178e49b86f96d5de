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

/** Φ(x) = P(N(0,1) ≤ x) = erfc(−x/√2)/2. */
export function normalCdf(x: number): number {
  if (x !== x) return x;
  return x < 0 ? upperTail(-x) : 1 - upperTail(x);
}

/**
 * Mills-type ratio Φ(x)/φ(x) for x ≤ 0 = √(π/2)·erfcx(−x/√2): finite and ≈ 1/|x| in the left
 * tail, where Φ and φ themselves underflow. GELU's left tail is written with it.
 */
export function cdfOverPdfLeft(x: number): number {
  return 1.2533141373155003 * erfcx(-x * SQRT1_2);
}
