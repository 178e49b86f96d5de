// Custom activations in the shapes real code defines them (test/fixtures/custom-activations:
// stand-ins written for these tests, each modelled on a definition in a public repository, its
// origin in cases.json and MANIFEST.md): every definition is recognised with the expected formula —
// compared numerically, the recognised --expr text and the expected one both parsed by the
// symbolic core and evaluated on a grid — with its parameters, on its definition and on
// each use in the file, and relates to the catalog as expected. Every look-alike (attention,
// losses, loaders, backward functions, softmax…) gets no match.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lineStarts } from '../../src/code/api';
import { customAt, rejectionAt } from '../../src/code/custom/index';
import { catalogRelation, relationText } from '../../src/code/custom/relation';
import { compileScalar, parseExpr } from '../../src/engine/symbolic';

const DIR = join(__dirname, '../fixtures/custom-activations');

interface Relation {
  kind: 'identical' | 'approximates' | 'none';
  to?: string;
  maxAbsDiff?: number;
  params?: Record<string, number | boolean>;
  conventions?: Record<string, string>;
}
interface ActCase {
  file: string;
  name: string;
  line: number;
  column: number;
  uses: { line: number; column: number }[];
  expression: string;
  params: Record<string, number>;
  relation: Relation;
}
interface LookCase {
  file: string;
  name: string;
  line: number;
  column: number;
  why: string;
}

const cases = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as { activations: ActCase[]; lookalikes: LookCase[] };
const texts = new Map<string, string>();
const textOf = (f: string): string => {
  let t = texts.get(f);
  if (t === undefined) {
    t = readFileSync(join(DIR, f), 'utf8');
    texts.set(f, t);
  }
  return t;
};
const langOf = (f: string): 'python' | 'js' => (f.endsWith('.ts') || f.endsWith('.js') ? 'js' : 'python');
const offsetOf = (text: string, line: number, column: number): number => (lineStarts(text)[line - 1] as number) + column;

/** max |f − g| relative to max(1, |g|) over a grid on [−8, 8] and a few far points. */
function maxRelDiff(got: string, want: string, params: Record<string, number>): number {
  const f = compileScalar(parseExpr(got), params, 'closure');
  const g = compileScalar(parseExpr(want), params, 'closure');
  let worst = 0;
  const xs: number[] = [-40, -15, 15, 40];
  for (let i = 0; i <= 640; i++) xs.push(-8 + i * 0.025);
  for (const x of xs) {
    const a = f(x);
    const b = g(x);
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(b)));
  }
  return worst;
}

describe('custom activations: the corpus modelled on public repositories', () => {
  it('has at least 60 activations and 20 look-alikes', () => {
    assert.ok(cases.activations.length >= 60, `${cases.activations.length} activations`);
    assert.ok(cases.lookalikes.length >= 20, `${cases.lookalikes.length} look-alikes`);
  });

  for (const c of cases.activations) {
    const where = `${c.file.replace(/^standins\//, '')} ${c.name} (line ${c.line})`;
    describe(where, () => {
      const text = textOf(c.file);
      const lang = langOf(c.file);
      const at = offsetOf(text, c.line, c.column);

      it(`is recognised as ${c.expression}`, () => {
        const m = customAt(text, lang, at);
        assert.ok(m, `not recognised: ${rejectionAt(text, lang, at)}`);
        assert.equal(m.at, 'definition');
        assert.equal(m.name, c.name);
        assert.deepEqual(Object.keys(m.params).sort(), Object.keys(c.params).sort(), `parameters of ${m.expression}`);
        for (const [k, v] of Object.entries(c.params)) assert.ok(Math.abs((m.params[k] as number) - v) <= 1e-15 * Math.max(1, Math.abs(v)), `${k} = ${m.params[k]}, want ${v}`);
        const d = maxRelDiff(m.expression, c.expression, c.params);
        assert.ok(d <= 1e-12, `${m.expression} differs from ${c.expression} by ${d}`);
      });

      if (c.uses.length) {
        it(`is recognised on its ${c.uses.length} use(s) in the file`, () => {
          const def = customAt(text, lang, at);
          for (const u of c.uses) {
            const m = customAt(text, lang, offsetOf(text, u.line, u.column));
            assert.ok(m, `no match at the use on line ${u.line}`);
            assert.equal(m.at, 'use');
            assert.equal(m.expression, def?.expression, `use on line ${u.line}`);
            assert.equal(m.defStart, def?.defStart);
          }
        });
      }

      const e = c.relation;
      const label = e.kind === 'none' ? 'relates to no catalog activation' : `${e.kind === 'identical' ? 'is identical to' : 'approximates'} ${e.to}`;
      it(label, () => {
        const m = customAt(text, lang, at);
        assert.ok(m);
        const r = catalogRelation(m.expr, m.params, m.expression, m.name);
        const text1 = relationText(r);
        assert.equal(r.kind, e.kind, text1);
        if (e.kind === 'none') return;
        assert.equal(r.id, e.to, text1);
        assert.deepEqual(r.params ?? {}, e.params ?? {}, text1);
        assert.deepEqual(r.conventions ?? {}, e.conventions ?? {}, text1);
        if (e.kind === 'approximates') {
          assert.ok(Math.abs((r.maxAbsDiff as number) - (e.maxAbsDiff as number)) <= 0.01 * (e.maxAbsDiff as number), `${text1}, want max |Δ| ${e.maxAbsDiff}`);
        }
      });
    });
  }

  describe('look-alikes get no match', () => {
    for (const c of cases.lookalikes) {
      it(`${c.file.replace(/^standins\//, '')} ${c.name}: ${c.why}`, () => {
        const text = textOf(c.file);
        const m = customAt(text, langOf(c.file), offsetOf(text, c.line, c.column));
        assert.equal(m, null, m ? `recognised as ${m.expression}` : '');
      });
    }
  });
});
