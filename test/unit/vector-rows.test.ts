// The row-by-row Jacobian (vectorEval) that lets eval stream large inputs: the same numbers,
// bitwise, as the full Jacobian of `apply`, and a diagonal that is the Jacobian's diagonal.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { getDef } from '../../src/engine/activations/registry';
import { vectorEval } from '../../src/engine/activations/defs/vector';
import type { VectorDef } from '../../src/engine/activations/types';

const IDS = ['softmax', 'log_softmax', 'softmin', 'glu', 'sparsemax'];
const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

describe('vector functions: Jacobian row by row', () => {
  for (const id of IDS) {
    it(`${id}: rows and diagonal equal apply's full Jacobian bitwise`, () => {
      const def = getDef(id) as VectorDef;
      const value = fc.oneof(fc.double({ min: -50, max: 50, noNaN: true }), fc.constantFrom(Infinity, -Infinity, NaN, 0, -0));
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 12 }), (arr) => {
          const xs = id === 'glu' && arr.length % 2 ? [...arr, 1] : arr;
          const x = Float64Array.from(xs);
          const full = def.apply(x, { dim: '-1' }, {});
          const e = vectorEval(id, x);
          assert.equal(e.y.length, full.y.length);
          for (let i = 0; i < e.y.length; i++) assert.ok(same(e.y[i] as number, full.y[i] as number));
          const row = new Float64Array(e.cols);
          for (let i = 0; i < e.y.length; i++) {
            row.fill(7); // every entry must be written
            e.row(i, row);
            const want = full.jacobian[i] as Float64Array;
            for (let j = 0; j < e.cols; j++) assert.ok(same(row[j] as number, want[j] as number), `${id} J[${i}][${j}]`);
            assert.ok(same(e.diag(i), want[i] as number), `${id} diag ${i}`);
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it('a 10⁶-entry input needs O(n) memory: values and diagonal without the n² matrix', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.sin(i);
    const e = vectorEval('softmax', x);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += e.y[i] as number;
    assert.ok(Math.abs(sum - 1) < 1e-9);
    const s0 = e.y[0] as number;
    assert.equal(e.diag(0), s0 * (1 - s0));
  });
});
