// The worker-thread runner: results equal the in-process trainer bit for bit, snapshots
// carry every step's loss, boundaries come drawn by the worker, the worker acknowledges a
// cancel itself, and the training runs off the host's thread. No assertion here depends on
// the machine's speed: clock-driven behaviour is checked with an injected clock.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { computeBoundary, type BoundaryView } from '../../src/engine/train/boundary';
import { parseExperiment, runExperiment } from '../../src/engine/train/experiments';
import type { TrainingSnapshot } from '../../src/engine/train/snapshot';
import { parseTrainingSpec, SpecError } from '../../src/engine/train/spec';
import { SnapshotStream } from '../../src/engine/train/stream';
import { Trainer, trainSpec, trainWithDiagnostics } from '../../src/engine/train/trainer';
import { isSnapshot } from '../../src/shared/protocol';
import { TrainingRunner } from '../../src/worker/runner';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ai-worker-'));
const workerPath = join(dir, 'worker.js');
let runner: TrainingRunner;

const spiral = (steps: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  task: 'multiclass',
  data: { kind: 'spiral', classes: 3, n: 300, noise: 0.05 },
  test_fraction: 0.2,
  sizes: [2, 32, 32, 3],
  activation: 'relu',
  init: { scheme: 'kaiming_uniform', nonlinearity: 'relu' },
  optimizer: { kind: 'adam', lr: 0.01 },
  batch_size: 32,
  dropout: 0.1,
  steps,
  seed: 42,
  ...extra,
});

/** Exact equality of float results, distinguishing −0 and NaN patterns. */
function bitwiseEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => bitwiseEqual(x, b[i]));
  return a === b;
}

