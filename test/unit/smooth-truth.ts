// Helper for reference tests (not a test file): where PyTorch's or JAX's own float64 value of a
// smooth activation is off the true value, the engine deliberately returns the true one. This
// tells a caller, for one reference point, whether that is such a documented place and what the
// true value is (mpmath, test/fixtures/smooth-truth.json, written by gen-smooth-truth.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMOOTH_FRAMEWORK_ERRORS } from '../fixtures/smooth-notes';

type Num = number | string | null;
interface TruthCase {
  framework: string;
  fn: string;
  params: Record<string, unknown>;
  x: Num[];
  y: Num[];
  dy: Num[];
  d2y: Num[];
}

let cases: Map<string, TruthCase> | undefined;
function load(): Map<string, TruthCase> {
  if (cases) return cases;
  const file = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'smooth-truth.json'), 'utf8')) as { cases: TruthCase[] };
  cases = new Map(file.cases.map((c) => [`${c.framework} ${c.fn} ${JSON.stringify(c.params)}`, c]));
  return cases;
}

function num(v: Num | undefined): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  return v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN;
}

/**
 * For reference case `c` (as in pytorch-jax-reference.json), quantity `q` at index `i`: the true
 * value when the framework's value `frameworkValue` is more than 1e-12 (relative, floor 1e-300)
 * off it and the place is listed in SMOOTH_FRAMEWORK_ERRORS with its reason; else undefined.
 * Callers then accept the engine's value if it is within 1e-13 of the returned truth.
 */
export function documentedFrameworkError(
  c: { framework: string; fn: string; params: Record<string, unknown> },
  q: 'y' | 'dy' | 'd2y',
  i: number,
  frameworkValue: number,
): number | undefined {
  if (!SMOOTH_FRAMEWORK_ERRORS[`${c.framework} ${c.fn} ${q}`]) return undefined;
  const t = load().get(`${c.framework} ${c.fn} ${JSON.stringify(c.params)}`);
  if (!t) return undefined;
  const truth = num(t[q][i]);
  if (Number.isNaN(truth)) return undefined;
  const off = Math.abs(frameworkValue - truth) > 1e-12 * Math.max(Math.abs(truth), 1e-300);
  return off || Number.isNaN(frameworkValue) ? truth : undefined;
}
