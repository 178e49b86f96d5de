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

// Root modules hold a few activations among many other functions (`torch.relu_`,
// `tf.math.softsign`): they resolve through the paths the catalog's bindings list, and
// nothing else in those modules does.
describe('activations in root modules resolve through the catalog', () => {
  const cases: [string, string, string][] = [
    ['torch.relu_(h)', 'torch', 'relu'],
    ['torch.sigmoid_(h)', 'torch', 'sigmoid'],
    ['torch.tanh_(h)', 'torch', 'tanh'],
    ['torch.selu_(h)', 'torch', 'selu'],
    ['torch.celu_(h)', 'torch', 'celu'],
    ['torch.rrelu_(h)', 'torch', 'rrelu'],
    ['torch.prelu(h, w)', 'torch', 'prelu'],
    ['torch.hardshrink(h)', 'torch', 'hardshrink'],
    ['torch.threshold(h, 0.1, 0.0)', 'torch', 'threshold'],
    ['torch.threshold_(h, 0.1, 0.0)', 'torch', 'threshold'],
    ['torch.special.expit(h)', 'torch', 'sigmoid'],
    ['torch.special.softmax(h, 1)', 'torch', 'softmax'],
    ['torch.special.log_softmax(h, 1)', 'torch', 'log_softmax'],
    ['tf.math.softsign(h)', 'tf', 'softsign'],
    ['tf.math.softplus(h)', 'tf', 'softplus'],
    ['tf.sigmoid(h)', 'tf', 'sigmoid'],
    ['jnp.tanh(h)', 'jax', 'tanh'],
  ];
  const imports = 'import torch\nimport tensorflow as tf\nimport jax.numpy as jnp\n';
  for (const [call, fw, id] of cases) {
    it(`${call} → ${fw} ${id}`, () => {
      const code = `${imports}y = ${call}\n`;
      const r = matchAt(indexText(code, 'python'), code.indexOf(call) + call.indexOf('(') - 1);
      assert.ok(r, 'no match');
      assert.equal(r.match.framework, fw);
      assert.equal(r.match.binding.id, id);
    });
  }
  for (const call of ['torch.exp(h)', 'torch.special.erf(h)', 'tf.math.exp(h)', 'jnp.exp(h)', 'torch.clamp_(h, 0)']) {
    it(`${call} → no activation`, () => {
      const code = `${imports}y = ${call}\n`;
      assert.equal(matchAt(indexText(code, 'python'), code.indexOf(call) + call.indexOf('(') - 1), null);
    });
  }
});
