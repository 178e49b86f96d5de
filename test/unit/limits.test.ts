// Resource estimates: exact byte arithmetic buffer by buffer, the refusal lines, and the
// unit parsers. Everything here is pure arithmetic: no training is allocated.
import { strict as assert } from 'node:assert';
import {
  DEFAULT_LIMITS,
  JSON_BYTES_PER_NUMBER,
  checkEvalOutput,
  checkJacobian,
  checkTraining,
  formatBytes,
  formatCount,
  optimizerCopies,
  parameterCounts,
  parseByteSize,
  parseCount,
  trainingMemory,
  trainingOutputBytes,
  trainingWork,
  type TrainingShape,
} from '../../src/engine/limits';
import { Trainer } from '../../src/engine/train/trainer';
import { parseTrainingSpec } from '../../src/engine/train/spec';

const base: TrainingShape = {
  sizes: [2, 3, 1],
  optimizer: { kind: 'sgd' },
  precision: 'float64',
  steps: 10,
  trainRows: 4,
  testRows: 0,
  batchRows: 4,
  norm: 'none',
  dropout: [],
  outputActivation: false,
  targetColumns: 1,
};

describe('limits: resource estimates', () => {
  it('counts parameters as torch does (weights, biases, norm γ and β on hidden layers)', () => {
    assert.deepEqual(parameterCounts([2, 3, 1]), { weights: 9, params: 13 });
    assert.deepEqual(parameterCounts([2, 3, 1], 'batch'), { weights: 9, params: 19 });
    assert.deepEqual(parameterCounts([2, 30000, 30000, 1]), { weights: 900_090_000, params: 900_150_001 });
  });

  it('optimizer state: Adam keeps 2 copies (3 with amsgrad), SGD momentum 1, plain SGD 0', () => {
    assert.equal(optimizerCopies({ kind: 'sgd' }), 0);
    assert.equal(optimizerCopies({ kind: 'sgd', momentum: 0.9 }), 1);
    assert.equal(optimizerCopies({ kind: 'adam' }), 2);
    assert.equal(optimizerCopies({ kind: 'adamw', amsgrad: true }), 3);
    assert.equal(optimizerCopies({ kind: 'rmsprop' }), 1);
    assert.equal(optimizerCopies({ kind: 'rmsprop', centered: true, momentum: 0.5 }), 3);
  });

  it('memory of a 2-3-1 SGD float64 run, buffer by buffer', () => {
    const m = trainingMemory(base);
    // P = 2·3 + 3 + 3·1 + 1 = 13 parameters, W = 9 weights, capacity = 4 rows
    assert.equal(m.weights, 13 * 8);
    assert.equal(m.gradients, 13 * 8);
    assert.equal(m.optimizer, 0);
    // input 4·2; hidden: z, dz, f, da = 4·(4·3); output (linear): z, dz = 2·(4·1); targets 4·1 float64
    assert.equal(m.activations, (4 * 2 + 4 * 12 + 2 * 4) * 8 + 4 * 8);
    // 4 rows × (2 inputs + 1 target) float64
    assert.equal(m.data, 4 * 3 * 8);
    const out = (10 + 2 * 13 + 4 * 3 + 16) * JSON_BYTES_PER_NUMBER + 1024;
    assert.equal(trainingOutputBytes(base), out);
    // previous weights, step-0 gradients and final parameters (float64), losses twice
    assert.equal(m.history, 9 * 8 + 2 * 13 * 8 + 2 * 10 * 8);
    assert.equal(m.total, m.weights + m.gradients + m.optimizer + m.activations + m.data + m.history);
    // …plus the printed JSON when the CLI prints it
    assert.equal(trainingMemory({ ...base, printsJson: true }).history, m.history + out);
    // a held-out test set: the split copies the rows once more
    assert.equal(trainingMemory({ ...base, trainRows: 3, testRows: 1 }).data, 2 * 4 * 3 * 8);
  });

  it('float32, Adam, batch norm and dropout change exactly the buffers they own', () => {
    const s: TrainingShape = { ...base, precision: 'float32', optimizer: { kind: 'adam' }, norm: 'batch', dropout: [0.5], outputActivation: true };
    const m = trainingMemory(s);
    const P = 19; // 13 + γ, β of the hidden layer
    assert.equal(m.weights, P * 4);
    assert.equal(m.optimizer, 2 * P * 4);
    // hidden: z, dz, xhat, h, dh, f, da, mask, a = 9 buffers of 4·3; output: z, dz, f, da of 4·1
    assert.equal(m.activations, (4 * 2 + 9 * 12 + 4 * 4) * 4 + 4 * 8);
  });

  it('capacity follows the trainer: the batch, or the evaluation chunk for large sets', () => {
    const big: TrainingShape = { ...base, trainRows: 100_000, batchRows: 32 };
    const m = trainingMemory(big);
    // capacity = max(32, min(100000, 4096)) = 4096 rows
    assert.equal(m.activations, (4096 * 2 + 4096 * 12 + 2 * 4096) * 8 + 4096 * 8);
  });

  it('the estimate is not below what a real Trainer allocates (float64 parameters, grads, optimizer)', () => {
    const spec = parseTrainingSpec({
      id: 'm', task: 'binary', loss: 'bce_with_logits', X: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 1, 1, 0],
      sizes: [2, 3, 1], activations: [{ framework: 'torch', name: 'tanh', params: {} }], output_activation: 'linear',
      init: { scheme: 'xavier_uniform' }, optimizer: { kind: 'adam', lr: 0.1 }, steps: 10, seed: 0,
    });
    const t = new Trainer(spec);
    const m = trainingMemory({ ...base, optimizer: { kind: 'adam' } });
    assert.equal(m.weights, t.model.params.byteLength);
    assert.equal(m.gradients, t.model.grads.byteLength);
    let act = t.model.input.byteLength;
    for (const L of t.model.layers) {
      const bufs = new Set([L.z, L.dz, L.f, L.da, L.a, L.h, L.dh, L.xhat, L.mask].filter((b) => b !== null));
      for (const b of bufs) act += (b as Float64Array).byteLength;
    }
    assert.equal(m.activations, act + 4 * 8);
  });

  it('a 2-30000-30000-1 network with Adam is refused, naming the size and the override', () => {
    const s: TrainingShape = { ...base, sizes: [2, 30000, 30000, 1], optimizer: { kind: 'adam' }, trainRows: 200, batchRows: 200, steps: 100 };
    const m = trainingMemory(s);
    const P = 900_150_001;
    assert.equal(m.weights + m.gradients + m.optimizer, 4 * 8 * P); // ≈ 28.8 GB, the "29 GB" of the issue
    const msg = checkTraining(s);
    assert.ok(msg);
    assert.match(msg, /^a 2-30000-30000-1 network with Adam \(float64\) needs about [\d.]+ GiB of memory \(weights 6\.71 GiB, gradients 6\.71 GiB, optimizer state 13\.4 GiB, /);
    assert.match(msg, /the limit is 2 GiB — set --max-memory to override$/);
    assert.ok(!msg.includes('\n'));
    assert.equal(checkTraining(s, { ...DEFAULT_LIMITS, maxMemoryBytes: Infinity, maxOutputBytes: Infinity, maxWork: Infinity }), null);
  });

  it('ten million steps are refused for their output, not run', () => {
    const s: TrainingShape = { ...base, steps: 10_000_000 };
    const msg = checkTraining(s);
    assert.ok(msg);
    assert.match(msg, /^10000000 steps of a 2-3-1 network with SGD \(float64\) print up to 238 MiB of results \(.*\); the limit is 64 MiB — use fewer steps or set --max-output to override$/);
  });

  it('work: steps × 3 × batch × weights + optimizer + overhead + final evaluation', () => {
    assert.equal(trainingWork(base), 10 * (3 * 4 * 9 + 4 * 13 + 2000) + 4 * 9);
    const heavy: TrainingShape = { ...base, sizes: [2, 1000, 1000, 1], steps: 1000, trainRows: 200, batchRows: 200 };
    const msg = checkTraining(heavy);
    assert.ok(msg);
    assert.match(msg, /multiply-adds; the limit is 5e10 — .*--max-work/);
  });

  it('the reference trainings all fit the default limits', () => {
    // sizes up to 2-16-16-3, 60 steps: far inside every limit
    const s: TrainingShape = { ...base, sizes: [2, 16, 16, 3], steps: 60, trainRows: 200, batchRows: 200, targetColumns: 1, optimizer: { kind: 'adam' } };
    assert.equal(checkTraining(s), null);
  });

  it('Jacobians: full is refused above 1000 inputs (1e6 entries), diag and none never', () => {
    assert.equal(checkJacobian(1000, 'full'), null);
    const msg = checkJacobian(1001, 'full');
    assert.ok(msg);
    assert.match(msg, /^a full Jacobian of 1001 inputs has 1\.0e6|1e6/);
    assert.match(msg, /--jacobian diag/);
    assert.equal(checkJacobian(1e7, 'diag'), null);
    assert.equal(checkJacobian(1e7, 'none'), null);
  });

  it('eval output: points × numbers per point × 25 bytes against the output limit', () => {
    const perPoint = 4; // x, y, dy, d2y
    const maxPoints = Math.floor(DEFAULT_LIMITS.maxOutputBytes / (perPoint * JSON_BYTES_PER_NUMBER));
    assert.equal(checkEvalOutput(maxPoints, perPoint), null);
    assert.match(checkEvalOutput(maxPoints + 1, perPoint) ?? '', /points print up to 64 MiB; the limit is 64 MiB — use fewer points or set --max-output/);
  });
});

