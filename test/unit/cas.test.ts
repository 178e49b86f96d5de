// The symbolic core and the code front end against an independent computer algebra system:
// test/fixtures/cas/cas-reference.json holds f, f′, f″ computed by SymPy (symbolic
// derivatives) and mpmath (50 digits) — see gen-cas-reference.py — for hand-picked activation
// forms, random expressions of the `eval --expr` grammar, and Python code definitions
// (torch/numpy/jax/tf spellings; defs.py). Every expression goes through `eval`'s pure core
// (evaluateExpr); every definition through `explain` (explainTextWithCustom), whose
// `expression` and `params` are then evaluated the same way. y, dy, d2y must agree to a
// relative error of 1e-12 (an absolute 1e-12 below 1 in size).
//
// Conventions at kinks, which this test therefore asserts: f takes the side the comparison
// includes (SymPy's Piecewise, as our `where`); f′ there is PyTorch's float64 autograd (2.x
// backward comparisons for the catalog functions): relu′(0) = 0, |x|′(0) = 0, max/min split
// the gradient evenly at ties, clamp passes it on the closed interval. The fixture lists, as
// `sympy_dy`, the points where SymPy's own derivative says otherwise (Heaviside(0) = 1/2 for
// Max is the same number; Piecewise boundaries of clamp differ). f″ is not checked where f′
// or f″ jumps.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateExpr } from '../../src/cli/expr';
import { explainTextWithCustom } from '../../src/cli/explain';
import { check, report, type Point, type Tally } from './support/cas';

interface ExprCase {
  id: number;
  origin: string;
  expr: string;
  params: Record<string, number>;
  points: Point[];
}
interface DefCase {
  name: string;
  code: string;
  line: number;
  column: number;
  formula: string;
  params: Record<string, number>;
  points: Point[];
}

const ref = JSON.parse(readFileSync(join(__dirname, '../fixtures/cas/cas-reference.json'), 'utf8')) as { expressions: ExprCase[]; definitions: DefCase[] };

describe('symbolic core against SymPy (test/fixtures/cas)', function () {
  // hundreds of expressions, each parsed, differentiated twice and compiled: seconds of CPU, more on a busy machine
  this.timeout(180_000);
  it('has at least 300 expressions and 40 code definitions, ~12 points each', () => {
    assert.ok(ref.expressions.length >= 300);
    assert.ok(ref.definitions.length >= 40);
    assert.ok(ref.expressions.every((e) => e.points.length >= 8));
  });

  it('evaluates what the expression says, not its display form: no rounding from factoring', () => {
    // tidy() prints 0.1*x*(where(x <= 0, 1, 0) + 10*where(x > 0, 1, 0)); evaluating that gave 3.0000000000000004
    const r = evaluateExpr({ expr: '(x > 0)*x + 0.1*x*(x<=0)', params: [], x: [3, -3, 0.7] });
    assert.deepEqual(r.y, [3, 0.1 * -3, 0.7]);
    assert.deepEqual(r.dy, [1, 0.1, 1]);
    const g = evaluateExpr({ expr: 'sqrt(x**2)', params: [], x: [-0.001, 2] });
    assert.deepEqual(g.d2y, [0, 0]);
  });

  it('eval --expr: f, f′, f″ of every hand-picked expression', () => {
    const t: Tally = { values: 0, wrong: [] };
    const cases = ref.expressions.filter((e) => e.origin === 'hand');
    for (const e of cases) check(`#${e.id} ${e.expr}`, e.expr, e.params, e.points, t);
    report('hand-picked expressions', cases.length, t);
  });

  it('eval --expr: f, f′, f″ of every random expression from the grammar', () => {
    const t: Tally = { values: 0, wrong: [] };
    const cases = ref.expressions.filter((e) => e.origin === 'random');
    for (const e of cases) check(`#${e.id} ${e.expr}`, e.expr, e.params, e.points, t);
    report('random expressions', cases.length, t);
  });

  it('explain on code definitions: an expression whose f, f′, f″ are the code\'s', () => {
    const t: Tally = { values: 0, wrong: [] };
    for (const d of ref.definitions) {
      let r;
      try {
        r = explainTextWithCustom(d.code, `${d.name}.py`, d.line, d.column);
      } catch (e) {
        t.wrong.push(`${d.name}: explain threw ${(e as Error).message}`);
        continue;
      }
      const m = r.match as { kind: string; expression?: string; params: Record<string, unknown> } | null;
      if (!m || m.kind !== 'expression' || m.expression === undefined) {
        t.wrong.push(`${d.name}: no expression match (${m ? m.kind : 'null'}) for ${d.formula}`);
        continue;
      }
      check(`${d.name} → ${m.expression}`, m.expression, m.params as Record<string, number>, d.points, t, d.formula);
    }
    report('code definitions', ref.definitions.length, t);
  });
});
