// The dashboard's trainings on the host side: one TrainingRunner worker per run, snapshots
// coalesced to at most one message per run per frame (≈30 fps), history decimated so memory
// stays bounded. Pause, resume and step go to the worker, which holds the training where it
// is (no replay); the decision boundaries (1-D/2-D inputs) come drawn by the worker with its
// snapshots, spaced so the page gets at most about 1000 / BOUNDARY_MS of them per second in
// all (each is tens of kB of JSON to parse and draw), and always at the end, a pause and a step.
import type { BoundaryView } from '../engine/train/boundary';
import type { TrainingResult, TrainingSnapshot } from '../engine/train/snapshot';
import type { TrainingSpec } from '../engine/train/spec';
import type { FocusChart, HostToDashboard, RunInfo, RunStatus, TrainCommand } from '../shared/protocol';
import { Decimator } from '../engine/train/history';
import { LIMITS } from '../shared/protocol';
import { TrainingRunner, type PausedAt, type TrainingHandle } from '../worker/runner';
import type { RunRequest, SavedSession, SessionSummary } from './sessionTypes';
import { SAVED_HISTORY } from './sessionTypes';

export type { RunRequest, SavedSession, SessionSummary } from './sessionTypes';

/** ms between flushes to the webview (the charts redraw once per flush). */
export const FLUSH_MS = 33;
/** Snapshots kept per run; older ones are decimated 2:1 whenever this is exceeded. */
export const HISTORY_CAP = 600;
/** Every run streams at least this many snapshots, evenly spaced by step count at the least. */
export const MIN_SNAPSHOTS = 50;

/** The most steps between two of a run's snapshots (the clock usually sends them sooner). */
export function minSnapshotGap(steps: number): number {
  return Math.max(1, Math.ceil(steps / MIN_SNAPSHOTS));
}
/** Live boundaries (drawn in the worker): each run at most every BOUNDARY_MS × the number of runs shown. */
export const BOUNDARY_MS = 500;

/** Calls `frame` every FLUSH_MS until the returned stop function is called. */
export type FrameTimer = (frame: () => void) => () => void;

const intervalFrames: FrameTimer = (frame) => {
  const t = setInterval(frame, FLUSH_MS);
  return () => clearInterval(t);
};

interface Run {
  readonly info: RunInfo;
  readonly spec: TrainingSpec;
  readonly raw: Readonly<Record<string, unknown>>;
  status: RunStatus;
  message: string;
  /** Last step shown. */
  step: number;
  history: Decimator<TrainingSnapshot>;
  pending: TrainingSnapshot[];
  boundary?: BoundaryView;
  boundaryDirty: boolean;
  /** The run so far (finished, or where it is paused). */
  result?: TrainingResult;
  /** Its worker, alive while it runs or waits paused. */
  handle?: TrainingHandle;
}

/** Strips per-step losses (kept by the trainer's result) so stored snapshots stay small. */
function slim(s: TrainingSnapshot): TrainingSnapshot {
  return { ...s, losses: [], fromStep: s.step };
}

