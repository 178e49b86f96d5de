// The precision tables (docs/precision-tables.md): for every elementwise activation, a sweep
// of all 65,536 bfloat16 and float16 inputs through the dtype evaluation, reporting where f
// overflows to ±∞, where it underflows to 0, where f′ is exactly 0, and the largest error of
// f and f′ in ULPs against the float64 value (correctly rounded to the dtype). Pure: the
// script scripts/gen-precision-tables.ts writes the file, a unit test checks it is current.
import { allEntries, resolve, resolveCanonical } from '../activations/registry';
import type { ElementwiseDef, Framework } from '../activations/types';
import { dtypeScalars, type DtypeScalars } from './evaluate';
import { bf16FromBits, f16FromBits, rounder, ulpDistance } from './round';

export type SweepDtype = 'bfloat16' | 'float16';

export interface SweepRow {
  readonly id: string;
  readonly framework: Framework | 'canonical';
  readonly rule: DtypeScalars['rule'];
  /** Smallest finite x ≥ 0 with f(x) = ±∞ (null: none), and largest finite x ≤ 0. */
  readonly overflowAbove: number | null;
  readonly overflowBelow: number | null;
  /** x intervals (closed, over representable values) where f(x) = 0 but float64 f(x) ≠ 0. */
  readonly underflow: readonly (readonly [number, number])[];
  /** x intervals where f′ is exactly 0 (±0). */
  readonly zeroGrad: readonly (readonly [number, number])[];
  /** x intervals where f′ is exactly 0 in the dtype but not in float64: lost to rounding. */
  readonly lostGrad: readonly (readonly [number, number])[];
  /** Largest |ULP distance| of f and f′ from the float64 values rounded to the dtype (finite ones). */
  readonly maxUlpF: number;
  readonly maxUlpDf: number;
  /** x where maxUlpF / maxUlpDf occur. */
  readonly worstF: number;
  readonly worstDf: number;
}

const finiteCache = new Map<SweepDtype, Float64Array>();

/**
 * Every finite value of a 16-bit dtype, ascending (−0 left out: +0 stands for zero). Built
 * once per dtype; callers must not write into it.
 */
export function finiteValues(dtype: SweepDtype): Float64Array {
  const cached = finiteCache.get(dtype);
  if (cached) return cached;
  const from = dtype === 'bfloat16' ? bf16FromBits : f16FromBits;
  const out: number[] = [];
  for (let b = 0; b < 0x10000; b++) {
    const v = from(b);
    if (Number.isFinite(v) && !Object.is(v, -0)) out.push(v);
  }
  const xs = Float64Array.from(out.sort((a, b) => a - b));
  finiteCache.set(dtype, xs);
  return xs;
}

