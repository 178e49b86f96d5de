// Shared machinery of the checks against SymPy (test/unit/cas.test.ts, cas2.test.ts): a
// reference point's format and the comparison of `eval --expr`'s pure core (evaluateExpr)
// with it. y, dy, d2y must agree to a relative error of 1e-12 (an absolute 1e-12 below 1).
import * as assert from 'node:assert/strict';
import { evaluateExpr } from '../../../src/cli/expr';

export type Num = number | 'inf' | '-inf' | null;
export interface Point {
  x: number;
  y: Num;
  dy: Num;
  d2y: Num;
  kink?: boolean;
}

export const TOL = 1e-12;
export const num = (v: Num): number | undefined => (v === null ? undefined : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/**
 * Formulas whose exact f″ cancels in float64 however it is spelled: sin(x)/x has
 * f″ = −sin/x − 2cos/x² + 2sin/x³, terms of size 2/x³ summing to −1/3, so |x| = 1e-3 leaves
 * ~1e-10 (SymPy's formula evaluated in float64 does no better). Tolerance there: 1e-9.
 */
const ILL_CONDITIONED: ReadonlySet<string> = new Set(['sin(x) / x']);

export function agrees(got: number, want: number, tol = TOL): boolean {
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

export interface Tally {
  values: number;
  wrong: string[];
}

/** Evaluates `expr` with `params` at the points and records every disagreement. */
export function check(label: string, expr: string, params: Record<string, number>, points: Point[], t: Tally, formula = expr): void {
  let r;
  try {
    r = evaluateExpr({ expr, params: Object.entries(params).map(([k, v]) => `${k}=${v}`), x: points.map((p) => p.x) });
  } catch (e) {
    t.wrong.push(`${label}: ${(e as Error).message}`);
    t.values += points.length * 3;
    return;
  }
  points.forEach((p, i) => {
    for (const [field, got] of [['y', r.y[i]], ['dy', r.dy[i]], ['d2y', r.d2y[i]]] as const) {
      const want = num(p[field]);
      if (want === undefined) continue;
      t.values++;
      const tol = field === 'd2y' && ILL_CONDITIONED.has(formula) && Math.abs(p.x) <= 0.01 ? 1e-9 : TOL;
      if (!agrees(got as number, want, tol)) t.wrong.push(`${label} at x=${p.x}${p.kink ? ' (kink)' : ''}: ${field} ${String(got)}, want ${want}`);
    }
  });
}

export function report(what: string, n: number, t: Tally): void {
  const shown = t.wrong.slice(0, 40).join('\n  ');
  assert.equal(t.wrong.length, 0, `${what}: ${t.wrong.length} of ${t.values} values disagree with SymPy:\n  ${shown}`);
  console.log(`      ${n} ${what}, ${t.values} values (f, f′, f″) agree with SymPy to 1e-12`);
}