export class TrainingSession {
  private runs: Run[] = [];
  private nextRun = 1;
  /** Stops the frame timer while one runs. */
  private stopFrames: (() => void) | undefined;
  private readonly runner: TrainingRunner;
  private listeners: ((s: SessionSummary) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  title = '';
  lookAt = '';
  focus: FocusChart | undefined;

  /**
   * `emit` receives every message for the page; `workerPath` (or a runner) runs the trainings;
   * `frames` paces the flushes to the page (default every FLUSH_MS).
   */
  constructor(
    worker: string | TrainingRunner,
    private readonly emit: (m: HostToDashboard) => void,
    private readonly frames: FrameTimer = intervalFrames,
  ) {
    this.runner = typeof worker === 'string' ? new TrainingRunner(worker) : worker;
  }

  onChange(cb: (s: SessionSummary) => void): void {
    this.listeners.push(cb);
  }

  /** Control operations in progress (a pause waits for the workers to stop stepping). */
  private busy = 0;

  /** Runs training now (not paused), plus one while a control operation is still in progress. */
  get running(): number {
    return this.runs.filter(isTraining).length + (this.busy > 0 ? 1 : 0);
  }

  summary(): SessionSummary {
    const live = this.runs.filter(isTraining);
    const text = live.map((r) => `${r.info.label} ${r.step}/${r.info.steps}`).join(' · ');
    return { running: live.length, text };
  }

  private changed(): void {
    const s = this.summary();
    for (const l of this.listeners) l(s);
    if (this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no run is active. */
  whenIdle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /** Replaces every run with these and starts them side by side. */
  async start(runs: readonly RunRequest[], title: string, lookAt: string, paused = false, focus?: FocusChart): Promise<void> {
    await this.cancelAll();
    this.runs = [];
    this.title = title;
    this.lookAt = lookAt;
    this.focus = focus;
    this.send({ type: 'runs/clear', title, lookAt, ...(focus ? { focus } : {}) });
    for (const r of runs) {
      const run = this.newRun(r, paused ? 'paused' : 'running');
      this.runs.push(run);
      this.send({ type: 'run/added', run: run.info });
      this.launch(run, paused);
    }
    this.changed();
  }

  private newRun(r: RunRequest, status: RunStatus): Run {
    const d = r.spec.sizes;
    return {
      info: { runId: this.nextRun++, label: r.label, task: r.spec.task, inputDim: d[0] as number, hiddenLayers: d.length - 2, steps: r.spec.steps },
      spec: r.spec, raw: r.raw, status, message: '', step: 0,
      history: new Decimator<TrainingSnapshot>(HISTORY_CAP), pending: [], boundaryDirty: false,
    };
  }

  /** Comparison mode: adds a run next to the ones shown (at most 8) and starts it. */
  add(r: RunRequest): void {
    if (this.runs.length >= 8) {
      const old = this.runs.shift();
      void old?.handle?.cancel();
    }
    const run = this.newRun(r, 'running');
    this.runs.push(run);
    this.send({ type: 'run/added', run: run.info });
    this.launch(run);
  }

  /** Starts a worker for `run` (a paused start waits at step 0 for Step or Resume). */
  private launch(run: Run, paused = false): void {
    const handle = this.runner.start(run.spec, {
      // Each snapshot evaluates the whole data set (≈5–20 ms for a few thousand rows), so a
      // short interval keeps the charts near 30 updates/s; the flush timer caps the rate.
      snapshotIntervalMs: 15,
      // however slow or busy the machine, a run's curves get at least MIN_SNAPSHOTS points
      snapshotMaxGapSteps: minSnapshotGap(run.spec.steps),
      histogramBins: 24,
      boundary: run.info.inputDim <= 2,
      boundaryMs: BOUNDARY_MS * Math.max(1, this.runs.length),
      paused,
      onSnapshot: (s, boundary) => this.onSnapshot(run, s, boundary),
    });
    run.handle = handle;
    this.status(run, paused ? 'paused' : 'running', paused ? 'ready: press Step or Resume' : '');
    void handle.outcome.then((o) => {
      if (run.handle !== handle) return;
      run.handle = undefined;
      if (o.status === 'done') {
        run.result = o.result;
        run.step = o.result.loss_per_step.length;
        this.status(run, 'done', o.result.diverged?.reason ?? 'finished');
      } else if (o.status === 'cancelled') {
        if (run.status === 'running' || run.status === 'paused') this.status(run, 'stopped', `stopped at step ${run.step}`);
      } else this.status(run, 'error', o.message);
      this.flush();
      this.changed();
    });
    this.changed();
  }

  private onSnapshot(run: Run, s: TrainingSnapshot, boundary: BoundaryView | undefined): void {
    if (boundary) {
      run.boundary = boundary;
      run.boundaryDirty = true;
    }
    // a pause re-sends the step it stopped at (with its boundary): history has it already
    if (s.step > run.step || run.history.size === 0) {
      run.step = s.step;
      const slimmed = slim(s);
      run.history.push(slimmed);
      run.pending.push(slimmed);
      if (run.pending.length > LIMITS.snapshotsPerMessage) run.pending.splice(0, run.pending.length - LIMITS.snapshotsPerMessage);
    }
    this.schedule();
  }

  /** The worker holds the run at `p`: the run so far becomes its result. */
  private pausedAt(run: Run, p: PausedAt | null): void {
    if (!p || !run.handle) return; // it finished (or was stopped) first
    run.result = p.result;
    run.step = Math.max(run.step, p.step);
    this.flush();
    this.status(run, 'paused', `paused at step ${p.step}`);
  }

  private schedule(): void {
    if (this.stopFrames) return;
    this.stopFrames = this.frames(() => this.flush());
  }

  /** Sends what accumulated since the last frame: one message per run at most. */
  flush(): void {
    let any = false;
    for (const run of this.runs) {
      if (!run.pending.length && !run.boundaryDirty) continue;
      any = true;
      const snapshots = run.pending;
      run.pending = [];
      const boundary = run.boundaryDirty ? run.boundary : undefined;
      run.boundaryDirty = false;
      this.send({ type: 'run/snapshots', runId: run.info.runId, snapshots, ...(boundary ? { boundary } : {}) });
    }
    if (!any && this.stopFrames) {
      this.stopFrames();
      this.stopFrames = undefined;
    }
    this.changed();
  }

  private status(run: Run, status: RunStatus, message: string): void {
    run.status = status;
    run.message = message;
    this.send({ type: 'run/status', runId: run.info.runId, status, message });
  }

  private send(m: HostToDashboard): void {
    this.emit(m);
  }

  async control(cmd: TrainCommand): Promise<void> {
    this.busy++;
    try {
      await this.controlNow(cmd);
    } finally {
      this.busy--;
      this.changed();
    }
  }

  private async controlNow(cmd: TrainCommand): Promise<void> {
    switch (cmd) {
      case 'pause':
        await Promise.all(
          this.runs.filter(isTraining).map(async (r) => {
            const h = r.handle as TrainingHandle;
            r.status = 'paused'; // no longer counted as running while the worker stops
            this.pausedAt(r, await h.pause());
          }),
        );
        break;
      case 'resume':
        for (const r of this.runs) {
          if (r.status !== 'paused' || !r.handle) continue;
          r.handle.resume();
          this.status(r, 'running', '');
        }
        break;
      case 'step':
        await Promise.all(this.runs.filter((r) => r.status === 'paused' && r.handle).map(async (r) => this.pausedAt(r, await (r.handle as TrainingHandle).step())));
        break;
      case 'stop':
        await this.cancelAll();
        for (const r of this.runs) if (r.status === 'running' || r.status === 'paused') this.status(r, 'stopped', `stopped at step ${r.step}`);
        break;
      case 'reset':
        await this.cancelAll();
        this.runs = [];
        this.send({ type: 'runs/clear', title: '', lookAt: '' });
        break;
    }
  }

  private async cancelAll(): Promise<void> {
    const hs = this.runs.flatMap((r) => (r.handle ? [r.handle] : []));
    for (const r of this.runs) r.handle = undefined;
    await Promise.all(hs.map((h) => h.cancel()));
    this.flush();
  }

  /**
   * What survives a window reload (the workers do not): finished runs with a further
   * decimated history, their boundary and final numbers; JSON-safe, a few hundred kB at most.
   */
  saved(): SavedSession {
    return {
      title: this.title,
      lookAt: this.lookAt,
      ...(this.focus ? { focus: this.focus } : {}),
      runs: this.runs.map((r) => {
        const hist = r.history.values();
        const stride = Math.max(1, Math.ceil(hist.length / SAVED_HISTORY));
        const kept = hist.filter((_, i) => i % stride === 0 || i === hist.length - 1);
        return {
          info: r.info,
          raw: r.raw,
          status: r.status === 'running' || r.status === 'paused' ? 'stopped' : r.status,
          message: r.status === 'running' || r.status === 'paused' ? `stopped at step ${r.step} (the panel was closed or the window reloaded)` : r.message,
          step: r.step,
          history: kept,
          ...(r.boundary ? { boundary: r.boundary } : {}),
        };
      }),
    };
  }

  /** Shows saved runs again (after a reload); they cannot be resumed. Bad data is skipped. */
  restore(s: SavedSession, parse: (raw: unknown) => TrainingSpec): void {
    this.title = s.title;
    this.lookAt = s.lookAt;
    this.focus = s.focus;
    this.runs = [];
    for (const r of s.runs) {
      try {
        const history = new Decimator<TrainingSnapshot>(HISTORY_CAP);
        for (const h of r.history) history.push(h);
        this.nextRun = Math.max(this.nextRun, r.info.runId + 1);
        this.runs.push({
          info: r.info, spec: parse(r.raw), raw: r.raw, status: r.status, message: r.message, step: r.step,
          history, pending: [], boundary: r.boundary, boundaryDirty: false,
        });
      } catch {
        // a spec this version no longer accepts: leave that run out
      }
    }
  }

  /** Everything the page needs after a (re)load: runs, decimated history, status, boundary. */
  replay(): HostToDashboard[] {
    const out: HostToDashboard[] = [{ type: 'runs/clear', title: this.title, lookAt: this.lookAt, ...(this.focus ? { focus: this.focus } : {}) }];
    for (const r of this.runs) {
      out.push({ type: 'run/added', run: r.info });
      const hist = r.history.values();
      for (let i = 0; i < hist.length; i += LIMITS.snapshotsPerMessage) {
        out.push({ type: 'run/snapshots', runId: r.info.runId, snapshots: hist.slice(i, i + LIMITS.snapshotsPerMessage) });
      }
      if (r.boundary) out.push({ type: 'run/snapshots', runId: r.info.runId, snapshots: [], boundary: r.boundary });
      out.push({ type: 'run/status', runId: r.info.runId, status: r.status, message: r.message });
    }
    return out;
  }

  /** Runs for exports and code generation, with the boundary last drawn for each. */
  snapshot(): readonly { info: RunInfo; spec: TrainingSpec; raw: Readonly<Record<string, unknown>>; status: RunStatus; message: string; history: readonly TrainingSnapshot[]; result?: TrainingResult; boundary?: BoundaryView }[] {
    return this.runs.map((r) => ({ info: r.info, spec: r.spec, raw: r.raw, status: r.status, message: r.message, history: r.history.values(), result: r.result, boundary: r.boundary }));
  }

  async dispose(): Promise<void> {
    this.stopFrames?.();
    this.stopFrames = undefined;
    await this.cancelAll();
    await this.runner.dispose();
    this.listeners = [];
  }
}

/** A run whose worker is stepping (not paused, not over). */
function isTraining(r: Run): boolean {
  return r.handle !== undefined && r.status === 'running';
}
