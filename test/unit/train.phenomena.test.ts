// The seeds' claims, shown in the numbers: dying ReLUs at high learning rates (Leaky ReLU
// immune), vanishing gradients in deep sigmoid stacks, symmetry that zero/constant
// initialisation never breaks; plus divergence reporting and experiments.
import * as assert from 'node:assert/strict';
import { Trainer, trainSpec } from '../../src/engine/train/trainer';
import { parseTrainingSpec } from '../../src/engine/train/spec';

function circleSpec(activation: string, lr: number, seed: number): unknown {
  return { task: 'binary', data: { kind: 'circle', n: 200 }, sizes: [2, 16, 16, 1], activation, optimizer: { kind: 'sgd', lr }, steps: 100, seed };
}
const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
const SEEDS = [1, 2, 3, 4, 5, 6];

describe('phenomena', () => {
  it('at a high learning rate ReLU layers die; Leaky ReLU layers do not', () => {
    const dead = (act: string, lr: number): number[] => SEEDS.flatMap((s) => trainSpec(parseTrainingSpec(circleSpec(act, lr, s))).final_dead_fraction_per_hidden_layer);
    const reluHigh = mean(dead('relu', 5));
    const reluLow = mean(dead('relu', 0.05));
    const leakyHigh = dead('leaky_relu', 5);
    assert.ok(reluHigh >= 0.5, `ReLU at lr 5: mean dead fraction ${reluHigh}`);
    assert.ok(reluHigh >= 3 * reluLow, `ReLU dead fraction ${reluHigh} at lr 5 vs ${reluLow} at lr 0.05`);
    assert.deepEqual(leakyHigh, leakyHigh.map(() => 0));
  });

  it("a 10-layer sigmoid net's first-layer gradient is orders of magnitude below its last layer's", () => {
    const spec = parseTrainingSpec({ task: 'binary', data: { kind: 'xor', n: 128 }, sizes: [2, ...Array(10).fill(16), 1], activation: 'sigmoid', optimizer: { kind: 'sgd', lr: 0.1 }, steps: 1, seed: 3 });
    const norms = trainSpec(spec).weight_grad_norm_step0;
    assert.equal(norms.length, 11);
    const first = norms[0] as number, last = norms[10] as number;
    assert.ok(first > 0 && first < last / 1000, `first ${first}, last ${last}`);
    // and it shrinks layer by layer toward the input
    for (let l = 1; l < 10; l++) assert.ok((norms[l - 1] as number) < (norms[l] as number), `layer ${l - 1} ≥ layer ${l}`);
  });

  for (const [name, init, activation] of [
    ['zero init (sigmoid)', { scheme: 'zeros' }, 'sigmoid'],
    ['constant init (relu)', { scheme: 'constant', value: 0.3, bias: { scheme: 'constant', value: 0.1 } }, 'relu'],
  ] as const) {
    it(`${name} leaves every unit of a layer identical after training`, () => {
      // |x| has a non-zero mean target, so even an all-zero network gets a gradient at its output
      const t = new Trainer(parseTrainingSpec({ task: 'regression', data: { kind: 'abs', n: 100 }, sizes: [1, 6, 5, 1], activation, init, optimizer: { kind: 'sgd', lr: 0.2, momentum: 0.9 }, steps: 50, seed: 2 }));
      t.run();
      for (const L of t.model.layers.slice(0, -1)) {
        const row0 = Array.from(L.W.subarray(0, L.nIn));
        for (let o = 1; o < L.nOut; o++) assert.deepEqual(Array.from(L.W.subarray(o * L.nIn, (o + 1) * L.nIn)), row0, `layer ${L.index} unit ${o}`);
        assert.ok(new Set(L.b).size === 1);
      }
      // the weights did move (the symmetry is kept, not the values frozen), and the loss went down
      const r = t.result();
      const W1 = r.final_params_flat[2] as number[];
      assert.ok(W1.some((w) => w !== (init.scheme === 'zeros' ? 0 : 0.3)), 'second-layer weights never changed');
      assert.ok((r.loss_per_step[49] as number) < (r.loss_per_step[0] as number));
    });
  }

  it('divergence stops the run with a plain-language reason and the step', () => {
    const spec = parseTrainingSpec({ task: 'regression', data: { kind: 'sine', n: 64 }, sizes: [1, 32, 32, 1], activation: 'relu', optimizer: { kind: 'sgd', lr: 50 }, steps: 500, seed: 1 });
    const r = trainSpec(spec);
    assert.ok(r.diverged, 'expected divergence');
    const d = r.diverged;
    assert.ok(d.step > 0 && d.step < 500);
    assert.equal(r.loss_per_step.length, d.step + 1);
    assert.ok(!Number.isFinite(r.loss_per_step[d.step] as number));
    assert.ok(r.loss_per_step.slice(0, d.step).every(Number.isFinite));
    assert.match(d.reason, new RegExp(`diverged at step ${d.step}: the loss became (NaN|Infinity).*lower learning rate`));
  });
});
