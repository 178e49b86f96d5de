// Where a dtype changes what an activation returns, as the explorer shows it: overflow,
// underflow and zero-gradient regions as x-intervals with a one-line description each, and
// the error against float64 in ULPs at any x. Pure (typed arrays only).
//
// The inputs a framework sees are values of the dtype (x is rounded first), so a region is a
// maximal run of consecutive representable inputs:
//   overflow   f (or f′) is ±∞ in the dtype, and float64 is finite somewhere in the run;
//   underflow  f is ±0 in the dtype, and float64 is nonzero (and finite) somewhere in the run;
//              subnormal results count as values (gradual underflow: neither PyTorch's CPU
//              kernels, by default, nor CUDA's stores flush them), their lost digits show
//              in the ULP error instead;
//   zero-grad  f′ is exactly ±0 in the dtype, and float64's is not somewhere in the run
//              (relu's x ≤ 0, zero in every dtype, is none; sigmoid's saturation in
//              bfloat16 is one run x ≥ 6.25 even though float64's f′ underflows far out).
// bfloat16 and float16: the sweep of every finite value (tables.ts), so the endpoints are
// exact. float32 (2³² values): sampled over the plotted range, then every change between two
// neighbouring samples is located exactly by bisection over the float32 values between them
// (a run shorter than the sample spacing can be missed there; none is in the 16-bit sweep).
import type { DtypeScalars } from './evaluate';
import { type Dtype, ulpAt } from './round';
import { finiteValues, runs, show, sweepValues, type SweepValues } from './tables';

export type RegionKind = 'overflow' | 'underflow' | 'zero-grad';
export const REGION_KINDS: readonly RegionKind[] = ['overflow', 'underflow', 'zero-grad'];

export interface PrecisionRegion {
  readonly kind: RegionKind;
  /** Which result: f or f′. */
  readonly of: 'f' | 'df';
  /** The first and last input of the dtype in the run (closed). */
  readonly first: number;
  readonly last: number;
  /**
   * Every real x that rounds to an input of the run, for shading: halfway to the neighbouring
   * representable inputs; ±Infinity where the run reaches the end of what was swept.
   */
  readonly from: number;
  readonly to: number;
  /** The inputs, as the precision tables write them: "x ≥ 6.25", "x ≤ -89", "-1 ≤ x ≤ 2", "x = -1.28125". */
  readonly where: string;
  /** One line: "f′ = 0 exactly for x ≥ 6.25 in bfloat16 (float64: nonzero)". */
  readonly text: string;
}

type NarrowDtype = Exclude<Dtype, 'float64'>;

/**
 * The overflow, underflow and zero-gradient regions of `s` (an activation in a dtype)
 * against `f64` (the same call in float64), in order of kind, then of x. bfloat16 and
 * float16: over every finite input (the range is not needed); float32: over [xmin, xmax].
 * float64: none.
 */
export function precisionRegions(s: DtypeScalars, f64: DtypeScalars, xmin = -6, xmax = 6): PrecisionRegion[] {
  if (s.dtype === 'float64') return [];
  if (s.dtype === 'float32') {
    const v = float32Values(s, f64, xmin, xmax);
    return regionsOf(v, s.dtype, false);
  }
  return regionsOf(sweepValues(s, f64, finiteValues(s.dtype)), s.dtype, true);
}

/** Regions with any part in [xmin, xmax]. */
export function visibleRegions(list: readonly PrecisionRegion[], xmin: number, xmax: number): PrecisionRegion[] {
  return list.filter((r) => r.to >= xmin && r.from <= xmax);
}

const isInf = (v: number): boolean => v === Infinity || v === -Infinity;

interface Rule {
  readonly kind: RegionKind;
  readonly of: 'f' | 'df';
  /** The dtype's result at i is in the region's state. */
  readonly hit: (v: SweepValues, i: number) => boolean;
  /** …and float64's is not (the run is the dtype's doing). */
  readonly lost: (v: SweepValues, i: number) => boolean;
  readonly what: (v: SweepValues, a: number, b: number) => string;
}

