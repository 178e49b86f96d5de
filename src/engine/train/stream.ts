// The one snapshot stream of a training: steps a Trainer and says when a diagnostics
// snapshot is due — every N steps (deterministic: the CLI's --diagnostics, tests) or by the
// clock (the worker that feeds the dashboard). The caller decides what happens between
// calls (the worker checks for pause/cancel and yields to its message loop); the stream only
// steps and snapshots, so the same spec gives the same training however it is watched.
import type { TrainingSnapshot } from './snapshot';
import { MAX_LOSSES_PER_SNAPSHOT } from './snapshot';

/** What the stream needs of a training (./trainer.ts `Trainer`). */
export interface SteppedTraining {
  readonly done: boolean;
  readonly step: number;
  /** True while the next step is the run's last. */
  readonly lastStepNext: boolean;
  elapsedMs: number;
  /** One step; `record` also measures gradient norms and update ratios. */
  stepOnce(record: boolean): void;
  snapshot(fromStep: number): TrainingSnapshot;
}

export interface StreamOptions {
  /** A snapshot exactly every N steps (and at the end). */
  readonly everySteps?: number;
  /** Without everySteps: at least this many ms between snapshots (default 50; the last is always sent). */
  readonly intervalMs?: number;
  /** Without everySteps: also a snapshot once this many steps have passed since the last, however slow the clock says they were (so a run's history has at least steps ÷ maxGapSteps points on any machine). */
  readonly maxGapSteps?: number;
  /** The clock for intervals and elapsed time (ms); default performance.now. */
  readonly clock?: () => number;
}

const DEFAULT_INTERVAL_MS = 50;
/** Snapshot costs remembered for spacing the next ones. */
const COST_WINDOW = 4;

export class SnapshotStream {
  private readonly every: number | undefined;
  private readonly interval: number;
  private readonly clock: () => number;
  private readonly maxGap: number;
  /** Losses of steps below this were sent in an earlier snapshot. */
  private sent = 0;
  private last: number;
  private gap: number;
  private readonly costs: number[] = [];

  constructor(
    readonly trainer: SteppedTraining,
    opts: StreamOptions = {},
  ) {
    for (const [name, v] of [['everySteps', opts.everySteps], ['maxGapSteps', opts.maxGapSteps]] as const) {
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new RangeError(`${name} must be a positive integer, got ${v}`);
    }
    this.maxGap = Math.min(opts.maxGapSteps ?? MAX_LOSSES_PER_SNAPSHOT, MAX_LOSSES_PER_SNAPSHOT);
    this.every = opts.everySteps;
    this.interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.clock = opts.clock ?? ((): number => performance.now());
    this.gap = this.interval;
    this.last = this.clock();
  }

  /** True once the training has run all its steps or diverged. */
  get done(): boolean {
    return this.trainer.done;
  }

  /** The snapshot at the current step: the first one (step 0), and what a pause shows. */
  now(): TrainingSnapshot {
    const s = this.trainer.snapshot(this.sent);
    this.sent = this.trainer.step;
    this.last = this.clock();
    return s;
  }

  /**
   * Runs steps until a snapshot is due (returned; the run's last step always makes one), or
   * `stop()` answers true before a step, or the run is already over (null for both).
   */
  next(stop: () => boolean = never): TrainingSnapshot | null {
    const t = this.trainer;
    while (!t.done) {
      if (stop()) return null;
      const t0 = this.clock();
      const due = this.every ? (t.step + 1) % this.every === 0 : t0 - this.last >= this.gap || t.step + 1 - this.sent >= this.maxGap;
      // the last step always records its gradient norms and update ratios (full diagnostics)
      t.stepOnce(due || t.lastStepNext);
      const t1 = this.clock();
      t.elapsedMs += t1 - t0;
      if (due || t.done) return this.emit(t1);
    }
    return null;
  }

  /** Exactly one step, with full diagnostics, and its snapshot (null when the run is over). */
  step(): TrainingSnapshot | null {
    const t = this.trainer;
    if (t.done) return null;
    const t0 = this.clock();
    t.stepOnce(true);
    const t1 = this.clock();
    t.elapsedMs += t1 - t0;
    return this.emit(t1);
  }

  private emit(stepEnd: number): TrainingSnapshot {
    const s = this.trainer.snapshot(this.sent);
    this.sent = this.trainer.step;
    this.last = this.clock();
    if (this.every === undefined) {
      // Diagnostics evaluate the whole data set: on big sets, space them so they stay ≤ 20% of
      // the time (gap = 4 × a snapshot's cost). The cost is the smallest of the last few
      // measured: the first snapshots run before the JIT has compiled the evaluation, and under
      // contention (a comparison runs 3 workers on 2 cores) one slow measurement used to space a
      // whole short run's snapshots ~1 s apart. The step-0 snapshot is the coldest of all and is
      // not counted, and the gap at most doubles per snapshot.
      this.costs.push(this.last - stepEnd);
      if (this.costs.length > COST_WINDOW) this.costs.shift();
      this.gap = Math.max(this.interval, Math.min(2 * this.gap, 4 * Math.min(...this.costs)));
    }
    return s;
  }
}

function never(): boolean {
  return false;
}
