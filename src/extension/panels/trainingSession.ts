// The dashboard's trainings on the host side: one TrainingRunner worker per run, snapshots
// coalesced to at most one message per run per frame (≈30 fps), history decimated so memory
// stays bounded, and the controls the worker protocol does not have built in:
//
// - pause  = cancel the worker, remember the step reached;
// - resume = start again and drop snapshots up to that step (same spec + seed give
//            bitwise-identical runs, so the replay lands exactly where it paused);
// - step   = run the same spec with `steps` = k + 1 to completion.
// Decision boundaries (1-D/2-D inputs) are drawn live from the float32 parameters the
// worker's snapshots carry (at most every BOUNDARY_MS per run), and exactly from the
// parameters a finished (or truncated) run returns.
import type { BoundaryView, FocusChart, HostToDashboard, RunInfo, RunStatus } from '../../shared/protocol';
import { Decimator, LIMITS } from '../../shared/protocol';
import type { TrainingResult, TrainingSnapshot, TrainingSpec } from '../../shared/training';
import { TrainingRunner, type TrainingHandle } from '../../worker/runner';
import { BoundaryPlotter } from './boundary';
import type { RunRequest, SavedSession, SessionSummary } from './sessionTypes';
import { SAVED_HISTORY } from './sessionTypes';

export type { RunRequest, SavedSession, SessionSummary } from './sessionTypes';

/** ms between flushes to the webview (the charts redraw once per flush). */
export const FLUSH_MS = 33;
/** Snapshots kept per run; older ones are decimated 2:1 whenever this is exceeded. */
export const HISTORY_CAP = 600;
/**
 * Live boundary redraws (a grid forward pass each, 1–4 ms for the demos, on the host thread):
 * one run per flush at most, each run at most every BOUNDARY_MS and every 10× its last cost.
 */
export const BOUNDARY_MS = 100;

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
  /** Built on first use; null when the run has no 1-D/2-D boundary to draw. */
  plotter?: BoundaryPlotter | null;
  /** The newest snapshot parameters not drawn yet; when the next live boundary may be drawn. */
  params?: Float32Array;
  drawAfter: number;
  result?: TrainingResult;
  handle?: TrainingHandle;
  /** Snapshots at or below this step are replays and are dropped. */
  skipUpTo: number;
}

/** Strips per-step losses (kept by the trainer's result) and parameters so stored snapshots stay small. */
function slim(s: TrainingSnapshot): TrainingSnapshot {
  const { params: _params, ...rest } = s;
  return { ...rest, losses: [], fromStep: s.step };
}

export class TrainingSession {
  private runs: Run[] = [];
  private nextRun = 1;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly runner: TrainingRunner;
  private listeners: ((s: SessionSummary) => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  title = '';
  lookAt = '';
  focus: FocusChart | undefined;
  /** Messages posted to the webview (tests count them to check the coalescing). */
  posted = 0;

  constructor(
    workerPath: string,
    private readonly emit: (m: HostToDashboard) => void,
  ) {
    this.runner = new TrainingRunner(workerPath);
  }

  /** Live boundaries drawn from snapshot parameters (tests read it). */
  liveBoundaries = 0;

  onChange(cb: (s: SessionSummary) => void): void {
    this.listeners.push(cb);
  }

  /** Control operations in progress (a pause is cancelling, then replaying). */
  private busy = 0;

  /** Runs with a live worker, plus one while a control operation is still in progress. */
  get running(): number {
    return this.runs.filter((r) => r.handle).length + (this.busy > 0 ? 1 : 0);
  }

  summary(): SessionSummary {
    const live = this.runs.filter((r) => r.handle);
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
      if (!paused) this.launch(run, r.spec.steps);
      else this.status(run, 'paused', 'ready: press Step or Resume');
    }
    this.changed();
  }

