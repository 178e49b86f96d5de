// The messages between the extension host and a training worker (src/worker/trainingWorker.ts),
// and their validators. The host validates the spec once (parseTrainingSpec) and sends it
// parsed; the worker runs it and answers every control (pause, resume, step, cancel) itself.
// Pure TypeScript: no vscode, no Node APIs.
import type { BoundaryView } from '../engine/train/boundary';
import type { TrainingResult, TrainingSnapshot } from '../engine/train/snapshot';
import type { Precision, TrainingSpec } from '../engine/train/spec';
import { isBoundary, isSnapshot } from './protocol';

export interface RunOptions {
  readonly precision?: Precision;
  /** Minimum time between snapshots (ms); the first and last are always sent. */
  readonly snapshotIntervalMs?: number;
  /** With the time interval: also a snapshot once this many steps have passed since the last (a floor on how dense the history is, whatever the machine's speed). */
  readonly snapshotMaxGapSteps?: number;
  /** Instead of a time interval: a snapshot exactly every N steps (deterministic; for tests and exports). */
  readonly snapshotEverySteps?: number;
  /** Histogram bins for activation histograms. */
  readonly histogramBins?: number;
  /** Snapshots also carry the decision boundary (1-D/2-D inputs), drawn in the worker from the model it trains. */
  readonly boundary?: boolean;
  /** With boundary: at least this many ms between snapshots that carry one (the last, paused and stepped ones always do). */
  readonly boundaryMs?: number;
  /** Start paused: send the step-0 snapshot, then wait for resume or step. */
  readonly paused?: boolean;
}

export type HostToWorker =
  | {
      readonly type: 'start';
      readonly id: number;
      /** Already validated by parseTrainingSpec on the host. */
      readonly spec: TrainingSpec;
      readonly options: RunOptions;
      /** Int32Array over it: index 0 set to 1 means "stop now" (read between steps). */
      readonly cancel: SharedArrayBuffer;
    }
  | { readonly type: 'pause' | 'resume' | 'step' | 'cancel'; readonly id: number };

export type WorkerToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'snapshot'; readonly id: number; readonly snapshot: TrainingSnapshot; readonly boundary?: BoundaryView }
  /** The training waits at `step` (after a pause or a step); `result` is the run so far. */
  | { readonly type: 'paused'; readonly id: number; readonly step: number; readonly result: TrainingResult }
  | { readonly type: 'done'; readonly id: number; readonly result: TrainingResult }
  | { readonly type: 'cancelled'; readonly id: number; readonly step: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly badSpec: boolean };

const CONTROLS: readonly string[] = ['pause', 'resume', 'step', 'cancel'];

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isResult(v: unknown): v is TrainingResult {
  return isObj(v) && Array.isArray(v.loss_per_step) && Array.isArray(v.final_params_flat);
}

/** Checks a message from the worker (it crosses a thread boundary; trust nothing). */
export function isWorkerToHost(m: unknown): m is WorkerToHost {
  if (!isObj(m) || typeof m.type !== 'string') return false;
  if (m.type === 'ready') return true;
  if (typeof m.id !== 'number') return false;
  switch (m.type) {
    case 'snapshot':
      return isSnapshot(m.snapshot) && (m.boundary === undefined || isBoundary(m.boundary));
    case 'paused':
      return typeof m.step === 'number' && isResult(m.result);
    case 'done':
      return isResult(m.result);
    case 'cancelled':
      return typeof m.step === 'number';
    case 'error':
      return typeof m.message === 'string' && typeof m.badSpec === 'boolean';
    default:
      return false;
  }
}

/** Checks a message from the host. */
export function isHostToWorker(m: unknown): m is HostToWorker {
  if (!isObj(m) || typeof m.id !== 'number' || typeof m.type !== 'string') return false;
  if (CONTROLS.includes(m.type)) return true;
  return m.type === 'start' && isObj(m.spec) && isObj(m.options) && m.cancel instanceof SharedArrayBuffer;
}
