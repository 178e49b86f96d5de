// A custom expression as the activation of a training spec: validated when the spec is
// parsed (errors name the column or the parameter), compiled into a kernel, and trained with
// the same arithmetic as the catalog entry it equals.
import * as assert from 'node:assert/strict';
import { parseTrainingSpec, SpecError } from '../../src/engine/train/spec';
import { trainSpec } from '../../src/engine/train/trainer';

function spec(activation: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    task: 'binary',
    data: { kind: 'xor', n: 200, noise: 0.1 },
    sizes: [2, 8, 8, 1],
    activation,
    init: 'xavier_uniform',
    optimizer: { kind: 'adam', lr: 0.01 },
    batch_size: 16,
    steps: 60,
    seed: 3,
    precision: 'float64',
    ...extra,
  };
}

describe('training with a custom expression as the activation', () => {
  it('x * sigmoid(x) trains exactly like the built-in silu (float64, same losses to 1e-12)', () => {
    const a = trainSpec(parseTrainingSpec(spec('silu')));
    const b = trainSpec(parseTrainingSpec(spec({ expr: 'x * sigmoid(x)' })));
    assert.equal(a.loss_per_step.length, b.loss_per_step.length);
    a.loss_per_step.forEach((l, i) => assert.ok(Math.abs(l - (b.loss_per_step[i] as number)) <= 1e-12 * Math.max(1, l), `step ${i}: ${l} vs ${b.loss_per_step[i]}`));
    assert.ok(Math.abs(a.final_loss - b.final_loss) <= 1e-12);
  });

  it('parameters bind: x * sigmoid(beta * x) with beta 1.5 equals TensorFlow silu(beta=1.5)', () => {
    const a = trainSpec(parseTrainingSpec(spec({ name: 'silu', framework: 'tf', params: { beta: 1.5 } })));
    const b = trainSpec(parseTrainingSpec(spec({ expr: 'x * sigmoid(beta * x)', params: { beta: 1.5 } })));
    a.loss_per_step.forEach((l, i) => assert.ok(Math.abs(l - (b.loss_per_step[i] as number)) <= 1e-12 * Math.max(1, l), `step ${i}`));
  });

  it('float32 training with an expression follows the float64 one closely', () => {
    const a = trainSpec(parseTrainingSpec(spec({ expr: 'x * tanh(log(1 + exp(x)))' })));
    const b = trainSpec(parseTrainingSpec(spec({ expr: 'x * tanh(log(1 + exp(x)))' }, { precision: 'float32' })));
    assert.ok(Number.isFinite(b.final_loss));
    assert.ok(Math.abs(a.final_loss - b.final_loss) <= 1e-3, `${a.final_loss} vs ${b.final_loss}`);
    const mish = trainSpec(parseTrainingSpec(spec('mish')));
    assert.ok(Math.abs(a.final_loss - mish.final_loss) <= 1e-10, 'mish written out equals the catalog mish');
  });

  it('parsing is idempotent and per-layer lists may mix names and expressions', () => {
    const p = parseTrainingSpec(spec(['relu', { expr: 'x * sigmoid(1.702 * x)' }]));
    assert.equal(p.activations[1]?.expr, 'x * sigmoid(1.702 * x)');
    const q = parseTrainingSpec(p as unknown as Record<string, unknown>);
    assert.deepEqual(q.activations, p.activations);
    assert.ok(Number.isFinite(trainSpec(q).final_loss));
  });

  for (const [activation, pattern] of [
    [{ expr: 'x * (sigmoid(x)' }, /activation\.expr: expected '\)' but found the end of the expression at column 16/],
    [{ expr: 'x * sigmoid(beta * x)' }, /activation\.expr uses "beta" but activation\.params gives no value/],
    [{ expr: 'x * sigmoid(beta * x)', params: { beta: 1, gamma: 2 } }, /activation\.params\.gamma: the expression has no parameter "gamma" \(its parameters: beta\)/],
    [{ expr: 'x * sigmoid(beta * x)', params: { beta: 'big' } }, /activation\.params\.beta must be a finite number/],
    [{ expr: '' }, /activation\.expr must be an expression in x/],
  ] as const) {
    it(`rejects ${JSON.stringify(activation)} with one clear sentence`, () => {
      assert.throws(() => parseTrainingSpec(spec(activation)), (e: unknown) => e instanceof SpecError && pattern.test((e as Error).message));
    });
  }
});
