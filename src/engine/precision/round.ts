// Exact IEEE rounding of float64 numbers to the narrow floating-point formats, and their bit
// patterns. Pure TypeScript (typed arrays only).
//
//   format     bits  significand p  e_min   largest finite          smallest subnormal
//   float16    16    11             −14     65504                   2^−24
//   bfloat16   16     8             −126    (2 − 2^−7)·2^127        2^−133
//   float32    32    24             −126    (2 − 2^−23)·2^127       2^−149   (Math.fround)
//
// Rounding is to nearest, ties to even, with gradual underflow (subnormals) and overflow to ±∞
// (a value at or beyond the largest finite + half an ULP rounds to ∞, IEEE 754 §7.4). NaN stays
// NaN; the sign of zero is kept.

export type Dtype = 'float64' | 'float32' | 'bfloat16' | 'float16';
export const DTYPES: readonly Dtype[] = ['float64', 'float32', 'bfloat16', 'float16'];

export function isDtype(s: string): s is Dtype {
  return (DTYPES as readonly string[]).includes(s);
}

interface Format {
  /** Significand bits including the implicit one. */
  readonly p: number;
  readonly emin: number;
  readonly emax: number;
}

const F16: Format = { p: 11, emin: -14, emax: 15 };
const BF16: Format = { p: 8, emin: -126, emax: 127 };

const f64 = new Float64Array(1);
const u32of64 = new Uint32Array(f64.buffer);
const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = little ? 1 : 0;

/** ⌊log2 |a|⌋ for finite a > 0 (float64 subnormals included), exact. */
function exponentOf(a: number): number {
  f64[0] = a;
  const e = ((u32of64[HI] as number) >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  // float64 subnormal: scale up by 2^64 (exact) and read again
  f64[0] = a * 18446744073709551616;
  return (((u32of64[HI] as number) >>> 20) & 0x7ff) - 1023 - 64;
}

function roundTo(x: number, fmt: Format): number {
  if (x !== x || x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const e = Math.max(exponentOf(a), fmt.emin);
  const q = 2 ** (e - fmt.p + 1); // the ULP at a's binade (the subnormal ULP below e_min)
  const r = a / q; // exact: division by a power of two, r < 2^p
  let n = Math.floor(r);
  const d = r - n;
  if (d > 0.5 || (d === 0.5 && n % 2 === 1)) n += 1;
  const v = n * q;
  const largest = (2 - 2 ** (1 - fmt.p)) * 2 ** fmt.emax;
  const out = v > largest ? Infinity : v;
  return x < 0 ? -out : out;
}

/** float64 → nearest float16 (binary16), as a float64. */
export function roundF16(x: number): number {
  return roundTo(x, F16);
}

/** float64 → nearest bfloat16, as a float64 (one rounding, directly from float64). */
export function roundBf16(x: number): number {
  return roundTo(x, BF16);
}

/** float64 → nearest float32 (Math.fround). */
export const roundF32: (x: number) => number = Math.fround;

/** float64 → float32 → bfloat16: what a float32 computation stored as bfloat16 gives. */
export function roundF32ToBf16(x: number): number {
  return roundTo(Math.fround(x), BF16);
}

/** float64 → float32 → float16. */
export function roundF32ToF16(x: number): number {
  return roundTo(Math.fround(x), F16);
}

/** The storage rounding of a dtype, from float64. */
export function rounder(dtype: Dtype): (x: number) => number {
  switch (dtype) {
    case 'float64':
      return (x) => x;
    case 'float32':
      return Math.fround;
    case 'bfloat16':
      return roundBf16;
    case 'float16':
      return roundF16;
  }
}

// ---------------------------------------------------------------------------------------
// bit patterns

const f32 = new Float32Array(1);
const u32of32 = new Uint32Array(f32.buffer);

/** The bfloat16 bit pattern of x (x is rounded first). NaN → 0x7FC0 (sign kept). */
export function bf16Bits(x: number): number {
  if (x !== x) return 0x7fc0;
  f32[0] = roundBf16(x);
  return (u32of32[0] as number) >>> 16;
}

/** The value of a bfloat16 bit pattern (0 … 0xFFFF). */
export function bf16FromBits(bits: number): number {
  u32of32[0] = (bits & 0xffff) << 16;
  return f32[0] as number;
}

/** The float16 bit pattern of x (x is rounded first). NaN → 0x7E00. */
export function f16Bits(x: number): number {
  if (x !== x) return 0x7e00;
  const v = roundF16(x);
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24); // subnormal, exact
  const e = exponentOf(a);
  const m = a / 2 ** e - 1; // in [0, 1), a multiple of 2^−10
  return sign | ((e + 15) << 10) | Math.round(m * 1024);
}

/** The value of a float16 bit pattern (0 … 0xFFFF). */
export function f16FromBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >>> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0x1f) return m ? NaN : sign * Infinity;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** The float32 bit pattern of x (rounded with Math.fround). */
export function f32Bits(x: number): number {
  f32[0] = x;
  return u32of32[0] as number;
}

/** The bit pattern of x in a 16- or 32-bit dtype (float64: not supported). */
export function bitsOf(x: number, dtype: Exclude<Dtype, 'float64'>): number {
  return dtype === 'bfloat16' ? bf16Bits(x) : dtype === 'float16' ? f16Bits(x) : f32Bits(x);
}

/**
 * Distance in ULPs between two numbers of a 16- or 32-bit dtype: how many representable
 * values apart they are (0 for equal, +0 and −0 are 0 apart). NaN vs NaN is 0, NaN vs a
 * number is Infinity, ±∞ count as the step after the largest finite value.
 */
export function ulpDistance(a: number, b: number, dtype: Exclude<Dtype, 'float64'>): number {
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : Infinity;
  return Math.abs(ordinal(a, dtype) - ordinal(b, dtype));
}

/** Position on the number line of a dtype: consecutive representable values differ by 1. */
function ordinal(x: number, dtype: Exclude<Dtype, 'float64'>): number {
  const bits = bitsOf(x, dtype);
  const signBit = dtype === 'float32' ? 0x80000000 : 0x8000;
  const mag = bits >= signBit ? bits - signBit : bits;
  return bits >= signBit ? -mag : mag;
}

/** The ULP of a dtype at x: the gap from |x| to the next representable value away from zero. */
export function ulpAt(x: number, dtype: Dtype): number {
  const a = Math.abs(x);
  if (!Number.isFinite(a)) return NaN;
  const fmt = dtype === 'float16' ? F16 : dtype === 'bfloat16' ? BF16 : dtype === 'float32' ? { p: 24, emin: -126, emax: 127 } : { p: 53, emin: -1022, emax: 1023 };
  const e = a === 0 ? fmt.emin : Math.max(exponentOf(a), fmt.emin);
  return 2 ** (e - fmt.p + 1);
}
