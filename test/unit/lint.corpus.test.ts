// The lint corpus: test/fixtures/lint/{pos,neg}/*. Every line that should get a finding ends
// with `# expect: AI00N` (`// expect:` in JS/TS; several codes separated by spaces); every
// other line must stay silent. Precision and recall are counted per (file, line, code).
import * as assert from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { lintFile, lintCells } from '../../src/code/lint';
import { parseNotebook } from '../../src/code/notebook';

/** Rule exceptions fail the test instead of being reported as no findings. */
const STRICT = { onRuleError: (e: unknown): never => { throw e; } };

const ROOT = join(__dirname, '..', 'fixtures', 'lint');
const EXPECT = /(?:#|\/\/) expect: ((?:AI\d{3}\s*)+)/;

interface Key {
  file: string;
  line: number;
  code: string;
}
const keyOf = (k: Key): string => `${k.file}:${k.line}:${k.code}`;

function expected(file: string, text: string): Set<string> {
  const out = new Set<string>();
  text.split('\n').forEach((l, i) => {
    const m = EXPECT.exec(l);
    if (m) for (const code of (m[1] as string).trim().split(/\s+/)) out.add(keyOf({ file, line: i, code }));
  });
  return out;
}

/** Findings (not editor-only hints) keyed by their start line; notebooks: line in the cell. */
function actual(file: string, text: string): { keys: Set<string>; expect: Set<string> } {
  if (file.endsWith('.ipynb')) {
    const nb = parseNotebook(text);
    const keys = new Set<string>();
    const exp = new Set<string>();
    nb.cells.forEach((c, ci) => {
      for (const k of expected(`${file}#${ci}`, c.source)) exp.add(k);
    });
    for (const { cell, finding } of lintCells(nb.cells.map((c) => c.source), STRICT)) {
      if (finding.severity === 'hint') continue;
      const line = (nb.cells[cell]?.source ?? '').slice(0, finding.start).split('\n').length - 1;
      keys.add(keyOf({ file: `${file}#${cell}`, line, code: finding.code }));
    }
    return { keys, expect: exp };
  }
  const found = lintFile(file, text, STRICT) ?? [];
  return { keys: new Set(found.filter((f) => f.severity !== 'hint').map((f) => keyOf({ file, line: f.line, code: f.code }))), expect: expected(file, text) };
}

const files = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => /\.(py|ipynb|js|ts)$/.test(f)).map((f) => join(dir, f));

describe('lint corpus', () => {
  const pos = files('pos');
  const neg = files('neg');
  let tp = 0;
  let fp = 0;
  let fn = 0;

  it('has at least 100 snippets, positives and negatives', () => {
    assert.ok(pos.length >= 50 && neg.length >= 40, `${pos.length} positive, ${neg.length} negative`);
    assert.ok(pos.length + neg.length >= 100);
  });

  for (const f of [...pos, ...neg]) {
    it(f, () => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      const { keys, expect } = actual(f, text);
      if (f.startsWith('pos')) assert.ok(expect.size > 0, `${f} has no "expect:" marker`);
      else assert.strictEqual(expect.size, 0, `${f} is a negative but has markers`);
      const missing = [...expect].filter((k) => !keys.has(k));
      const extra = [...keys].filter((k) => !expect.has(k));
      tp += expect.size - missing.length;
      fn += missing.length;
      fp += extra.length;
      assert.deepStrictEqual({ missing, extra }, { missing: [], extra: [] });
    });
  }

  after(() => {
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    console.log(`      corpus: ${pos.length} positive + ${neg.length} negative files; ${tp} true, ${fp} false positive, ${fn} missed findings; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
  });
});
