// Live decision boundaries while runs train. Snapshots carry no parameters, so a run's
// current parameters are recovered by replaying it: the same spec and seed give bitwise-
// identical runs, so training a copy to the current step reproduces the weights exactly.
// One replay at a time for the whole session, a few per second, and only while a replay is
// cheap (the run's own training time so far is under MAX_REPLAY_MS); longer runs show
// their boundary at pause, step and the end instead.
import type { BoundaryView } from '../../shared/protocol';
import type { TrainingSpec } from '../../shared/training';
import type { TrainingHandle, TrainingRunner } from '../../worker/runner';
import { computeBoundary } from './boundary';

/** ms between replays (the whole session). */
export const PROBE_MS = 300;
/** Runs whose training so far took longer than this are not replayed live. */
export const MAX_REPLAY_MS = 1000;

export interface ProbeTarget {
  readonly id: number;
  readonly step: number;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly spec: TrainingSpec;
  readonly inputDim: number;
  /** Training-loop time so far (the latest snapshot's elapsedMs). */
  readonly elapsedMs: number;
  readonly live: boolean;
}

export class LiveBoundaries {
  private timer: ReturnType<typeof setInterval> | undefined;
  private handle: TrainingHandle | undefined;
  private next = 0;
  /** Replays started (tests read it). */
  probes = 0;

  constructor(
    private readonly runner: TrainingRunner,
    private readonly targets: () => readonly ProbeTarget[],
    private readonly onBoundary: (id: number, step: number, b: BoundaryView) => void,
  ) {}

  start(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), PROBE_MS);
  }

  private tick(): void {
    if (this.handle) return;
    const all = this.targets();
    if (!all.some((t) => t.live)) {
      void this.stop();
      return;
    }
    const list = all.filter((t) => t.live && t.inputDim <= 2 && t.step > 0 && t.elapsedMs < MAX_REPLAY_MS);
    if (!list.length) return;
    const t = list[this.next++ % list.length] as ProbeTarget;
    // a huge interval: the replay sends only its first and last snapshot
    const h = this.runner.start({ ...t.raw, steps: t.step }, { snapshotIntervalMs: 1e9 });
    this.handle = h;
    this.probes++;
    void h.outcome.then((o) => {
      if (this.handle === h) this.handle = undefined;
      if (o.status !== 'done') return;
      try {
        const b = computeBoundary(t.spec, o.result.final_params_flat);
        if (b) this.onBoundary(t.id, t.step, b);
      } catch {
        // no boundary for this replay
      }
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const h = this.handle;
    this.handle = undefined;
    await h?.cancel();
  }
}
