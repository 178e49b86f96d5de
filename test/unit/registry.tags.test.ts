// The registry's tags are the one list of activation families: lint's ReLU family and
// saturating set and the hover's demo links all read them.
import * as assert from 'node:assert/strict';
import { allEntries, demoFor, idsWhere, tagsOf } from '../../src/engine/activations/registry';
import { RELU_FAMILY } from '../../src/code/lint/rules/stack';
import { DEMO_TITLES } from '../../src/engine/activations/types';

describe('registry tags', () => {
  it('the ReLU family and the saturating activations are read from the definitions', () => {
    assert.deepEqual([...RELU_FAMILY].sort(), ['leaky_relu', 'prelu', 'relu', 'relu6', 'rrelu']);
    assert.deepEqual([...idsWhere((t) => t.saturating === true)].sort(), ['hardsigmoid', 'hardtanh', 'log_sigmoid', 'sigmoid', 'softsign', 'tanh']);
  });

  it('every saturating activation links to the vanishing-gradients demo, the ReLU family to dying ReLU, others to sparsity', () => {
    for (const e of allEntries()) {
      const t = tagsOf(e.def.id);
      const want = t.saturating ? 'vanishing-gradients' : t.family ? 'dying-relu' : 'sparsity';
      assert.equal(demoFor(e.def.id).id, want, e.def.id);
      assert.equal(demoFor(e.def.id).title, DEMO_TITLES[want]);
    }
  });

  it('an unknown id has no tags and the default demo', () => {
    assert.deepEqual(tagsOf('no_such_activation'), {});
    assert.equal(demoFor('no_such_activation').id, 'sparsity');
  });
});