function infSign(ys: Float64Array, a: number, b: number): string {
  let pos = false;
  let neg = false;
  for (let i = a; i <= b; i++) {
    if (ys[i] === Infinity) pos = true;
    else neg = true;
  }
  return pos && neg ? '±∞' : pos ? '+∞' : '−∞';
}

const RULES: readonly Rule[] = [
  { kind: 'overflow', of: 'f', hit: (v, i) => isInf(v.y[i] as number), lost: (v, i) => Number.isFinite(v.y64[i] as number), what: (v, a, b) => `f overflows to ${infSign(v.y, a, b)}` },
  { kind: 'overflow', of: 'df', hit: (v, i) => isInf(v.dy[i] as number), lost: (v, i) => Number.isFinite(v.dy64[i] as number), what: (v, a, b) => `f′ overflows to ${infSign(v.dy, a, b)}` },
  { kind: 'underflow', of: 'f', hit: (v, i) => v.y[i] === 0, lost: (v, i) => v.y64[i] !== 0 && Number.isFinite(v.y64[i] as number), what: () => 'f underflows to 0' },
  { kind: 'zero-grad', of: 'df', hit: (v, i) => v.dy[i] === 0, lost: (v, i) => v.dy64[i] !== 0 && !Number.isNaN(v.dy64[i] as number), what: () => 'f′ = 0 exactly' },
];

const FLOAT64_SAYS: Record<RegionKind, string> = { overflow: 'float64: finite', underflow: 'float64: nonzero', 'zero-grad': 'float64: nonzero' };

/** `complete`: v.xs is every finite input of the dtype, so a run at an end goes on to ±max. */
function regionsOf(v: SweepValues, dtype: NarrowDtype, complete: boolean): PrecisionRegion[] {
  const xs = v.xs;
  const n = xs.length;
  const out: PrecisionRegion[] = [];
  for (const rule of RULES) {
    for (const [a, b] of runs(n, (i) => rule.hit(v, i))) {
      let lost = false;
      for (let i = a; i <= b && !lost; i++) lost = rule.lost(v, i);
      if (!lost) continue;
      const first = xs[a] as number;
      const last = xs[b] as number;
      const where = describe(first, last, a === 0, b === n - 1, complete);
      const atEdge = !complete && (a === 0 || b === n - 1);
      out.push({
        kind: rule.kind,
        of: rule.of,
        first,
        last,
        from: a === 0 ? -Infinity : ((xs[a - 1] as number) + first) / 2,
        to: b === n - 1 ? Infinity : (last + (xs[b + 1] as number)) / 2,
        where,
        text: `${rule.what(v, a, b)} for ${where} in ${dtype} (${FLOAT64_SAYS[rule.kind]}${atEdge ? '; checked up to the edge of the plotted range' : ''})`,
      });
    }
  }
  return out;
}

function describe(first: number, last: number, atLow: boolean, atHigh: boolean, complete: boolean): string {
  if (first === last) return `x = ${show(first)}`;
  if (atLow && atHigh) return complete ? 'all x' : `${show(first)} ≤ x ≤ ${show(last)}`;
  if (atLow) return `x ≤ ${show(last)}`;
  if (atHigh) return `x ≥ ${show(first)}`;
  return `${show(first)} ≤ x ≤ ${show(last)}`;
}

// ---------------------------------------------------------------------------------------
// float32: samples, then exact boundaries by bisection over float32 values

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Consecutive float32 values have consecutive ordinals (−0 and +0 share 0). */
function ordinal32(x: number): number {
  f32[0] = x;
  const b = u32[0] as number;
  return b >= 0x80000000 ? -(b - 0x80000000) : b;
}

function fromOrdinal32(o: number): number {
  u32[0] = o < 0 ? 0x80000000 + -o : o;
  return f32[0] as number;
}

