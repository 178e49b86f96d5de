// Hovers checked in the stop-19 sweep of public code (docs/lint-precision.md): keras.ops.gelu
// (and keras.ops.nn.gelu, as Keras-based libraries write `ops.nn.gelu(x)`) defaults to the tanh
// approximation, while keras.activations.gelu and activation="gelu" default to the exact form.
// Stand-in snippets written for this project.
import * as assert from 'node:assert/strict';
import { explainText } from '../../src/cli/explain';
import { describeEntry } from '../../src/cli/describe';
import { getEntry } from '../../src/engine/activations/registry';

const SRC = [
  'import keras',
  'from keras import ops',
  'a = ops.nn.gelu(x)',
  'b = keras.ops.gelu(x)',
  'c = ops.gelu(x, approximate=False)',
  'd = keras.activations.gelu(x)',
  'layer = keras.layers.Dense(4, activation="gelu")',
  '',
].join('\n');

/** The resolved `approximate` of the activation at the first column of `needle` on 1-based `line`. */
function approximateAt(line: number, needle: string): unknown {
  const col = (SRC.split('\n')[line - 1] as string).indexOf(needle) + 1;
  const out = explainText(SRC, 'snippet.py', line, col) as { match: null | { id: string; framework: string; params: Record<string, unknown> } };
  assert.ok(out.match, `no activation at line ${line}`);
  assert.equal(out.match.id, 'gelu');
  assert.equal(out.match.framework, 'keras');
  return out.match.params.approximate;
}

describe('explain: Keras GELU defaults by where it is called from', () => {
  it('keras.ops.gelu and keras.ops.nn.gelu: approximate=True by default', () => {
    assert.equal(approximateAt(3, 'gelu'), true);
    assert.equal(approximateAt(4, 'gelu'), true);
  });
  it('an explicit approximate=False is kept', () => {
    assert.equal(approximateAt(5, 'gelu'), false);
  });
  it('keras.activations.gelu and activation="gelu": exact', () => {
    assert.equal(approximateAt(6, 'gelu'), false);
    assert.equal(approximateAt(7, 'gelu"'), false);
  });
  it('show ops.gelu --framework keras prints the tanh form, show gelu the exact one', () => {
    const entry = getEntry('gelu');
    assert.ok(entry);
    const formula = (name: string): string => describeEntry(entry, 'keras', name).split('\n').find((l) => l.startsWith('  f(x)')) ?? '';
    assert.match(formula('ops.gelu'), /tanh/);
    assert.match(formula('gelu'), /erf/);
  });
});