describe('training runner (worker thread)', () => {
  before(async function () {
    this.timeout(30000);
    // the same bundle scripts/build.mjs makes for dist/worker.js
    await esbuild.build({ entryPoints: [join(root, 'src/worker/trainingWorker.ts')], outfile: workerPath, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'error' });
    // a grace period no healthy worker needs: a cancel is always acknowledged by the worker itself
    runner = new TrainingRunner(workerPath, { cancelGraceMs: 60_000 });
  });
  after(async () => {
    await runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('same spec and seed give bitwise-identical float64 results, in-process and in the worker', async () => {
    const spec = spiral(300);
    const a = trainSpec(parseTrainingSpec(spec));
    const b = trainSpec(parseTrainingSpec(spec));
    const h = runner.start(parseTrainingSpec(spec));
    const o = await h.outcome;
    assert.equal(o.status, 'done');
    if (o.status !== 'done') return;
    for (const k of ['loss_per_step', 'grads_step0_flat', 'final_params_flat', 'final_loss', 'final_accuracy', 'final_dead_fraction_per_hidden_layer', 'test_loss'] as const) {
      assert.ok(bitwiseEqual(a[k], b[k]), `${k} differs between two in-process runs`);
      assert.ok(bitwiseEqual(a[k], o.result[k]), `${k} differs between worker and in-process`);
    }
    // a different seed gives a different run (the seed is really used)
    const c = trainSpec(parseTrainingSpec({ ...spec, seed: 43 }));
    assert.ok(!bitwiseEqual(a.loss_per_step, c.loss_per_step));
  });

  it('diagnostics never change the training (full batch with a test split, dropout)', () => {
    for (const extra of [{ batch_size: null, dropout: 0 }, { batch_size: null, dropout: 0.2 }, { norm: 'batch' }]) {
      const spec = parseTrainingSpec(spiral(60, extra));
      const plain = trainSpec(spec);
      const watched = trainWithDiagnostics(spec, 7).result;
      assert.ok(bitwiseEqual(plain.loss_per_step, watched.loss_per_step), JSON.stringify(extra));
      assert.ok(bitwiseEqual(plain.final_params_flat, watched.final_params_flat));
    }
  });

  it('float32 runs are deterministic too', () => {
    const spec = parseTrainingSpec(spiral(100));
    const a = trainSpec(spec, { precision: 'float32' });
    const b = trainSpec(spec, { precision: 'float32' });
    assert.ok(bitwiseEqual(a.final_params_flat, b.final_params_flat));
  });

  it('streams snapshots that together hold every step loss and diagnostics', async () => {
    const snaps: TrainingSnapshot[] = [];
    const h = runner.start(parseTrainingSpec(spiral(4000)), { snapshotIntervalMs: 40, onSnapshot: (s) => snaps.push(s) });
    const o = await h.outcome;
    assert.equal(o.status, 'done');
    if (o.status !== 'done') return;
    assert.ok(snaps.length >= 2);
    // each snapshot picks up where the previous one ended
    snaps.forEach((s, i) => assert.equal(s.fromStep, i === 0 ? 0 : (snaps[i - 1] as TrainingSnapshot).step));
    const losses = snaps.flatMap((s) => s.losses);
    assert.ok(bitwiseEqual(losses, o.result.loss_per_step));
    assert.ok(snaps.every(isSnapshot));
    assert.ok(!isSnapshot({ ...snaps[0], layers: [{ layer: 0 }] }));
    assert.ok(!isSnapshot({ ...snaps[0], losses: ['x'] }));
    const last = snaps[snaps.length - 1] as TrainingSnapshot;
    assert.equal(last.step, 4000);
    assert.equal(last.layers.length, 2);
    for (const L of last.layers) {
      assert.ok(L.deadFraction >= 0 && L.deadFraction <= 1);
      assert.ok(L.sparsity >= L.deadFraction * 0.999 - 1e-12);
      assert.ok(L.std > 0 && L.mean > 0, 'ReLU activations have positive mean');
      assert.equal(L.histogram.counts.reduce((s, c) => s + c, 0), Math.min(4096, 240 * 32));
      assert.ok(L.weightGradNorm > 0 && L.updateRatio > 0 && L.updateRatio < 1);
    }
    assert.ok(last.testLoss !== null && last.testAccuracy !== null && last.trainAccuracy !== null);
    assert.ok((last.trainAccuracy as number) > 0.6);
  });

  it('the clock-driven stream spaces snapshots by the clock, not by the step count (injected clock)', () => {
    for (const intervalMs of [20, 60]) {
      // every reading of this clock advances it 1 ms: a deterministic stand-in for time
      let now = 0;
      const clock = (): number => ++now;
      const t = new Trainer(parseTrainingSpec(spiral(500, { batch_size: 16, dropout: 0 })));
      const stream = new SnapshotStream(t, { intervalMs, clock });
      const snaps = [stream.now()];
      const stamps = [now];
      for (let s = stream.next(); s; s = stream.next()) {
        snaps.push(s);
        stamps.push(now);
      }
      assert.equal(snaps[snaps.length - 1]?.step, 500);
      // a step reads the clock twice and a snapshot once: consecutive snapshots are at least
      // intervalMs apart, and at most one step later than that
      const gaps = stamps.slice(1, -1).map((x, i) => x - (stamps[i] as number));
      assert.ok(gaps.length > 3);
      assert.ok(gaps.every((g) => g >= intervalMs && g <= intervalMs + 3), `interval ${intervalMs}: ${gaps.join(', ')}`);
      assert.ok(bitwiseEqual(snaps.flatMap((s) => s.losses), Array.from(t.losses)));
      // watching by the clock changes nothing in the training
      assert.ok(bitwiseEqual(t.result().final_params_flat, trainSpec(t.spec).final_params_flat));
    }
  });

  it('maxGapSteps: however slow each snapshot is on the clock, one comes at least every N steps', () => {
    // a clock that makes every snapshot look expensive (the adaptive gap grows to its limit)
    // and the steps slow: without the floor, the whole run would be one or two snapshots
    let now = 0;
    const clock = (): number => (now += 500);
    const t = new Trainer(parseTrainingSpec(spiral(300, { batch_size: 16, dropout: 0 })));
    const stream = new SnapshotStream(t, { intervalMs: 1e6, maxGapSteps: 7, clock });
    const steps = [stream.now().step];
    for (let s = stream.next(); s; s = stream.next()) steps.push(s.step);
    const expected = [0];
    for (let k = 7; k < 300; k += 7) expected.push(k);
    expected.push(300);
    assert.deepStrictEqual(steps, expected);
    assert.throws(() => new SnapshotStream(t, { maxGapSteps: 0 }), /maxGapSteps must be a positive integer/);
  });

  it('snapshotEverySteps streams exactly the deterministic step-indexed diagnostics', async () => {
    const spec = spiral(120);
    const snaps: TrainingSnapshot[] = [];
    const o = await runner.start(parseTrainingSpec(spec), { snapshotEverySteps: 40, onSnapshot: (s) => snaps.push(s) }).outcome;
    assert.equal(o.status, 'done');
    const local = trainWithDiagnostics(parseTrainingSpec(spec), 40);
    const strip = (s: TrainingSnapshot): unknown => ({ ...s, elapsedMs: 0 });
    assert.deepEqual(snaps.map(strip), local.snapshots.map(strip));
    assert.deepEqual(snaps.map((s) => s.step), [0, 40, 80, 120]);
  });

  it('the last step always records gradient norms: a run never sampled ends with its real norms', async () => {
    for (const steps of [1, 37]) {
      const spec = spiral(steps);
      const snaps: TrainingSnapshot[] = [];
      // an interval no run reaches: only the step-0 and the final snapshot are sent
      const o = await runner.start(parseTrainingSpec(spec), { snapshotIntervalMs: 1e9, onSnapshot: (s) => snaps.push(s) }).outcome;
      assert.equal(o.status, 'done');
      assert.deepEqual(snaps.map((s) => s.step), [0, steps]);
      const last = snaps[1] as TrainingSnapshot;
      // in-process: the same run, recording only its last step
      const t = new Trainer(parseTrainingSpec(spec));
      t.run(steps - 1);
      t.stepOnce(true);
      assert.ok(last.weightGradNorms.every((g) => g > 0), `steps ${steps}: ${last.weightGradNorms.join(', ')}`);
      assert.ok(bitwiseEqual(last.weightGradNorms, t.lastWeightGradNorms), `steps ${steps}`);
      assert.ok(bitwiseEqual(last.layers.map((L) => L.updateRatio), t.lastUpdateRatios.slice(0, -1)));
      assert.ok(last.layers.every((L) => L.updateRatio > 0));
      // a one-step run's last step is step 0: its norms are the result's step-0 norms
      if (steps === 1 && o.status === 'done') assert.ok(bitwiseEqual(last.weightGradNorms, o.result.weight_grad_norm_step0));
    }
    // the step-indexed form agrees, also when the step count is not a multiple of N
    const local = trainWithDiagnostics(parseTrainingSpec(spiral(50)), 40).snapshots;
    assert.deepEqual(local.map((s) => s.step), [0, 40, 50]);
    assert.ok((local[2] as TrainingSnapshot).weightGradNorms.every((g) => g > 0));
    assert.notDeepEqual((local[2] as TrainingSnapshot).weightGradNorms, (local[1] as TrainingSnapshot).weightGradNorms);
  });

  it('the worker draws the decision boundary of the model it trains, only when asked; the run is unchanged', async () => {
    const spec = parseTrainingSpec(spiral(120));
    const snaps: TrainingSnapshot[] = [];
    const views: unknown[] = [];
    const o = await runner.start(spec, { snapshotEverySteps: 40, boundary: true, onSnapshot: (s, b) => (snaps.push(s), views.push(b)) }).outcome;
    const plain: TrainingSnapshot[] = [];
    const plainViews: unknown[] = [];
    const p = await runner.start(spec, { snapshotEverySteps: 40, onSnapshot: (s, b) => (plain.push(s), plainViews.push(b)) }).outcome;
    assert.ok(o.status === 'done' && p.status === 'done');
    // drawing boundaries changes nothing else, bit for bit
    for (const k of ['loss_per_step', 'final_params_flat', 'grads_step0_flat'] as const) assert.ok(bitwiseEqual(o.result[k], p.result[k]), k);
    const strip = (s: TrainingSnapshot): unknown => ({ ...s, elapsedMs: 0 });
    assert.deepEqual(snaps.map(strip), plain.map(strip));
    assert.ok(plainViews.every((b) => b === undefined), 'no boundary unless asked');
    // each boundary is exactly the one of the in-process run's parameters at that step
    const t = new Trainer(spec);
    snaps.forEach((s, i) => {
      t.run(s.step - t.step);
      const tensors = t.result().final_params_flat;
      assert.deepEqual(views[i], computeBoundary(spec, tensors), `step ${s.step}`);
    });
    const last = views[views.length - 1];
    assert.deepEqual(last, computeBoundary(spec, o.result.final_params_flat));
    // the parameters of step 0 draw a different picture than the trained ones
    assert.notDeepEqual((views[0] as BoundaryView).values, (last as BoundaryView).values);
    // inputs with more than two dimensions have no boundary to draw
    const wide = parseTrainingSpec({ task: 'regression', sizes: [3, 4, 1], X: [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]], y: [[1], [2], [3], [4]], optimizer: { kind: 'sgd', lr: 0.01 }, steps: 5 });
    const wideViews: unknown[] = [];
    assert.equal((await runner.start(wide, { boundary: true, onSnapshot: (_s, b) => wideViews.push(b) }).outcome).status, 'done');
    assert.ok(wideViews.length >= 2 && wideViews.every((b) => b === undefined));
  });

  it('a cancel is acknowledged by the worker itself, between two steps', async () => {
    let first!: () => void;
    const started = new Promise<void>((r) => (first = r));
    let seen = 0;
    const h = runner.start(parseTrainingSpec(spiral(10_000_000)), { snapshotEverySteps: 50, onSnapshot: () => ++seen === 2 && first() });
    await started; // the worker is past step 50
    await h.cancel();
    const o = await h.outcome;
    assert.equal(o.status, 'cancelled');
    // the runner's own fallback (terminate after the grace period) reports step -1
    if (o.status === 'cancelled') assert.ok(o.step >= 50, `cancelled at step ${o.step}`);
  });

  it('a training runs off the host thread: the host handles events while it trains', async () => {
    const h = runner.start(parseTrainingSpec(spiral(10_000_000)), { snapshotEverySteps: 1000 });
    let ended = false;
    void h.outcome.then(() => (ended = true));
    // ten round trips through this thread's event loop while the training is under way: were
    // the training on this thread, none would run before its 10 million steps had finished
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(ended, false, 'the training is still running');
    await h.cancel();
    assert.equal((await h.outcome).status, 'cancelled');
  });

  it('a paused start waits at step 0; step, step, resume continue the same training exactly', async () => {
    const spec = parseTrainingSpec(spiral(90));
    const snaps: TrainingSnapshot[] = [];
    const h = runner.start(spec, { snapshotEverySteps: 30, paused: true, onSnapshot: (s) => snaps.push(s) });
    const p0 = await h.pause(); // already paused: resolves where it waits
    assert.equal(p0?.step, 0);
    assert.equal((await h.step())?.step, 1);
    const p2 = await h.step();
    assert.equal(p2?.step, 2);
    assert.equal(p2?.result.loss_per_step.length, 2, 'the run so far');
    h.resume();
    const o = await h.outcome;
    assert.equal(o.status, 'done');
    if (o.status !== 'done') return;
    const ref = trainSpec(spec);
    assert.ok(bitwiseEqual(o.result.final_params_flat, ref.final_params_flat));
    assert.ok(bitwiseEqual(snaps.flatMap((s) => s.losses), ref.loss_per_step));
    assert.ok(bitwiseEqual(p2?.result.loss_per_step, ref.loss_per_step.slice(0, 2)));
    // step 0 (start; pausing a paused run sends nothing), 1 and 2 (steps), then every 30th
    assert.deepEqual(snaps.map((s) => s.step), [0, 1, 2, 30, 60, 90]);
    assert.deepEqual(snaps.map((s) => s.fromStep), [0, 0, 1, 2, 30, 60]);
    assert.equal(await h.step(), null, 'a finished run steps no more');
  });

  it('controls in quick succession: resume right after a paused start or a pause never strands a run', async () => {
    const spec = parseTrainingSpec(spiral(200));
    const ref = trainSpec(spec);
    // resume before the worker has even announced its paused start
    const a = runner.start(spec, { snapshotEverySteps: 50, paused: true });
    a.resume();
    const oa = await a.outcome;
    assert.ok(oa.status === 'done' && bitwiseEqual(oa.result.final_params_flat, ref.final_params_flat));
    // pause then resume at once: the pause's answer is stale (null), the run goes on to the end
    let first!: () => void;
    const started = new Promise<void>((r) => (first = r));
    const b = runner.start(parseTrainingSpec(spiral(1000)), { snapshotEverySteps: 50, onSnapshot: (s) => s.step >= 50 && first() });
    await started;
    const paused = b.pause();
    b.resume();
    assert.equal(await paused, null);
    assert.equal(await b.step(), null, 'a running training does not step on request');
    const ob = await b.outcome;
    assert.equal(ob.status, 'done');
    if (ob.status === 'done') assert.equal(ob.result.loss_per_step.length, 1000);
  });

  it('runs experiments configuration by configuration, each in a worker, with the same rows as in-process', async () => {
    const exp = { base: { ...spiral(80), dropout: 0 }, factor: 'activation', values: ['relu', 'tanh', 'leaky_relu'] };
    const seen: string[] = [];
    const run = runner.startExperiment(exp, { onRow: (r) => seen.push(r.label) });
    const o = await run.outcome;
    assert.deepEqual(seen, ['relu', 'tanh', 'leaky_relu']);
    assert.equal(o.cancelled, false);
    const local = runExperiment(parseExperiment(exp));
    assert.deepEqual(o.rows.map((r) => [r.label, r.finalLoss, r.finalAccuracy, r.deadPercent]), local.map((r) => [r.label, r.finalLoss, r.finalAccuracy, r.deadPercent]));
    // a bad value fails before anything runs
    assert.throws(() => runner.startExperiment({ ...exp, values: ['relu', 'nope'] }), /nope/);
    // cancel stops the current run and skips the rest
    let first!: () => void;
    const started = new Promise<void>((r) => (first = r));
    const long = runner.startExperiment({ ...exp, base: spiral(10_000_000) }, { onSnapshot: () => first() });
    await started;
    await long.cancel();
    const lo = await long.outcome;
    assert.equal(lo.cancelled, true);
    assert.equal(lo.rows.length, 0);
  });

  it('a spec is validated once, on the host; data the engine cannot load comes back as an error with badSpec', async () => {
    assert.throws(() => parseTrainingSpec({ task: 'binary', sizes: [2, 1], X: [[0, 0]], y: [[3]], optimizer: { kind: 'sgd' }, steps: 1 }), (e: Error) => e instanceof SpecError && /binary targets must be in \[0, 1\]/.test(e.message));
    const csv = parseTrainingSpec({ task: 'binary', sizes: [1, 1], data: { kind: 'csv', text: 'x,y\n1,0\n2,oops\n', target: 'y' }, optimizer: { kind: 'sgd' }, steps: 1 });
    const o = await runner.start(csv).outcome;
    assert.equal(o.status, 'error');
    if (o.status === 'error') {
      assert.ok(o.badSpec);
      assert.match(o.message, /"oops" is not a finite number/);
    }
  });
});