const SAMPLES = 2048;
/** Bisections per gap between samples, and in all (bounded work however noisy a function is). */
const MAX_SPLITS_PER_GAP = 16;
const MAX_SPLITS = 1024;

/** Which of the region states (f ±∞, f′ ±∞, f = 0, f′ = 0) hold at x, as bits. */
function signature(s: DtypeScalars, x: number): number {
  const y = s.f(x);
  const dy = s.df(x);
  return (isInf(y) ? 1 : 0) | (isInf(dy) ? 2 : 0) | (y === 0 ? 4 : 0) | (dy === 0 ? 8 : 0);
}

function float32Values(s: DtypeScalars, f64: DtypeScalars, xmin: number, xmax: number): SweepValues {
  const lo = ordinal32(Math.fround(xmin));
  const hi = ordinal32(Math.fround(xmax));
  const ords = new Set<number>();
  for (let i = 0; i < SAMPLES; i++) ords.add(ordinal32(Math.fround(xmin + ((xmax - xmin) * i) / (SAMPLES - 1))));
  ords.add(lo);
  ords.add(hi);
  const base = [...ords].filter((o) => o >= lo && o <= hi).sort((a, b) => a - b);
  const sig = (o: number): number => signature(s, fromOrdinal32(o));
  const all: number[] = [];
  let splits = 0;
  for (let k = 0; k < base.length; k++) {
    const a0 = base[k] as number;
    all.push(a0);
    const b0 = base[k + 1];
    if (b0 === undefined) break;
    // every change of signature between a0 and b0, left to right, each as the pair of
    // neighbouring values where it happens
    let a = a0;
    let sa = sig(a);
    const sb = sig(b0);
    for (let g = 0; g < MAX_SPLITS_PER_GAP && sa !== sb && b0 - a > 1 && splits < MAX_SPLITS; g++, splits++) {
      let l: number = a;
      let r: number = b0;
      while (r - l > 1) {
        const m = l + Math.floor((r - l) / 2);
        if (sig(m) === sa) l = m;
        else r = m;
      }
      if (l !== a) all.push(l);
      if (r !== b0) all.push(r);
      a = r;
      sa = sig(r);
    }
  }
  const xs = Float64Array.from([...new Set(all)].sort((p, q) => p - q).map(fromOrdinal32));
  return sweepValues(s, f64, xs);
}

// ---------------------------------------------------------------------------------------
// error in ULPs

/**
 * The signed error of `value` (a result in the dtype) against `reference` (float64), in ULPs
 * of the dtype at the reference: (value − reference) / ulp(reference). 0 when equal (±∞ and
 * NaN included); ±Infinity when only the dtype overflowed; NaN when either is NaN alone or
 * the reference is infinite and the value is not. A correctly rounded result is within ½.
 */
export function ulpError(value: number, reference: number, dtype: NarrowDtype): number {
  if (value === reference || (value !== value && reference !== reference)) return 0;
  if (value !== value || reference !== reference || !Number.isFinite(reference)) return NaN;
  if (!Number.isFinite(value)) return value > 0 ? Infinity : -Infinity;
  return (value - reference) / ulpAt(reference, dtype);
}

export interface UlpSeries {
  readonly f: Float64Array;
  readonly df: Float64Array;
}

/**
 * The error of f and f′ in the dtype at each x, against float64 at the same input: x is
 * rounded to the dtype first, so this is the computation's error, not the input's rounding.
 * float64: all zero.
 */
export function ulpErrors(s: DtypeScalars, f64: DtypeScalars, xs: ArrayLike<number>): UlpSeries {
  const n = xs.length;
  const f = new Float64Array(n);
  const df = new Float64Array(n);
  if (s.dtype === 'float64') return { f, df };
  const dtype = s.dtype;
  for (let i = 0; i < n; i++) {
    const x = s.round(xs[i] as number);
    f[i] = ulpError(s.f(x), f64.f(x), dtype);
    df[i] = ulpError(s.df(x), f64.df(x), dtype);
  }
  return { f, df };
}
