// The training worker's message handler (src/worker/trainingJob.ts), driven directly in this
// thread: pause at step N holds the training there, and step/resume continue it at N + 1 —
// the same Trainer, never a replay from step 0 — so the result equals an uninterrupted
// run's bit for bit. Every wait is for a message, never for a time.
import * as assert from 'node:assert/strict';
import type { TrainingResult, TrainingSnapshot } from '../../src/engine/train/snapshot';
import { parseTrainingSpec } from '../../src/engine/train/spec';
import { Trainer, trainSpec } from '../../src/engine/train/trainer';
import type { WorkerToHost } from '../../src/shared/workerProtocol';
import { trainingWorker } from '../../src/worker/trainingJob';

const spec = parseTrainingSpec({
  task: 'multiclass',
  data: { kind: 'spiral3', n: 150, noise: 0.05 },
  sizes: [2, 16, 16, 3],
  activation: 'tanh',
  init: { scheme: 'xavier_uniform' },
  optimizer: { kind: 'adam', lr: 0.01 },
  batch_size: 16,
  dropout: 0.1,
  steps: 400,
  seed: 7,
});

function bitwiseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => bitwiseEqual(x, b[i]));
  return a === b;
}

/** The handler with a message log and a way to wait for the next message that matches. */
function harness(): {
  send(m: unknown): void;
  log: WorkerToHost[];
  next<T extends WorkerToHost['type']>(type: T, where?: (m: Extract<WorkerToHost, { type: T }>) => boolean): Promise<Extract<WorkerToHost, { type: T }>>;
} {
  const log: WorkerToHost[] = [];
  const waiters: { test: (m: WorkerToHost) => boolean; resolve: (m: WorkerToHost) => void }[] = [];
  const handler = trainingWorker({
    post: (m) => {
      log.push(m);
      const i = waiters.findIndex((w) => w.test(m));
      if (i >= 0) waiters.splice(i, 1)[0]?.resolve(m);
    },
    // as in the worker: slices run after pending messages (here: the test's sends)
    defer: (fn) => setImmediate(fn),
  });
  return {
    log,
    // messages arrive between slices, as the worker's message port delivers them
    send: (m) => setImmediate(() => handler(m)),
    next: (type, where) =>
      new Promise((resolve) => {
        waiters.push({ test: (m) => m.type === type && (!where || where(m as never)), resolve: resolve as (m: WorkerToHost) => void });
      }),
  };
}

describe('training worker: pause, step and resume in place', () => {
  let steps = 0;
  const original = Trainer.prototype.stepOnce;
  beforeEach(() => {
    steps = 0;
    Trainer.prototype.stepOnce = function (this: Trainer, record?: boolean): void {
      if (!this.done) steps++;
      original.call(this, record);
    };
  });
  afterEach(() => {
    Trainer.prototype.stepOnce = original;
  });

  it('pause at step N, one step to N + 1, resume: no replay, the final parameters of an uninterrupted run', async () => {
    const h = harness();
    h.send({ type: 'start', id: 1, spec, options: { snapshotEverySteps: 10 }, cancel: new SharedArrayBuffer(4) });
    // pause once the training is under way (at whatever step the message lands)
    await h.next('snapshot', (m) => m.snapshot.step >= 50);
    h.send({ type: 'pause', id: 1 });
    const paused = await h.next('paused');
    const N = paused.step;
    assert.ok(N >= 50 && N < spec.steps, `paused at ${N}`);
    assert.equal(steps, N, 'the worker stepped exactly N times to get there');
    // the run so far, returned with the pause
    assert.equal(paused.result.loss_per_step.length, N);

    h.send({ type: 'step', id: 1 });
    const stepped = await h.next('paused');
    assert.equal(stepped.step, N + 1);
    const stepSnap = h.log.filter((m): m is Extract<WorkerToHost, { type: 'snapshot' }> => m.type === 'snapshot').slice(-1)[0]?.snapshot as TrainingSnapshot;
    assert.equal(stepSnap.step, N + 1);
    assert.equal(stepSnap.fromStep, N);
    assert.equal(stepSnap.losses.length, 1, 'one loss: step N alone');
    assert.equal(steps, N + 1, 'one more step, not a replay');

    const mark = h.log.length;
    h.send({ type: 'resume', id: 1 });
    const done = await h.next('done');
    // no step ran twice: the whole training took exactly `steps` optimizer steps
    assert.equal(steps, spec.steps);
    const after = h.log.slice(mark).filter((m): m is Extract<WorkerToHost, { type: 'snapshot' }> => m.type === 'snapshot').map((m) => m.snapshot);
    assert.ok(after.length > 0);
    assert.equal(after[0]?.fromStep, N + 1, 'the snapshots after resume continue from N + 1');
    assert.ok(after.every((s) => s.step > N + 1));

    // bit for bit the uninterrupted run
    const ref = trainSpec(spec);
    const result = done.result as TrainingResult;
    for (const k of ['loss_per_step', 'final_params_flat', 'grads_step0_flat', 'final_loss'] as const) assert.ok(bitwiseEqual(result[k], ref[k]), k);
    assert.ok(bitwiseEqual(paused.result.loss_per_step, ref.loss_per_step.slice(0, N)));
    // and every loss was streamed once, in order
    const all = h.log.filter((m): m is Extract<WorkerToHost, { type: 'snapshot' }> => m.type === 'snapshot').map((m) => m.snapshot);
    assert.ok(bitwiseEqual(all.flatMap((s) => s.losses), ref.loss_per_step));
  });

  it('controls that do not apply are ignored; cancel while paused answers at the paused step', async () => {
    const h = harness();
    h.send({ type: 'start', id: 2, spec, options: { snapshotEverySteps: 100, paused: true }, cancel: new SharedArrayBuffer(4) });
    const p0 = await h.next('paused');
    assert.equal(p0.step, 0);
    // a control for another training changes nothing; the step for this one runs one step
    h.send({ type: 'step', id: 99 });
    h.send({ type: 'step', id: 2 });
    const p1 = await h.next('paused');
    assert.equal(p1.step, 1);
    assert.equal(steps, 1);
    h.send({ type: 'cancel', id: 2 });
    const c = await h.next('cancelled');
    assert.equal(c.step, 1);
    assert.equal(steps, 1);
    assert.ok(!h.log.some((m) => m.type === 'done'));
  });

  it('the shared cancel flag stops a running training between two steps', async () => {
    const h = harness();
    const flag = new SharedArrayBuffer(4);
    h.send({ type: 'start', id: 3, spec: { ...spec, steps: 1_000_000 }, options: { snapshotEverySteps: 25 }, cancel: flag });
    await h.next('snapshot', (m) => m.snapshot.step >= 25);
    Atomics.store(new Int32Array(flag), 0, 1);
    const c = await h.next('cancelled');
    assert.ok(c.step >= 25 && c.step === steps, `cancelled at ${c.step} after ${steps} steps`);
  });
});
