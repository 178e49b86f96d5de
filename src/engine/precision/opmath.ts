// float32 arithmetic ("opmath") as the frameworks' kernels do it, from float64 JavaScript
// numbers. A float32 operation on float32 operands is one float64 operation followed by
// Math.fround: for +, −, × and ÷ that is exactly the float32 result (float64 carries more than
// 2·24 + 2 bits, so the double rounding is innocuous). Transcendental functions (expf, tanhf,
// log1pf, erff in the C library or Sleef's vector versions) are not correctly rounded and not
// reproducible across libraries: here they are the float64 function rounded once to float32,
// which is within 1 float32 ULP of any of them.

export const f32 = Math.fround;

/** Fused multiply-add a·b + c in float32 (a·b is exact in float64; one more rounding). */
export function fma32(a: number, b: number, c: number): number {
  return Math.fround(a * b + c);
}

export const expf = (x: number): number => f32(Math.exp(x));
export const expm1f = (x: number): number => f32(Math.expm1(x));
export const log1pf = (x: number): number => f32(Math.log1p(x));
export const logf = (x: number): number => f32(Math.log(x));
export const tanhf = (x: number): number => f32(Math.tanh(x));
export const sinf = (x: number): number => f32(Math.sin(x));

const P = f32(0.3275911);
const P1 = f32(0.254829592);
const P2 = f32(-0.284496736);
const P3 = f32(1.421413741);
const P4 = f32(-1.453152027);
const P5 = f32(1.061405429);

/**
 * PyTorch's vectorised float erf (ATen/cpu/vec/vec256/vec256_float.h, `Vectorized<float>::erf`):
 * Abramowitz & Stegun 7.1.26, erf(x) ≈ sign(x)·(1 − r(t)·t·e^(−x²)), t = 1/(1 + p·|x|), with
 * fused multiply-adds. Its absolute error is up to 1.5e−7, so it is not erff: the bfloat16
 * GELU kernels that go through it round differently from a correctly rounded erf.
 */
export function erfVec32(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  const t = f32(1 / fma32(P, a, 1));
  const r = fma32(fma32(fma32(fma32(P5, t, P4), t, P3), t, P2), t, P1);
  const e = f32(-expf(-f32(a * a)));
  const v = fma32(f32(e * t), r, 1);
  return x < 0 || Object.is(x, -0) ? -v : v;
}
