// Second round of the check against an independent computer algebra system:
// test/fixtures/cas/cas-reference-2.json (gen-cas-reference-2.py; SymPy derivatives, mpmath
// at 50 digits, PyTorch autograd at kinks, exactly as the first round, cas.test.ts) holds
// hand-typed expressions in unusual but valid syntax and with module prefixes, far points
// where only a stable evaluation stays right, and code definitions in the styles the first
// round covers thinly: JAX/flax, TensorFlow/Keras, TF.js (.js/.ts), PyTorch tensor methods
// and in-place ops, module constants, defaults, learnable nn.Parameters (reported as
// parameters with their initial value), staticmethods, decorators, multi-line code, and uses.
// Definitions whose formula is null are look-alikes (softmax, norms, losses, a Python `if` on
// a tensor, reductions…) and must get no match.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainTextWithCustom } from '../../src/cli/explain';
import { check, report, type Point, type Tally } from './support/cas';

interface ExprCase {
  id: number;
  expr: string;
  params: Record<string, number>;
  points: Point[];
}
interface DefCase {
  name: string;
  ext: 'py' | 'js' | 'ts';
  code: string;
  line: number;
  column: number;
  pos: 'def' | 'use';
  formula: string | null;
  params: Record<string, number>;
  points: Point[];
}

const ref = JSON.parse(readFileSync(join(__dirname, '../fixtures/cas/cas-reference-2.json'), 'utf8')) as { expressions: ExprCase[]; definitions: DefCase[] };

interface Found {
  kind: string;
  expression?: string;
  params: Record<string, number>;
}

function explain(d: DefCase): Found | null {
  const r = explainTextWithCustom(d.code, `${d.name}.${d.ext}`, d.line, d.column, { images: false });
  return r.match as Found | null;
}

describe('symbolic core against SymPy, second round (test/fixtures/cas, cas-reference-2.json)', function () {
  // hundreds of expressions, each parsed, differentiated twice and compiled: seconds of CPU, more on a busy machine
  this.timeout(180_000);
  const acts = ref.definitions.filter((d) => d.formula !== null);
  const lookalikes = ref.definitions.filter((d) => d.formula === null);

  it('has 50+ expressions, 100+ definitions (Python and JS/TS) and 20+ look-alikes', () => {
    assert.ok(ref.expressions.length >= 50);
    assert.ok(acts.length >= 100);
    assert.ok(acts.some((d) => d.ext !== 'py') && acts.some((d) => d.pos === 'use'));
    assert.ok(lookalikes.length >= 20);
  });

  it('eval --expr: f, f′, f″ of every expression', () => {
    const t: Tally = { values: 0, wrong: [] };
    for (const e of ref.expressions) check(`#${e.id} ${e.expr}`, e.expr, e.params, e.points, t);
    report('expressions', ref.expressions.length, t);
  });

  it("explain on code definitions and their uses: an expression whose f, f′, f″ and parameters are the code's", () => {
    const t: Tally = { values: 0, wrong: [] };
    for (const d of acts) {
      let m: Found | null;
      try {
        m = explain(d);
      } catch (e) {
        t.wrong.push(`${d.name}: explain threw ${(e as Error).message}`);
        continue;
      }
      if (!m || m.kind !== 'expression' || m.expression === undefined) {
        t.wrong.push(`${d.name}: no expression match (${m ? m.kind : 'null'}) for ${d.formula as string}`);
        continue;
      }
      // parameters: the code's names with their defaults / initial values
      const want = JSON.stringify(Object.entries(d.params).sort());
      const got = JSON.stringify(Object.entries(m.params).sort());
      if (want !== got) t.wrong.push(`${d.name}: params ${got}, want ${want}`);
      check(`${d.name} → ${m.expression}`, m.expression, m.params, d.points, t, d.formula as string);
    }
    report('code definitions', acts.length, t);
  });

  it('look-alikes get no match', () => {
    const wrong: string[] = [];
    for (const d of lookalikes) {
      const m = explain(d);
      if (m && m.kind === 'expression') wrong.push(`${d.name}: matched as ${m.expression ?? '?'}`);
    }
    assert.deepEqual(wrong, [], `${wrong.length} of ${lookalikes.length} look-alikes matched`);
  });
});
