// The error function family in float64, accurate to a few ulp (JS has no Math.erf).
//
// Method (coefficients of our own, fitted with mpmath by gen-erf-coeffs.py):
//   |x| < 1/2        erf(x) = x · P(x²)                   (Chebyshev series, 10 terms)
//   z ≥ 1/2          erfc(z) = exp(−z²) · erfcx(z)         erfcx = exp(z²)·erfc(z) is smooth and
//                                                          slowly varying, fitted on [½,1], [1,2],
//                                                          [2,4], and as z·erfcx(z) in u = 1/z² on z ≥ 4
// exp(−z²) is evaluated with z split into a 24-bit head and a tail so that the rounding of z²
// (up to 8e-14 relative near z = 27) never reaches the result.
import { ERFCX_A, ERFCX_B, ERFCX_C, ERFCX_TAIL, ERF_SMALL } from './erf-coeffs';

const C_SMALL = Float64Array.from(ERF_SMALL);
const C_A = Float64Array.from(ERFCX_A);
const C_B = Float64Array.from(ERFCX_B);
const C_C = Float64Array.from(ERFCX_C);
const C_TAIL = Float64Array.from(ERFCX_TAIL);

/** Σ c[j]·T_j(t) for t in [−1, 1], by Clenshaw's recurrence. */
export function clenshaw(c: Float64Array, t: number): number {
  let b1 = 0;
  let b2 = 0;
  const t2 = 2 * t;
  for (let j = c.length - 1; j >= 1; j--) {
    const b0 = t2 * b1 - b2 + (c[j] as number);
    b2 = b1;
    b1 = b0;
  }
  return t * b1 - b2 + (c[0] as number);
}

/**
 * exp(−k·x²) for k = 1 or 1/2 without the rounding error of x² (relative error ≲ 2 ulp).
 * x = h + l with h = fround(x) (24 bits), so h² is exact and x² = h² + l·(x + h); the small
 * correction factor exp(−k·l·(x + h)), |argument| < 2e-4, is a 4th-degree Taylor polynomial
 * (remainder < 3e-21). Below |x| = 1 the rounding of x² costs at most 1 ulp: one exp suffices.
 */
export function expNegSq(x: number, k: 1 | 0.5 = 1): number {
  const a = Math.abs(x);
  if (a < 1) return Math.exp(-k * a * a);
  if (!(a <= 40)) return a === a ? 0 : a; // exp(−800) already underflows; NaN stays NaN
  const h = Math.fround(a);
  const t = -k * (a - h) * (a + h);
  return Math.exp(-k * h * h) * (1 + t * (1 + (t / 2) * (1 + (t / 3) * (1 + t / 4))));
}

/**
 * erfcx(z) = exp(z²)·erfc(z), the scaled complementary error function. Finite and smooth for
 * z ≥ 0 (≈ 1/(z√π) for large z); for z < 0 it grows like 2·exp(z²) and overflows below −26.6.
 */
export function erfcx(z: number): number {
  if (z >= 0.5) {
    if (z < 1) return clenshaw(C_A, 4 * z - 3);
    if (z < 2) return clenshaw(C_B, 2 * z - 3);
    if (z < 4) return clenshaw(C_C, z - 3);
    if (z === Infinity) return 0;
    const u = 1 / (z * z); // in (0, 1/16]; underflows to 0 for huge z, where z·erfcx → 1/√π
    return clenshaw(C_TAIL, 32 * u - 1) / z;
  }
  if (z !== z) return z;
  if (z >= -0.5) return Math.exp(z * z) * (1 - erfSmall(z));
  // erfcx(z) = 2·exp(z²) − erfcx(−z)
  if (z < -26.7) return Infinity;
  return 2 / expNegSq(z) - erfcx(-z);
}

/** erf for |x| ≤ 1/2, x·P(x²). */
export function erfSmall(x: number): number {
  return x * clenshaw(C_SMALL, 8 * x * x - 1);
}

/** The error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a <= 0.5) return erfSmall(x); // keeps −0 and NaN
  if (a > 6) return x > 0 ? 1 : -1; // erfc(6) ≈ 2.2e-17 rounds away against 1
  const r = 1 - expNegSq(a) * erfcx(a);
  return x > 0 ? r : -r;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the right tail too. */
export function erfc(x: number): number {
  if (x >= 0.5) {
    if (x > 27.3) return 0; // below the smallest subnormal
    return expNegSq(x) * erfcx(x);
  }
  if (x >= -0.5) return 1 - erfSmall(x);
  if (x !== x) return x;
  if (x < -6) return 2;
  return 2 - expNegSq(x) * erfcx(-x);
}
