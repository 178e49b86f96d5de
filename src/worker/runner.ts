// Host side of the training worker: spawns dist/worker.js (one worker per training, so a
// runaway training can always be terminated), forwards snapshots, and cancels within 100 ms
// — first politely through the shared flag the worker checks before each step, then by
// terminating the thread if it has not stopped after `CANCEL_GRACE_MS`. No vscode import:
// the extension wraps this.
import { Worker } from 'node:worker_threads';
import { experimentConfigs, parseExperiment, summarize, type ExperimentRow } from '../engine/train/experiments';
import { isWorkerToHost, type RunOptions, type TrainingResult, type TrainingSnapshot } from '../shared/training';

/** After this long without an acknowledgement the worker thread is terminated. */
export const CANCEL_GRACE_MS = 40;

export type RunOutcome =
  | { readonly status: 'done'; readonly result: TrainingResult }
  | { readonly status: 'cancelled'; readonly step: number }
  | { readonly status: 'error'; readonly message: string; readonly badSpec: boolean };

export interface TrainingHandle {
  readonly id: number;
  /** Resolves when the training ends, however it ends. Never rejects. */
  readonly outcome: Promise<RunOutcome>;
  /** Stops the training; resolves once the worker has stopped (within ~CANCEL_GRACE_MS). */
  cancel(): Promise<void>;
}

export interface StartOptions extends RunOptions {
  onSnapshot?(s: TrainingSnapshot): void;
}

export class TrainingRunner {
  private nextId = 1;
  private readonly live = new Set<TrainingHandle>();

  /** `workerPath`: the bundled worker, e.g. path.join(extensionPath, 'dist', 'worker.js'). */
  constructor(private readonly workerPath: string) {}

  /** Starts a training; `spec` is validated in the worker (bad specs end with badSpec: true). */
  start(spec: unknown, opts: StartOptions = {}): TrainingHandle {
    const id = this.nextId++;
    const cancelBuf = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancelBuf);
    const worker = new Worker(this.workerPath);
    let settle!: (o: RunOutcome) => void;
    let finished = false;
    const outcome = new Promise<RunOutcome>((res) => (settle = res));
    const finish = (o: RunOutcome): void => {
      if (finished) return;
      finished = true;
      this.live.delete(handle);
      settle(o);
      void worker.terminate();
    };
    worker.on('message', (m: unknown) => {
      if (!isWorkerToHost(m)) return;
      if (m.type === 'ready') return;
      if (m.id !== id) return;
      if (m.type === 'snapshot') {
        if (!finished && Atomics.load(flag, 0) === 0) opts.onSnapshot?.(m.snapshot);
      } else if (m.type === 'done') finish({ status: 'done', result: m.result });
      else if (m.type === 'cancelled') finish({ status: 'cancelled', step: m.step });
      else if (m.type === 'error') finish({ status: 'error', message: m.message, badSpec: m.badSpec });
    });
    worker.on('error', (e) => finish({ status: 'error', message: `training worker failed: ${e.message}`, badSpec: false }));
    worker.on('exit', (code) => finish({ status: 'error', message: `training worker exited (code ${code})`, badSpec: false }));
    const { onSnapshot: _ignored, ...options } = opts;
    worker.postMessage({ type: 'start', id, spec, options, cancel: cancelBuf });
    const handle: TrainingHandle = {
      id,
      outcome,
      cancel: async (): Promise<void> => {
        if (finished) return;
        Atomics.store(flag, 0, 1);
        const timer = setTimeout(() => finish({ status: 'cancelled', step: -1 }), CANCEL_GRACE_MS);
        await outcome;
        clearTimeout(timer);
      },
    };
    this.live.add(handle);
    return handle;
  }

  /**
   * Runs an experiment ({"base", "factor", "values"}): every configuration in turn, each in its
   * own worker. Configurations are validated up front (a bad one throws SpecError before any
   * run); `onRow` reports each finished row. Cancel stops the current run and skips the rest.
   */
  startExperiment(raw: unknown, opts: RunOptions & { onRow?(row: ExperimentRow, index: number): void; onSnapshot?(s: TrainingSnapshot, index: number): void } = {}): {
    readonly outcome: Promise<{ readonly rows: ExperimentRow[]; readonly cancelled: boolean; readonly errors: string[] }>;
    cancel(): Promise<void>;
  } {
    const configs = experimentConfigs(parseExperiment(raw));
    let current: TrainingHandle | null = null;
    let stopped = false;
    const { onRow, onSnapshot, ...options } = opts;
    const outcome = (async (): Promise<{ rows: ExperimentRow[]; cancelled: boolean; errors: string[] }> => {
      const rows: ExperimentRow[] = [];
      const errors: string[] = [];
      for (const [index, c] of configs.entries()) {
        if (stopped) break;
        current = this.start(c.spec, { ...options, onSnapshot: onSnapshot ? (s): void => onSnapshot(s, index) : undefined });
        const o = await current.outcome;
        if (o.status === 'done') {
          const row = summarize(c.label, o.result);
          rows.push(row);
          onRow?.(row, index);
        } else if (o.status === 'error') errors.push(`${c.label}: ${o.message}`);
      }
      return { rows, cancelled: stopped, errors };
    })();
    return {
      outcome,
      cancel: async (): Promise<void> => {
        stopped = true;
        const h = current as TrainingHandle | null;
        if (h) await h.cancel();
      },
    };
  }

  /** Cancels every running training. */
  async dispose(): Promise<void> {
    await Promise.all([...this.live].map((h) => h.cancel()));
  }
}
