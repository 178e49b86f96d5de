// Host side of the training worker: spawns dist/worker.js (one worker per training, so a
// runaway training can always be terminated), forwards snapshots (with the boundary the
// worker drew), and passes pause, resume and step on to the worker, which does them itself.
// Cancel is first polite, through the shared flag the worker checks before each step, then
// terminates the thread if it has not stopped after the grace period. No vscode import:
// the extension wraps this.
import { Worker } from 'node:worker_threads';
import type { BoundaryView } from '../engine/train/boundary';
import { experimentConfigs, parseExperiment, summarize, type ExperimentRow } from '../engine/train/experiments';
import type { TrainingResult, TrainingSnapshot } from '../engine/train/snapshot';
import type { TrainingSpec } from '../engine/train/spec';
import { isWorkerToHost, type HostToWorker, type RunOptions } from '../shared/workerProtocol';

/** After this long without an acknowledgement the worker thread is terminated. */
export const CANCEL_GRACE_MS = 40;

/** Where a paused training waits: its step and the run so far. */
export interface PausedAt {
  readonly step: number;
  readonly result: TrainingResult;
}

export type RunOutcome =
  | { readonly status: 'done'; readonly result: TrainingResult }
  | { readonly status: 'cancelled'; readonly step: number }
  | { readonly status: 'error'; readonly message: string; readonly badSpec: boolean };

export interface TrainingHandle {
  readonly id: number;
  /** Resolves when the training ends, however it ends. Never rejects. */
  readonly outcome: Promise<RunOutcome>;
  /** Stops the training; resolves once the worker has stopped (within ~the grace period). */
  cancel(): Promise<void>;
  /** Pauses it in the worker; resolves where it waits, or null when it ended first. */
  pause(): Promise<PausedAt | null>;
  /** Runs exactly one more step of a paused training; resolves where it waits again (null once it ended). */
  step(): Promise<PausedAt | null>;
  /** Continues a paused training from where it waits. */
  resume(): void;
}

export interface StartOptions extends RunOptions {
  /** Each snapshot, with the decision boundary when the worker drew one for it. */
  onSnapshot?(s: TrainingSnapshot, boundary?: BoundaryView): void;
}

export interface RunnerOptions {
  /** ms a cancelled worker has to acknowledge before its thread is terminated (default CANCEL_GRACE_MS). */
  readonly cancelGraceMs?: number;
}

export class TrainingRunner {
  private nextId = 1;
  private readonly live = new Set<TrainingHandle>();
  private readonly graceMs: number;

  /** `workerPath`: the bundled worker, e.g. path.join(extensionPath, 'dist', 'worker.js'). */
  constructor(
    private readonly workerPath: string,
    opts: RunnerOptions = {},
  ) {
    this.graceMs = opts.cancelGraceMs ?? CANCEL_GRACE_MS;
  }

  /** Starts a training of a validated spec (parseTrainingSpec); data the engine cannot use ends with badSpec: true. */
  start(spec: TrainingSpec, opts: StartOptions = {}): TrainingHandle {
    const id = this.nextId++;
    const cancelBuf = new SharedArrayBuffer(4);
    const flag = new Int32Array(cancelBuf);
    const worker = new Worker(this.workerPath);
    let settle!: (o: RunOutcome) => void;
    let finished = false;
    // The worker answers a paused start, a pause of a running training and a step with one
    // 'paused' message each, in order: `replies` holds who waits for each answer still due.
    // A resume sent meanwhile makes those answers stale (they resolve null).
    let held = opts.paused === true;
    let last: PausedAt | null = null;
    const replies: { resolve: (p: PausedAt | null) => void; stale: boolean }[] = held ? [{ resolve: () => undefined, stale: false }] : [];
    const settled: ((p: PausedAt | null) => void)[] = [];
    const wake = (): void => {
      for (const r of replies.splice(0)) r.resolve(null);
      for (const w of settled.splice(0)) w(null);
    };
    const outcome = new Promise<RunOutcome>((res) => (settle = res));
    const finish = (o: RunOutcome): void => {
      if (finished) return;
      finished = true;
      this.live.delete(handle);
      settle(o);
      wake();
      void worker.terminate();
    };
    const send = (m: HostToWorker): void => worker.postMessage(m);
    /** Sends a control and resolves with the worker's answer (null once the run ended). */
    const ask = (type: 'pause' | 'step'): Promise<PausedAt | null> =>
      new Promise((resolve) => {
        replies.push({ resolve, stale: false });
        send({ type, id });
      });
    const pause = (): Promise<PausedAt | null> => {
      if (finished) return Promise.resolve(null);
      if (!held) {
        held = true;
        return ask('pause');
      }
      // already paused (or about to be): where it waits once the answers due have come
      return replies.length === 0 ? Promise.resolve(last) : new Promise((res) => settled.push(res));
    };
    worker.on('message', (m: unknown) => {
      if (!isWorkerToHost(m)) return;
      if (m.type === 'ready') return;
      if (m.id !== id) return;
      if (m.type === 'snapshot') {
        if (!finished && Atomics.load(flag, 0) === 0) opts.onSnapshot?.(m.snapshot, m.boundary);
      } else if (m.type === 'paused') {
        last = { step: m.step, result: m.result };
        const r = replies.shift();
        r?.resolve(r.stale ? null : last);
        if (replies.length === 0) for (const w of settled.splice(0)) w(held ? last : null);
      } else if (m.type === 'done') finish({ status: 'done', result: m.result });
      else if (m.type === 'cancelled') finish({ status: 'cancelled', step: m.step });
      else if (m.type === 'error') finish({ status: 'error', message: m.message, badSpec: m.badSpec });
    });
    worker.on('error', (e) => finish({ status: 'error', message: `training worker failed: ${e.message}`, badSpec: false }));
    worker.on('exit', (code) => finish({ status: 'error', message: `training worker exited (code ${code})`, badSpec: false }));
    const { onSnapshot: _ignored, ...options } = opts;
    send({ type: 'start', id, spec, options, cancel: cancelBuf });
    const handle: TrainingHandle = {
      id,
      outcome,
      cancel: async (): Promise<void> => {
        if (finished) return;
        Atomics.store(flag, 0, 1);
        send({ type: 'cancel', id }); // a paused worker is waiting for messages, not stepping
        const timer = setTimeout(() => finish({ status: 'cancelled', step: -1 }), this.graceMs);
        await outcome;
        clearTimeout(timer);
      },
      pause,
      step: (): Promise<PausedAt | null> => (finished || !held ? Promise.resolve(null) : ask('step')),
      resume: (): void => {
        if (finished || !held) return;
        held = false;
        last = null;
        for (const r of replies) r.stale = true;
        send({ type: 'resume', id });
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
    const configs = experimentConfigs(parseExperiment(raw)); // each spec parsed here, once
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
