// The scanner over a corpus of snippets written the way projects write them: for each,
// the framework, function, parameters and the range the hover covers — or no match.
import * as assert from 'node:assert/strict';
import { indexText, matchAt } from '../../src/code/api';
import type { ResolvedMatch } from '../../src/code/resolveMatch';
import { SNIPPETS, type Snippet } from '../fixtures/code/snippets';

const CURSOR = '‸';

function run(s: Snippet): ResolvedMatch | null {
  const offset = s.code.indexOf(CURSOR);
  assert.ok(offset >= 0, `${s.name}: no cursor marker`);
  const code = s.code.slice(0, offset) + s.code.slice(offset + 1);
  const ix = indexText(code, s.lang);
  const r = matchAt(ix, offset);
  if (r) {
    // The range must cover the cursor (or end right at it).
    assert.ok(r.match.start <= offset && offset <= r.match.end, `${s.name}: range ${r.match.start}-${r.match.end} misses the cursor ${offset}`);
  }
  return r;
}

describe('scanner corpus', () => {
  it('has at least 150 snippets, at least 40 of them negative', () => {
    assert.ok(SNIPPETS.length >= 150, `only ${SNIPPETS.length}`);
    assert.ok(SNIPPETS.filter((s) => s.expect === null).length >= 40);
    assert.equal(new Set(SNIPPETS.map((s) => s.name)).size, SNIPPETS.length, 'snippet names must be unique');
  });

  for (const s of SNIPPETS) {
    it(`${s.expect ? '✓' : '✗'} ${s.name}`, () => {
      const r = run(s);
      const code = s.code.replace(CURSOR, '');
      if (!s.expect) {
        assert.equal(r, null, `expected no match, got ${r ? `${r.match.framework} ${r.match.fn} (${code.slice(r.match.start, r.match.end)})` : ''}`);
        return;
      }
      assert.ok(r, 'expected a match, got none');
      const e = s.expect;
      assert.equal(r.match.framework, e.framework, 'framework');
      assert.equal(r.match.fn, e.fn, 'fn');
      assert.equal(r.match.binding.id, e.id, 'canonical id');
      assert.equal(r.error, undefined, `unexpected resolution error: ${r.error}`);
      if (e.kind) assert.equal(r.match.kind, e.kind, 'kind');
      if (e.range) assert.equal(code.slice(r.match.start, r.match.end), e.range, 'range text');
      for (const [k, v] of Object.entries(e.params ?? {})) {
        const got: unknown = r.params[k];
        if (typeof v === 'number' && typeof got === 'number') assert.ok(Math.abs(got - v) < 1e-12, `param ${k}: ${got} ≠ ${v}`);
        else assert.deepEqual(got, v, `param ${k}`);
      }
    });
  }
});
