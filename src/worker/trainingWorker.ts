// The training worker (bundled to dist/worker.js): runs one training at a time off the
// extension host's thread. The loop is synchronous, so cancellation arrives through a shared
// Int32Array flag the host sets (checked before every step) rather than through a message.
// Snapshots are posted at most every `snapshotIntervalMs` (plus the first and the last), and
// carry the parameters when asked (for live decision boundaries).
import { parentPort } from 'node:worker_threads';
import { isHostToWorker, parseTrainingSpec, SpecError, type HostToWorker, type WorkerToHost } from '../shared/training';
import { Trainer } from '../engine/train/trainer';

const DEFAULT_INTERVAL_MS = 50;
/** Snapshot costs remembered for spacing the next ones. */
const COST_WINDOW = 4;

function post(m: WorkerToHost): void {
  parentPort?.postMessage(m);
}

function run(m: Extract<HostToWorker, { type: 'start' }>): void {
  const flag = new Int32Array(m.cancel);
  let trainer: Trainer;
  try {
    trainer = new Trainer(parseTrainingSpec(m.spec), { precision: m.options.precision, histogramBins: m.options.histogramBins });
  } catch (e) {
    post({ type: 'error', id: m.id, message: (e as Error).message, badSpec: e instanceof SpecError });
    return;
  }
  const interval = m.options.snapshotIntervalMs ?? DEFAULT_INTERVAL_MS;
  const every = m.options.snapshotEverySteps;
  const withParams = m.options.snapshotParams === true;
  const paramsMs = m.options.snapshotParamsMs ?? 0;
  let sent = 0;
  post({ type: 'snapshot', id: m.id, snapshot: trainer.snapshot(0, withParams) });
  let last = performance.now();
  let paramsAt = last;
  // Diagnostics evaluate the whole data set: on big sets, space them so they stay ≤ 20% of the
  // time (gap = 4 × a snapshot's cost). The cost is the smallest of the last few measured: the
  // first snapshots run before the JIT has compiled the evaluation, and under contention (a
  // comparison runs 3 workers on 2 cores) one slow measurement used to space a whole short run's
  // snapshots ~1 s apart. The step-0 snapshot is the coldest of all and is not counted, and the
  // gap at most doubles per snapshot (a big data set reaches its spacing in a few snapshots).
  const costs: number[] = [];
  let gap = interval;
  while (!trainer.done) {
    if (Atomics.load(flag, 0) !== 0) {
      post({ type: 'cancelled', id: m.id, step: trainer.step });
      return;
    }
    const t0 = performance.now();
    const due = every ? (trainer.step + 1) % every === 0 : t0 - last >= gap;
    // the last step always records its gradient norms and update ratios (full diagnostics)
    trainer.stepOnce(due || trainer.lastStepNext);
    const t1 = performance.now();
    trainer.elapsedMs += t1 - t0;
    if (due || trainer.done) {
      // parameters (a few kB to a few hundred kB) only as often as the host can draw them
      const params = withParams && (trainer.done || t1 - paramsAt >= paramsMs);
      if (params) paramsAt = t1;
      post({ type: 'snapshot', id: m.id, snapshot: trainer.snapshot(sent, params) });
      sent = trainer.step;
      last = performance.now();
      costs.push(last - t1);
      if (costs.length > COST_WINDOW) costs.shift();
      gap = Math.max(interval, Math.min(2 * gap, 4 * Math.min(...costs)));
    }
  }
  post({ type: 'done', id: m.id, result: trainer.result() });
}

parentPort?.on('message', (m: unknown) => {
  if (!isHostToWorker(m)) return;
  if (m.type === 'start') {
    try {
      run(m);
    } catch (e) {
      post({ type: 'error', id: m.id, message: `internal error: ${(e as Error).message}`, badSpec: false });
    }
  }
});
post({ type: 'ready' });
