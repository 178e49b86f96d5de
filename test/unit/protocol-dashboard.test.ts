// Host-side numbers the dashboard shows beyond the worker's snapshots: the decision surface
// from a run's final parameters (orientation checked against the data) and full-batch
// gradient norms (checked against the trainer's own step-0 norms).
import * as assert from 'assert';
import { Trainer } from '../../src/engine/train/trainer';
import { computeBoundary, fullBatchGradNorms } from '../../src/engine/train/boundary';
import { parseTrainingSpec } from '../../src/engine/train/spec';

function paramsOf(t: Trainer): number[][] {
  return t.model.tensors.map((tn) => Array.from(t.model.params.subarray(tn.offset, tn.offset + tn.length)));
}

describe('dashboard host computations', () => {
  it('full-batch gradient norms equal the trainer’s step-0 weight-gradient norms', () => {
    for (const [activation, task, sizes, data] of [
      ['tanh', 'multiclass', [2, 8, 8, 3], { kind: 'spiral', n: 60, classes: 3 }],
      ['relu', 'binary', [2, 16, 1], { kind: 'circle', n: 50 }],
      ['sigmoid', 'regression', [1, 6, 6, 1], { kind: 'sine', n: 40 }],
    ] as const) {
      const spec = parseTrainingSpec({ task, sizes, data, activation, optimizer: { kind: 'sgd', lr: 0.1 }, steps: 1, seed: 3, init: 'xavier_uniform' });
      const t = new Trainer(spec);
      const p0 = paramsOf(t);
      t.run();
      const want = t.result().weight_grad_norm_step0;
      const got = fullBatchGradNorms(spec, p0);
      assert.ok(got, activation);
      got.forEach((g, i) => assert.ok(Math.abs(g - (want[i] as number)) <= 1e-12 * Math.max(1, Math.abs(g)), `${activation} layer ${i}: ${g} vs ${want[i]}`));
    }
  });

  it('the decision surface is oriented like the data: cells under the points predict their labels', () => {
    const spec = parseTrainingSpec({ task: 'binary', sizes: [2, 16, 16, 1], data: { kind: 'xor', n: 200, noise: 0.05 }, activation: 'tanh', optimizer: { kind: 'adam', lr: 0.02 }, steps: 800, seed: 1, batch_size: 32 });
    const t = new Trainer(spec);
    t.run();
    const res = t.result();
    const b = computeBoundary(spec, res.final_params_flat);
    assert.ok(b && b.kind === '2d');
    assert.strictEqual(b.values.length, b.nx * b.ny);
    assert.ok(b.values.every((v) => v >= 0 && v <= 1), 'probabilities');
    // read the cell under each data point (row-major, y outer, y ascending)
    let agree = 0;
    for (let k = 0; k < b.px.length; k++) {
      const i = Math.min(b.nx - 1, Math.floor(((b.px[k] as number) - b.xmin) / (b.xmax - b.xmin) * b.nx));
      const j = Math.min(b.ny - 1, Math.floor(((b.py[k] as number) - b.ymin) / (b.ymax - b.ymin) * b.ny));
      if (((b.values[j * b.nx + i] as number) >= 0.5 ? 1 : 0) === b.plabel[k]) agree++;
    }
    const acc = agree / b.px.length;
    assert.ok(res.final_accuracy !== null && res.final_accuracy > 0.9, `trained to ${res.final_accuracy}`);
    // grid cells are coarser than the data: allow a few points near the boundary to differ
    assert.ok(Math.abs(acc - res.final_accuracy) < 0.08, `grid agrees on ${acc}, the model's accuracy is ${res.final_accuracy}`);
  });

  it('1-D regression gives the fitted curve over the data range', () => {
    const spec = parseTrainingSpec({ task: 'regression', sizes: [1, 16, 1], data: { kind: 'sine', n: 80 }, activation: 'tanh', optimizer: { kind: 'adam', lr: 0.02 }, steps: 600, seed: 2 });
    const t = new Trainer(spec);
    t.run();
    const b = computeBoundary(spec, t.result().final_params_flat);
    assert.ok(b && b.kind === '1d');
    assert.strictEqual(b.values.length, b.nx);
    // the curve passes near the targets: mean |ŷ(x) − y| over the data, from the nearest sample
    let err = 0;
    for (let k = 0; k < b.px.length; k++) {
      const i = Math.round(((b.px[k] as number) - b.xmin) / (b.xmax - b.xmin) * (b.nx - 1));
      err += Math.abs((b.values[i] as number) - (b.py[k] as number));
    }
    assert.ok(err / b.px.length < 0.25, `mean error ${err / b.px.length}`);
  });
});
