// docs/precision-tables.md is what the engine computes now (regenerated in memory), and the
// sweep reports the effects the tables exist for, checked against independent arithmetic.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDef } from '../../src/engine/activations/registry';
import type { ElementwiseDef } from '../../src/engine/activations/types';
import { finiteValues, precisionTablesMarkdown, sweep } from '../../src/engine/precision/tables';

describe('precision tables', function () {
  this.timeout(0); // a sweep of 2 × 65,536 inputs through every activation

  it('docs/precision-tables.md is current (regenerate: npx tsx scripts/gen-precision-tables.ts)', () => {
    const file = readFileSync(join(__dirname, '..', '..', 'docs', 'precision-tables.md'), 'utf8');
    assert.equal(file, precisionTablesMarkdown());
  });

  it('finds the float16 overflow of exp and the bfloat16 dead gradient of sigmoid', () => {
    const def = (id: string): ElementwiseDef => getDef(id) as ElementwiseDef;
    const exp16 = sweep(def('exponential'), 'float16');
    // the smallest float16 x with e^x ≥ 65520 (the first value that rounds to ∞)
    const xs = finiteValues('float16');
    const first = xs.find((x) => x >= 0 && Math.fround(Math.exp(x)) >= 65520);
    assert.equal(exp16.overflowAbove, first);
    assert.equal(exp16.overflowAbove, 11.09375);
    const sig = sweep(def('sigmoid'), 'bfloat16');
    // f′ = (1 − y)·y is 0 exactly where y = σ(x) rounds to 1 in bfloat16: σ(x) ≥ 1 − 2^−9
    const bx = finiteValues('bfloat16');
    const firstOne = bx.find((x) => x > 0 && 1 / (1 + Math.exp(-x)) >= 1 - 2 ** -9);
    const last = sig.zeroGrad[sig.zeroGrad.length - 1];
    assert.ok(last);
    assert.equal(last[0], firstOne);
  });
});