  private newRun(r: RunRequest, status: RunStatus): Run {
    const d = r.spec.sizes;
    return {
      info: { runId: this.nextRun++, label: r.label, task: r.spec.task, inputDim: d[0] as number, hiddenLayers: d.length - 2, steps: r.spec.steps },
      spec: r.spec, raw: r.raw, status, message: '', step: 0,
      history: new Decimator<TrainingSnapshot>(HISTORY_CAP), pending: [], boundaryDirty: false, drawAfter: 0, skipUpTo: -1,
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
    this.launch(run, r.spec.steps);
  }

  /** Starts a worker for `run` up to `steps`; a probe replays silently (stays paused). */
  private launch(run: Run, steps: number, probe = false): void {
    run.skipUpTo = run.step > 0 || probe ? run.step : -1;
    // The worker parses the spec itself: hand it the JSON the run came from.
    const spec = { ...run.raw, steps };
    const handle = this.runner.start(spec, {
      // Each snapshot evaluates the whole data set (≈5–20 ms for a few thousand rows), so a
      // short interval keeps the charts near 30 updates/s; the flush timer caps the rate.
      snapshotIntervalMs: 15,
      histogramBins: 24,
      snapshotParams: run.info.inputDim <= 2,
      snapshotParamsMs: BOUNDARY_MS,
      onSnapshot: (s) => this.onSnapshot(run, s),
    });
    run.handle = handle;
    if (!probe) this.status(run, 'running', '');
    void handle.outcome.then((o) => {
      if (run.handle !== handle) return;
      run.handle = undefined;
      run.params = undefined; // the run's own parameters (exact) or its pause replay's win
      if (o.status === 'done') {
        run.result = o.result;
        run.step = o.result.loss_per_step.length;
        this.updateBoundary(run, o.result);
        const finished = run.step >= run.spec.steps || o.result.diverged !== undefined;
        this.status(run, finished ? 'done' : 'paused', o.result.diverged?.reason ?? (finished ? 'finished' : `paused at step ${run.step}`));
      } else if (o.status === 'cancelled') {
        if (run.status === 'running') this.status(run, 'paused', `paused at step ${run.step}`);
      } else this.status(run, 'error', o.message);
      this.flush();
      this.changed();
    });
    this.changed();
  }

  private onSnapshot(run: Run, s: TrainingSnapshot): void {
    if (s.step <= run.skipUpTo) return;
    run.step = s.step;
    const slimmed = slim(s);
    run.history.push(slimmed);
    run.pending.push(slimmed);
    if (run.pending.length > LIMITS.snapshotsPerMessage) run.pending.splice(0, run.pending.length - LIMITS.snapshotsPerMessage);
    if (s.params) run.params = s.params;
    this.schedule();
  }

  /** The run's plotter, built once (null when there is nothing to draw or its data fails). */
  private plotterOf(run: Run): BoundaryPlotter | null {
    if (run.plotter === undefined) {
      try {
        run.plotter = BoundaryPlotter.create(run.spec) ?? null;
      } catch {
        run.plotter = null;
      }
    }
    return run.plotter;
  }

  /** Draws a run's newest snapshot parameters into its boundary (a forward pass cannot throw). */
  private drawLive(run: Run, params: Float32Array): void {
    run.params = undefined;
    const t0 = performance.now();
    const b = this.plotterOf(run)?.fromFlat(params);
    const t1 = performance.now();
    run.drawAfter = t1 + Math.max(BOUNDARY_MS, 10 * (t1 - t0));
    if (!b) return;
    run.boundary = b;
    run.boundaryDirty = true;
    this.liveBoundaries++;
  }

  private updateBoundary(run: Run, result: TrainingResult): void {
    try {
      run.boundary = this.plotterOf(run)?.fromTensors(result.final_params_flat);
      run.boundaryDirty = run.boundary !== undefined;
    } catch {
      run.boundary = undefined;
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
  }

  /** Sends what accumulated since the last frame: one message per run at most. */
  flush(): void {
    let any = false;
    const now = performance.now();
    // one live boundary per frame: the run whose parameters have waited longest
    const waiting = this.runs.filter((r) => r.params);
    const due = waiting.filter((r) => r.drawAfter <= now).sort((a, b) => a.drawAfter - b.drawAfter)[0];
    if (due?.params) this.drawLive(due, due.params);
    any = waiting.length > 0; // parameters still waiting keep the timer alive
    for (const run of this.runs) {
      if (!run.pending.length && !run.boundaryDirty) continue;
      any = true;
      const snapshots = run.pending;
      run.pending = [];
      const boundary = run.boundaryDirty ? run.boundary : undefined;
      run.boundaryDirty = false;
      this.send({ type: 'run/snapshots', runId: run.info.runId, snapshots, ...(boundary ? { boundary } : {}) });
    }
    if (!any && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.changed();
  }

  private status(run: Run, status: RunStatus, message: string): void {
    run.status = status;
    run.message = message;
    this.send({ type: 'run/status', runId: run.info.runId, status, message });
  }

  private send(m: HostToDashboard): void {
    this.posted++;
    this.emit(m);
  }

  async control(cmd: 'pause' | 'resume' | 'step' | 'stop' | 'reset'): Promise<void> {
    this.busy++;
    try {
      await this.controlNow(cmd);
    } finally {
      this.busy--;
      this.changed();
    }
  }

  private async controlNow(cmd: 'pause' | 'resume' | 'step' | 'stop' | 'reset'): Promise<void> {
    switch (cmd) {
      case 'pause':
        for (const r of this.runs) if (r.handle && r.status === 'running') {
          r.status = 'paused';
          const h = r.handle;
          r.handle = undefined;
          await h.cancel();
          this.flush();
          this.status(r, 'paused', `paused at step ${r.step}`);
          this.launch(r, r.step, true); // a truncated replay returns the parameters → boundary
        }
        break;
      case 'resume':
      case 'step':
        for (const r of this.runs) {
          if (r.status !== 'paused') continue;
          if (r.handle) {
            // a boundary probe is still replaying: drop it
            const h = r.handle;
            r.handle = undefined;
            await h.cancel();
          }
          if (cmd === 'resume') this.launch(r, r.spec.steps);
          else if (r.step < r.spec.steps) this.launch(r, r.step + 1, true);
        }
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
          message: r.status === 'running' || r.status === 'paused' ? `stopped at step ${r.step} by the reload` : r.message,
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
          history, pending: [], boundary: r.boundary, boundaryDirty: false, drawAfter: 0, skipUpTo: -1,
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

  /** Runs for exports and code generation. */
  snapshot(): readonly { info: RunInfo; spec: TrainingSpec; raw: Readonly<Record<string, unknown>>; status: RunStatus; message: string; history: readonly TrainingSnapshot[]; result?: TrainingResult }[] {
    return this.runs.map((r) => ({ info: r.info, spec: r.spec, raw: r.raw, status: r.status, message: r.message, history: r.history.values(), result: r.result }));
  }

  async dispose(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.cancelAll();
    await this.runner.dispose();
    this.listeners = [];
  }
}