/** Maximal runs of consecutive indices of xs where `hit` holds, as [first, last] index pairs. */
export function runs(n: number, hit: (i: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const h = i < n && hit(i);
    if (h && start < 0) start = i;
    if (!h && start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  return out;
}

function intervals(xs: Float64Array, hit: (i: number) => boolean): [number, number][] {
  return runs(xs.length, hit).map(([a, b]) => [xs[a] as number, xs[b] as number]);
}

/** y and f′ at every input of a sweep: in the dtype (as the framework stores them) and in float64. */
export interface SweepValues {
  readonly xs: Float64Array;
  readonly y: Float64Array;
  readonly dy: Float64Array;
  readonly y64: Float64Array;
  readonly dy64: Float64Array;
}

/** Evaluates `s` (a dtype) and `f64` (the same call in float64) at every x of `xs` (values of the dtype). */
export function sweepValues(s: DtypeScalars, f64: DtypeScalars, xs: Float64Array): SweepValues {
  const n = xs.length;
  const y = new Float64Array(n);
  const dy = new Float64Array(n);
  const y64 = new Float64Array(n);
  const dy64 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    y[i] = s.f(x);
    dy[i] = s.df(x);
    y64[i] = f64.f(x);
    dy64[i] = f64.df(x);
  }
  return { xs, y, dy, y64, dy64 };
}

/** The activation as its reference framework computes it: PyTorch where it has one, else the first binding. */
function scalarsFor(def: ElementwiseDef, dtype: SweepDtype, framework?: Framework): { s: DtypeScalars; f64: DtypeScalars; framework: Framework | 'canonical' } {
  const entry = allEntries().find((e) => e.def.id === def.id);
  const b = entry?.bindings.find((x) => x.framework === (framework ?? 'torch')) ?? entry?.bindings[0];
  if (b) {
    const r = resolve(b.framework, b.names[0] as string, {});
    const k = def.kernel(r.params, r.conventions);
    return {
      s: dtypeScalars(b.framework, def.id, r.params, r.conventions, k, dtype),
      f64: dtypeScalars(b.framework, def.id, r.params, r.conventions, k, 'float64'),
      framework: b.framework,
    };
  }
  const r = resolveCanonical(def.id);
  const k = def.kernel(r.params, r.conventions);
  return { s: dtypeScalars('keras', def.id, r.params, r.conventions, k, dtype), f64: dtypeScalars('keras', def.id, r.params, r.conventions, k, 'float64'), framework: 'canonical' };
}

export function sweep(def: ElementwiseDef, dtype: SweepDtype, xs: Float64Array = finiteValues(dtype), fw?: Framework): SweepRow {
  const { s, f64, framework } = scalarsFor(def, dtype, fw);
  const round = rounder(dtype);
  const n = xs.length;
  const { y, dy, y64, dy64 } = sweepValues(s, f64, xs);
  let maxUlpF = 0;
  let maxUlpDf = 0;
  let worstF = NaN;
  let worstDf = NaN;
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    const rf = round(y64[i] as number);
    const rd = round(dy64[i] as number);
    if (Number.isFinite(rf) && Number.isFinite(y[i] as number)) {
      const d = ulpDistance(y[i] as number, rf, dtype);
      if (d > maxUlpF) {
        maxUlpF = d;
        worstF = x;
      }
    }
    if (Number.isFinite(rd) && Number.isFinite(dy[i] as number)) {
      const d = ulpDistance(dy[i] as number, rd, dtype);
      if (d > maxUlpDf) {
        maxUlpDf = d;
        worstDf = x;
      }
    }
  }
  let overflowAbove: number | null = null;
  let overflowBelow: number | null = null;
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number;
    const inf = !Number.isFinite(y[i] as number) && !Number.isNaN(y[i] as number);
    if (!inf) continue;
    if (x >= 0 && overflowAbove === null) overflowAbove = x;
    if (x <= 0) overflowBelow = x;
  }
  return {
    id: def.id,
    framework,
    rule: s.rule,
    overflowAbove,
    overflowBelow,
    underflow: intervals(xs, (i) => y[i] === 0 && (y64[i] as number) !== 0 && Number.isFinite(y64[i] as number)),
    zeroGrad: intervals(xs, (i) => dy[i] === 0),
    lostGrad: intervals(xs, (i) => dy[i] === 0 && dy64[i] !== 0 && !Number.isNaN(dy64[i] as number)),
    maxUlpF,
    maxUlpDf,
    worstF,
    worstDf,
  };
}