describe('limits: units', () => {
  it('parses sizes in decimal and binary units', () => {
    assert.equal(parseByteSize('2GiB'), 2 * 1024 ** 3);
    assert.equal(parseByteSize('2 GB'), 2e9);
    assert.equal(parseByteSize('512mib'), 512 * 1024 ** 2);
    assert.equal(parseByteSize('1.5g'), 1.5e9);
    assert.equal(parseByteSize('1e9'), 1e9);
    assert.equal(parseByteSize('100'), 100);
    for (const bad of ['', 'lots', '-1GB', '0', '2 XB', 'Infinity', '1e400', 'NaN']) assert.equal(parseByteSize(bad), undefined, bad);
  });

  it('parses counts', () => {
    assert.equal(parseCount('1e6'), 1e6);
    assert.equal(parseCount('2_000_000'), 2e6);
    for (const bad of ['', '0', '-5', 'inf', '1e400', 'x']) assert.equal(parseCount(bad), undefined, bad);
  });

  it('formats bytes and counts', () => {
    assert.equal(formatBytes(2 * 1024 ** 3), '2 GiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(28.8e9), '26.8 GiB');
    assert.equal(formatBytes(10), '10 bytes');
    assert.equal(formatCount(12345), '12345');
    assert.equal(formatCount(5e10), '5e10');
    assert.equal(formatCount(1.2345e7), '1.23e7');
  });
});

describe('limits: the trainer refuses before allocating', () => {
  const spec = (sizes: number[], extra: Record<string, unknown> = {}): ReturnType<typeof parseTrainingSpec> =>
    parseTrainingSpec({
      id: 'big', task: 'binary', loss: 'bce_with_logits', data: { kind: 'moons', n: 200 }, sizes,
      activations: sizes.slice(2).map(() => ({ framework: 'torch', name: 'relu', params: {} })), output_activation: 'linear',
      init: { scheme: 'kaiming_uniform' }, optimizer: { kind: 'adam', lr: 0.01 }, steps: 100, seed: 0, ...extra,
    });

  it('a 2-100000-100000-1 network is a one-line refusal, not "Invalid typed array length"', () => {
    assert.throws(() => new Trainer(spec([2, 100000, 100000, 1])), (e: Error) => {
      assert.equal(e.name, 'SpecError');
      assert.match(e.message, /^a 2-100000-100000-1 network with Adam \(float64\) needs about [\d.]+ GiB of memory .* the limit is 2 GiB — use a smaller network, batch or data set$/);
      return true;
    });
  });

  it('a generated data set of 10⁹ rows is refused before it is generated', () => {
    assert.throws(() => new Trainer(spec([2, 4, 1], { data: { kind: 'moons', n: 1e9 } })), /data [\d.]+ GiB/);
  });

  it('the limit is settable (limits option), and the hints name the CLI options when asked', () => {
    const s = spec([2, 300, 300, 1]);
    const tight = { ...DEFAULT_LIMITS, maxMemoryBytes: 1024 * 1024 };
    assert.throws(() => new Trainer(s, { limits: tight }), /the limit is 1 MiB/);
    assert.throws(() => new Trainer(s, { limits: tight, hints: { memory: 'set --max-memory to override', output: '', work: '' } }), /— set --max-memory to override$/);
    assert.doesNotThrow(() => new Trainer(s));
  });
});
