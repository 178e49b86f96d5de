// What the training worker does with each message, without the thread around it (so a test
// can drive it directly): one training at a time, stepped by the engine's SnapshotStream in
// slices of at most SLICE_MS so control messages (pause, resume, step, cancel) are read
// between slices; cancel is also seen between any two steps through a shared flag. The live
// decision boundary is drawn here, from the model being trained, and sent with snapshots.
import { BoundaryPlotter, type BoundaryView } from '../engine/train/boundary';
import { SpecError } from '../engine/train/spec';
import type { TrainingSnapshot } from '../engine/train/snapshot';
import { SnapshotStream } from '../engine/train/stream';
import { Trainer } from '../engine/train/trainer';
import { isHostToWorker, type HostToWorker, type WorkerToHost } from '../shared/workerProtocol';

/** Longest stretch of training between two looks at the message queue (ms). */
export const SLICE_MS = 10;

export interface JobDeps {
  /** Sends a message to the host. */
  post(m: WorkerToHost): void;
  /** Runs `fn` after pending messages have been handled (setImmediate in the worker). */
  defer(fn: () => void): void;
  /** ms clock; default performance.now. */
  clock?(): number;
}

type StartMessage = Extract<HostToWorker, { type: 'start' }>;

class TrainingJob {
  readonly id: number;
  private state: 'running' | 'paused' | 'over' = 'running';
  private scheduled = false;
  private readonly flag: Int32Array;
  private readonly plotter: BoundaryPlotter | null;
  private boundaryAt = -Infinity;
  private readonly boundaryMs: number;

  private constructor(
    m: StartMessage,
    private readonly trainer: Trainer,
    private readonly stream: SnapshotStream,
    private readonly deps: Required<JobDeps>,
  ) {
    this.id = m.id;
    this.flag = new Int32Array(m.cancel);
    this.boundaryMs = m.options.boundaryMs ?? 0;
    let plotter: BoundaryPlotter | null = null;
    if (m.options.boundary === true) {
      try {
        plotter = BoundaryPlotter.create(m.spec) ?? null;
      } catch {
        plotter = null; // no boundary rather than no training
      }
    }
    this.plotter = plotter;
  }

  /** Builds the training (a spec the engine cannot run ends as an error) and starts it. */
  static start(m: StartMessage, deps: Required<JobDeps>): TrainingJob | null {
    let trainer: Trainer;
    try {
      trainer = new Trainer(m.spec, { precision: m.options.precision, histogramBins: m.options.histogramBins });
    } catch (e) {
      deps.post({ type: 'error', id: m.id, message: (e as Error).message, badSpec: e instanceof SpecError });
      return null;
    }
    const stream = new SnapshotStream(trainer, { everySteps: m.options.snapshotEverySteps, intervalMs: m.options.snapshotIntervalMs, maxGapSteps: m.options.snapshotMaxGapSteps, clock: deps.clock });
    const job = new TrainingJob(m, trainer, stream, deps);
    job.send(stream.now(), true);
    if (m.options.paused === true) job.pausedHere();
    else job.schedule();
    return job;
  }

  control(type: 'pause' | 'resume' | 'step' | 'cancel'): void {
    if (this.state === 'over') return;
    switch (type) {
      case 'pause':
        if (this.state !== 'running') return;
        this.state = 'paused';
        this.send(this.stream.now(), true);
        this.pausedHere();
        return;
      case 'resume':
        if (this.state !== 'paused') return;
        this.state = 'running';
        this.schedule();
        return;
      case 'step': {
        if (this.state !== 'paused') return;
        const s = this.stream.step();
        if (s) this.send(s, true);
        if (this.trainer.done) this.finish();
        else this.pausedHere();
        return;
      }
      case 'cancel':
        this.cancelled();
        return;
    }
  }

  /** Ends the job without a message (a new start replaced it). */
  abandon(): void {
    this.state = 'over';
  }

  private cancelled(): void {
    this.state = 'over';
    this.deps.post({ type: 'cancelled', id: this.id, step: this.trainer.step });
  }

  private pausedHere(): void {
    this.state = 'paused';
    this.deps.post({ type: 'paused', id: this.id, step: this.trainer.step, result: this.trainer.result() });
  }

  private finish(): void {
    this.state = 'over';
    this.deps.post({ type: 'done', id: this.id, result: this.trainer.result() });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.deps.defer(() => {
      this.scheduled = false;
      try {
        this.slice();
      } catch (e) {
        this.state = 'over';
        this.deps.post({ type: 'error', id: this.id, message: `internal error: ${(e as Error).message}`, badSpec: false });
      }
    });
  }

  private cancelFlagged(): boolean {
    return Atomics.load(this.flag, 0) !== 0;
  }

  /** Trains for up to SLICE_MS, sending the snapshots that fall due, then yields to the message loop. */
  private slice(): void {
    if (this.state !== 'running') return;
    const { clock } = this.deps;
    const end = clock() + SLICE_MS;
    const stop = (): boolean => this.state !== 'running' || this.cancelFlagged() || clock() >= end;
    for (;;) {
      const s = this.stream.next(stop);
      if (s) {
        this.send(s, this.trainer.done);
        if (this.trainer.done) return this.finish();
        if (this.state === 'running' && clock() < end) continue;
      } else if (this.trainer.done) return this.finish();
      break;
    }
    if (this.state !== 'running') return; // paused or cancelled by a message meanwhile
    if (this.cancelFlagged()) return this.cancelled();
    this.schedule();
  }

  private send(snapshot: TrainingSnapshot, always: boolean): void {
    let boundary: BoundaryView | undefined;
    if (this.plotter) {
      const now = this.deps.clock();
      if (always || now - this.boundaryAt >= this.boundaryMs) {
        boundary = this.plotter.fromFlat(this.trainer.model.params);
        this.boundaryAt = now;
      }
    }
    this.deps.post({ type: 'snapshot', id: this.id, snapshot, ...(boundary ? { boundary } : {}) });
  }
}

/** The worker's message handler: starts a training per 'start', routes controls to it. */
export function trainingWorker(deps: JobDeps): (m: unknown) => void {
  const full: Required<JobDeps> = { post: deps.post, defer: deps.defer, clock: deps.clock ?? ((): number => performance.now()) };
  let job: TrainingJob | null = null;
  return (m: unknown): void => {
    if (!isHostToWorker(m)) return;
    try {
      if (m.type === 'start') {
        job?.abandon();
        job = TrainingJob.start(m, full);
      } else if (job && job.id === m.id) job.control(m.type);
    } catch (e) {
      job?.abandon();
      job = null;
      full.post({ type: 'error', id: m.id, message: `internal error: ${(e as Error).message}`, badSpec: false });
    }
  };
}