/** Six significant digits: the tables are for reading (eval --dtype gives exact values). */
export function show(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function describeIntervals(list: readonly (readonly [number, number])[], lo: number, hi: number, max = 3): string {
  if (list.length === 0) return '—';
  const parts = list.slice(0, max).map(([a, b]) => {
    if (a === lo && b === hi) return 'all x';
    if (a === lo) return `x ≤ ${show(b)}`;
    if (b === hi) return `x ≥ ${show(a)}`;
    return a === b ? `x = ${show(a)}` : `${show(a)} ≤ x ≤ ${show(b)}`;
  });
  if (list.length > max) parts.push(`${list.length - max} more`);
  return parts.join('; ');
}

function ulps(v: number, x: number): string {
  return v === 0 ? '0' : `${v} (x = ${show(x)})`;
}

export function tableMarkdown(dtype: SweepDtype): string {
  const xs = finiteValues(dtype);
  const lo = xs[0] as number;
  const hi = xs[xs.length - 1] as number;
  const lines = [
    `| activation | computed as | f = ±∞ for | f underflows to 0 for | f′ = 0 exactly for | max ULP f | max ULP f′ |`,
    `|---|---|---|---|---|---|---|`,
  ];
  for (const e of allEntries()) {
    if (e.def.kind !== 'elementwise') continue;
    const r = sweep(e.def, dtype, xs);
    const over = [r.overflowAbove !== null ? `x ≥ ${show(r.overflowAbove)}` : '', r.overflowBelow !== null ? `x ≤ ${show(r.overflowBelow)}` : ''].filter(Boolean).join('; ') || '—';
    const how = r.framework === 'canonical' ? r.rule : `${r.framework}, ${r.rule}`;
    lines.push(`| ${r.id} | ${how} | ${over} | ${describeIntervals(r.underflow, lo, hi)} | ${describeIntervals(r.zeroGrad, lo, hi)} | ${ulps(r.maxUlpF, r.worstF)} | ${ulps(r.maxUlpDf, r.worstDf)} |`);
  }
  return lines.join('\n');
}

/** The whole docs/precision-tables.md. */
export function precisionTablesMarkdown(): string {
  return [
    '# Precision tables',
    '',
    '<!-- Generated by `npx tsx scripts/gen-precision-tables.ts` from src/engine/precision; test/unit/precision.tables.test.ts fails when this file is stale. -->',
    '',
    'Every finite bfloat16 and float16 input (65,536 bit patterns each, NaN and −0 left out) through',
    'each elementwise activation as its framework computes it in that dtype (PyTorch where it has the',
    'activation, with its default parameters; see "Precision" in conventions.md for each rule).',
    '',
    '- **f = ±∞ for**: the inputs whose output overflows (the smallest such x ≥ 0, the largest ≤ 0).',
    '- **f underflows to 0**: the output is 0 in the dtype while the float64 value is not.',
    '- **f′ = 0 exactly**: where the gradient the framework returns is exactly zero (dead or saturated).',
    '- **max ULP**: the largest distance, in representable values of the dtype, between the framework\'s',
    '  result and the float64 value rounded to the dtype (0 = correctly rounded everywhere), with the x',
    '  where it happens; only where both are finite.',
    '',
    '"torch-cpu" is PyTorch 1.13\'s CPU bfloat16 kernels, "torch-opmath" PyTorch\'s float32-opmath',
    'semantics (CUDA), "opmath" the generic rule: the float64 value rounded to float32, then to the dtype.',
    'Numbers are shown to six significant digits (`eval --dtype` prints exact values). A large ULP',
    'count marks a real difference: a gradient that is exactly 0 because the saved output rounded',
    'to 1 (sigmoid, tanh), cancellation (tanhshrink, GELU\'s left tail), or a kink convention of',
    'PyTorch 1.13 (hardswish′(−3) = −0.5).',
    '',
    '## bfloat16',
    '',
    tableMarkdown('bfloat16'),
    '',
    '## float16',
    '',
    tableMarkdown('float16'),
    '',
  ].join('\n');
}

const noteCache = new Map<string, string | undefined>();

/**
 * One line on what a dtype does to this activation (for hovers), from the sweep of every input:
 * where f overflows to ±∞ and where f′ is exactly 0 although float64's is not. Undefined when
 * the dtype changes nothing of the kind. Uses the framework's default parameters; cached.
 */
export function precisionNote(framework: Framework, id: string, dtype: SweepDtype): string | undefined {
  const key = `${framework}/${id}/${dtype}`;
  if (noteCache.has(key)) return noteCache.get(key);
  const entry = allEntries().find((e) => e.def.id === id);
  let note: string | undefined;
  if (entry && entry.def.kind === 'elementwise') {
    const xs = finiteValues(dtype);
    const r = sweep(entry.def, dtype, xs, framework);
    const parts: string[] = [];
    const over = [r.overflowAbove !== null ? `x ≥ ${show(r.overflowAbove)}` : '', r.overflowBelow !== null ? `x ≤ ${show(r.overflowBelow)}` : ''].filter(Boolean);
    if (over.length) parts.push(`f overflows to ∞ for ${over.join(' and ')}`);
    const lo = xs[0] as number;
    const hi = xs[xs.length - 1] as number;
    // the tails are what matters in training: the zero-gradient ranges reaching ±max that
    // rounding made (they contain inputs whose float64 gradient is not 0), e.g. sigmoid's
    // saturation where the stored output rounds to 1; not relu's x ≤ 0
    const tails = r.zeroGrad.filter(([a, b]) => (a === lo || b === hi) && r.lostGrad.some(([c, d]) => c <= b && d >= a));
    if (tails.length) parts.push(`f′ = 0 exactly for ${describeIntervals(tails, lo, hi)} (float64: nonzero)`);
    if (parts.length) note = `In ${dtype}: ${parts.join('; ')}.`;
  }
  noteCache.set(key, note);
  return note;
}
