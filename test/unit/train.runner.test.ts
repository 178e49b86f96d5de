// The worker-thread runner: results equal the in-process trainer bit for bit, snapshots are
// rate-bounded and carry every step's loss, cancellation takes effect within 100 ms, and the
// host's event loop stays responsive while a training runs.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { Trainer, trainSpec, trainWithDiagnostics } from '../../src/engine/train/trainer';
import { isTrainingSnapshot, parseTrainingSpec, type TrainingSnapshot } from '../../src/shared/training';
import { TrainingRunner } from '../../src/worker/runner';
import { BoundaryPlotter, computeBoundary } from '../../src/extension/panels/boundary';
import { parseExperiment, runExperiment } from '../../src/engine/train/experiments';

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
    runner = new TrainingRunner(workerPath);
  });
  after(async () => {
    await runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('same spec and seed give bitwise-identical float64 results, in-process and in the worker', async () => {
    const spec = spiral(300);
    const a = trainSpec(parseTrainingSpec(spec));
    const b = trainSpec(parseTrainingSpec(spec));
    const h = runner.start(spec);
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

  it('streams rate-bounded snapshots that together hold every step loss and diagnostics', async () => {
    const snaps: TrainingSnapshot[] = [];
    const t0 = Date.now();
    const h = runner.start(spiral(4000), { snapshotIntervalMs: 40, onSnapshot: (s) => snaps.push(s) });
    const o = await h.outcome;
    const wall = Date.now() - t0;
    assert.equal(o.status, 'done');
    if (o.status !== 'done') return;
    assert.ok(snaps.length >= 2);
    assert.ok(snaps.length <= wall / 40 + 3, `${snaps.length} snapshots in ${wall} ms`);
    const losses = snaps.flatMap((s) => s.losses);
    assert.ok(bitwiseEqual(losses, o.result.loss_per_step));
    assert.ok(snaps.every(isTrainingSnapshot));
    assert.ok(!isTrainingSnapshot({ ...snaps[0], layers: [{ layer: 0 }] }));
    assert.ok(!isTrainingSnapshot({ ...snaps[0], losses: ['x'] }));
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

  it('snapshotEverySteps streams exactly the deterministic step-indexed diagnostics', async () => {
    const spec = spiral(120);
    const snaps: TrainingSnapshot[] = [];
    const o = await runner.start(spec, { snapshotEverySteps: 40, onSnapshot: (s) => snaps.push(s) }).outcome;
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
      const o = await runner.start(spec, { snapshotIntervalMs: 1e9, onSnapshot: (s) => snaps.push(s) }).outcome;
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

  it('snapshots carry float32 parameters only when asked; the run is unchanged and they redraw the boundary', async () => {
    const spec = spiral(120);
    const snaps: TrainingSnapshot[] = [];
    const o = await runner.start(spec, { snapshotEverySteps: 40, snapshotParams: true, onSnapshot: (s) => snaps.push(s) }).outcome;
    const plain: TrainingSnapshot[] = [];
    const p = await runner.start(spec, { snapshotEverySteps: 40, onSnapshot: (s) => plain.push(s) }).outcome;
    assert.ok(o.status === 'done' && p.status === 'done');
    // carrying parameters changes nothing else, bit for bit (replays stay exact)
    for (const k of ['loss_per_step', 'final_params_flat', 'grads_step0_flat'] as const) assert.ok(bitwiseEqual(o.result[k], p.result[k]), k);
    const strip = (s: TrainingSnapshot): unknown => ({ ...s, elapsedMs: 0, params: undefined });
    assert.deepEqual(snaps.map(strip), plain.map(strip));
    assert.ok(plain.every((s) => s.params === undefined), 'no parameters unless asked');
    assert.ok(snaps.every(isTrainingSnapshot));
    assert.ok(!isTrainingSnapshot({ ...snaps[0], params: [1, 2] }));
    // each snapshot's parameters are the in-process run's at that step, rounded to float32
    const t = new Trainer(parseTrainingSpec(spec));
    for (const s of snaps) {
      t.run(s.step - t.step);
      assert.ok(s.params instanceof Float32Array);
      assert.equal(s.params.length, t.model.params.length);
      assert.ok(bitwiseEqual(Array.from(s.params), Array.from(t.model.params, Math.fround)), `step ${s.step}`);
    }
    // 2-32-32-3 = 1283 parameters: ~5 kB per snapshot
    assert.equal((snaps[0] as TrainingSnapshot).params?.byteLength, 4 * (2 * 32 + 32 + 32 * 32 + 32 + 32 * 3 + 3));
    // the live boundary from the last snapshot's float32 parameters ≈ the exact final one
    const plotter = BoundaryPlotter.create(parseTrainingSpec(spec));
    const live = plotter?.fromFlat((snaps[snaps.length - 1] as TrainingSnapshot).params as Float32Array);
    const exact = computeBoundary(parseTrainingSpec(spec), o.result.final_params_flat);
    assert.ok(live && exact && live.kind === '2d');
    assert.deepEqual({ ...live, values: [] }, { ...exact, values: [] });
    const mismatched = live.values.filter((v, i) => v !== exact.values[i]).length;
    assert.ok(mismatched < live.values.length, 'class indices mostly agree');
    assert.ok(mismatched <= 0.01 * live.values.length, `${mismatched} of ${live.values.length} grid cells differ`);
    // the parameters of step 0 draw a different picture than the trained ones
    const first = plotter?.fromFlat((snaps[0] as TrainingSnapshot).params as Float32Array);
    assert.ok(first && first.values.some((v, i) => v !== exact.values[i]));
    // time-based snapshots carry them at most every snapshotParamsMs (and always the last one)
    const timed: TrainingSnapshot[] = [];
    const t0 = Date.now();
    const q = await runner.start(spiral(3000), { snapshotIntervalMs: 1, snapshotParams: true, snapshotParamsMs: 60, onSnapshot: (x) => timed.push(x) }).outcome;
    const wall = Date.now() - t0;
    assert.equal(q.status, 'done');
    const carrying = timed.filter((x) => x.params).length;
    assert.ok(carrying >= 2 && carrying <= wall / 60 + 2, `${carrying} of ${timed.length} snapshots carry parameters in ${wall} ms`);
    assert.ok(carrying < timed.length, `${carrying} of ${timed.length}`);
    assert.ok(timed[0]?.params && timed[timed.length - 1]?.params);
    // the CLI's step-indexed diagnostics never carry parameters (its JSON is unchanged)
    assert.ok(trainWithDiagnostics(parseTrainingSpec(spec), 40).snapshots.every((s) => !('params' in s)));
  });

  it('cancel takes effect within 100 ms', async () => {
    let first!: () => void;
    const started = new Promise<void>((r) => (first = r));
    const h = runner.start(spiral(10_000_000), { onSnapshot: () => first() });
    await started;
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await h.cancel();
    const dt = performance.now() - t0;
    const o = await h.outcome;
    assert.equal(o.status, 'cancelled');
    assert.ok(dt < 100, `cancel took ${dt} ms`);
    if (o.status === 'cancelled') assert.ok(o.step > 0, 'the worker acknowledged the cancel flag itself');
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
    const long = runner.startExperiment({ ...exp, base: spiral(10_000_000) });
    await new Promise((r) => setTimeout(r, 150));
    await long.cancel();
    const lo = await long.outcome;
    assert.equal(lo.cancelled, true);
    assert.equal(lo.rows.length, 0);
  });

  it('bad specs come back as errors with badSpec, not crashes', async () => {
    const o = await runner.start({ task: 'binary', sizes: [2, 1], X: [[0, 0]], y: [[3]], optimizer: { kind: 'sgd' }, steps: 1 }).outcome;
    assert.equal(o.status, 'error');
    if (o.status === 'error') {
      assert.ok(o.badSpec);
      assert.match(o.message, /binary targets must be in \[0, 1\]/);
    }
  });

  it("the host's event loop stays responsive while a worker trains (and would not on the host thread)", async () => {
    const spec = spiral(1_000_000);
    // the same work on this thread, for scale: one ~300 ms slice blocks the loop the whole time
    const local = new Trainer(parseTrainingSpec(spec));
    const h0 = monitorEventLoopDelay({ resolution: 5 });
    h0.enable();
    await new Promise((r) => setTimeout(r, 20));
    const tBlock = performance.now();
    while (performance.now() - tBlock < 300) local.run(200);
    await new Promise((r) => setTimeout(r, 20));
    h0.disable();
    const blocked = h0.max / 1e6;

    // baseline: the same measurement with nothing training (the machine may be busy with others)
    const idle = monitorEventLoopDelay({ resolution: 5 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 500));
    idle.disable();
    const idleMean = idle.mean / 1e6, idleP99 = idle.percentile(99) / 1e6;

    const h = monitorEventLoopDelay({ resolution: 5 });
    const handle = runner.start(spec, { snapshotIntervalMs: 50, onSnapshot: () => undefined });
    await new Promise((r) => setTimeout(r, 100));
    h.enable();
    await new Promise((r) => setTimeout(r, 800));
    h.disable();
    await handle.cancel();
    const lagMax = h.max / 1e6, lagMean = h.mean / 1e6, lagP99 = h.percentile(99) / 1e6;
    console.log(
      `      event-loop delay while a worker trains: mean ${lagMean.toFixed(1)} ms, p99 ${lagP99.toFixed(1)} ms, max ${lagMax.toFixed(1)} ms ` +
        `(idle: mean ${idleMean.toFixed(1)}, p99 ${idleP99.toFixed(1)}; training on this thread: max ${blocked.toFixed(0)} ms)`,
    );
    assert.ok(blocked > 250, `the host-thread control run should block (${blocked} ms)`);
    // (the histogram's values include its own 5 ms sampling period)
    assert.ok(lagMean < idleMean + 10, `mean event-loop delay ${lagMean} ms (idle ${idleMean} ms)`);
    assert.ok(lagP99 < idleP99 + 40, `p99 event-loop delay ${lagP99} ms (idle ${idleP99} ms)`);
  });
});
