// Training specs, snapshots, results and the worker ⇄ host messages. Shared by the engine,
// the worker, the CLI, the extension and the dashboard webview; no vscode, no Node APIs.
//
// A spec is one entry of the reference file's `trainings[]` (PyTorch semantics), optionally
// extended with generated data, initializer schemes, per-layer activations, regularisation,
// normalisation and minibatching. `parseTrainingSpec` validates untrusted JSON and returns a
// spec with every option explicit; its errors are one plain sentence naming the field.
export type { Task, LossName, Precision, TrainingSpec, ActivationChoice, OptimizerSpec, InitSchemeSpec, ExplicitInit, DatasetSpec } from './trainingSpec';
export { parseTrainingSpec, SpecError, TASK_LOSS, INIT_SCHEMES, DATASET_KINDS } from './trainingSpec';

/** Diagnostics of one hidden layer at one snapshot (computed on the whole training set). */
export interface LayerDiagnostics {
  /** Hidden layer index, 0 = the first hidden layer. */
  readonly layer: number;
  readonly activation: string;
  readonly units: number;
  /** Units whose activation is exactly 0 for every sample. */
  readonly deadFraction: number;
  /** Fraction of all (sample, unit) activations that are exactly 0. */
  readonly sparsity: number;
  /** Units whose |f′(pre-activation)| < 1e-3 for at least 95% of samples (sigmoid/tanh tails). */
  readonly saturationFraction: number;
  readonly mean: number;
  readonly std: number;
  readonly histogram: { readonly min: number; readonly max: number; readonly counts: number[] };
  /** ‖∂L/∂W‖₂ of the dense layer feeding this hidden layer, at the last step. */
  readonly weightGradNorm: number;
  /** ‖ΔW‖₂ / ‖W‖₂ of that layer's last optimizer step. */
  readonly updateRatio: number;
}

export interface TrainingSnapshot {
  /** Optimizer steps done so far. */
  readonly step: number;
  readonly steps: number;
  /** Per-step minibatch losses for steps [fromStep, step) not sent in an earlier snapshot. */
  readonly fromStep: number;
  readonly losses: number[];
  readonly trainLoss: number;
  readonly testLoss: number | null;
  readonly trainAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly layers: LayerDiagnostics[];
  /** ‖∂L/∂W‖₂ of every dense layer (output layer last), at the last step. */
  readonly weightGradNorms: number[];
  readonly elapsedMs: number;
  /**
   * Only when RunOptions.snapshotParams asked for it: every parameter after `step` steps,
   * flat in the model's order, as float32 (half the bytes; plenty for drawing the decision
   * boundary). The extension host reads it and never forwards it to a webview.
   */
  readonly params?: Float32Array;
}

/** Why a training stopped early: loss or parameters stopped being finite numbers. */
export interface Divergence {
  readonly step: number;
  readonly reason: string;
}

/** The CLI's JSON and the reference's `expect` layouts (W row-major [out][in]). */
export interface TrainingResult {
  readonly loss_per_step: number[];
  readonly grads_step0_flat: number[][];
  readonly weight_grad_norm_step0: number[];
  readonly final_params_flat: number[][];
  readonly final_loss: number;
  readonly final_accuracy: number | null;
  readonly final_dead_fraction_per_hidden_layer: number[];
  /** The training loop alone (no parsing, no data generation, no final evaluation). */
  readonly elapsed_ms: number;
  readonly diverged?: Divergence;
  readonly test_loss?: number | null;
  readonly test_accuracy?: number | null;
}

// ---------------------------------------------------------------------------------------
// worker ⇄ host messages

export interface RunOptions {
  readonly precision?: 'float64' | 'float32';
  /** Minimum time between snapshots (ms); the first and last are always sent. */
  readonly snapshotIntervalMs?: number;
  /** Instead of a time interval: a snapshot exactly every N steps (deterministic; for tests and exports). */
  readonly snapshotEverySteps?: number;
  /** Histogram bins for activation histograms. */
  readonly histogramBins?: number;
  /** Snapshots also carry the flat parameters (float32) for live decision boundaries. */
  readonly snapshotParams?: boolean;
  /** With snapshotParams: at least this many ms between snapshots that carry them (the last always does). */
  readonly snapshotParamsMs?: number;
}

export type HostToWorker =
  | {
      readonly type: 'start';
      readonly id: number;
      readonly spec: unknown;
      readonly options: RunOptions;
      /** Int32Array over it: index 0 set to 1 means "stop now" (read between steps). */
      readonly cancel: SharedArrayBuffer;
    }
  | { readonly type: 'cancel'; readonly id: number };

export type WorkerToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'snapshot'; readonly id: number; readonly snapshot: TrainingSnapshot }
  | { readonly type: 'done'; readonly id: number; readonly result: TrainingResult }
  | { readonly type: 'cancelled'; readonly id: number; readonly step: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly badSpec: boolean };

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a message from the worker (it crosses a thread boundary; trust nothing). */
export function isWorkerToHost(m: unknown): m is WorkerToHost {
  if (!isObj(m) || typeof m.type !== 'string') return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'snapshot':
      return typeof m.id === 'number' && isTrainingSnapshot(m.snapshot);
    case 'done':
      return typeof m.id === 'number' && isObj(m.result) && Array.isArray(m.result.loss_per_step);
    case 'cancelled':
      return typeof m.id === 'number' && typeof m.step === 'number';
    case 'error':
      return typeof m.id === 'number' && typeof m.message === 'string';
    default:
      return false;
  }
}

const isNum = (v: unknown): boolean => typeof v === 'number';
const isNumArray = (v: unknown): boolean => Array.isArray(v) && v.every(isNum);

/** Checks a snapshot's shape field by field (webviews receive them through the extension host). */
export function isTrainingSnapshot(v: unknown): v is TrainingSnapshot {
  if (!isObj(v)) return false;
  const numOrNull = (x: unknown): boolean => x === null || isNum(x);
  if (!['step', 'steps', 'fromStep', 'trainLoss', 'elapsedMs'].every((k) => isNum(v[k]))) return false;
  if (!isNumArray(v.losses) || !isNumArray(v.weightGradNorms)) return false;
  if (!['testLoss', 'trainAccuracy', 'testAccuracy'].every((k) => numOrNull(v[k]))) return false;
  if (!Array.isArray(v.layers)) return false;
  if (v.params !== undefined && !(v.params instanceof Float32Array)) return false;
  return v.layers.every(
    (L: unknown) =>
      isObj(L) &&
      typeof L.activation === 'string' &&
      ['layer', 'units', 'deadFraction', 'sparsity', 'saturationFraction', 'mean', 'std', 'weightGradNorm', 'updateRatio'].every((k) => isNum(L[k])) &&
      isObj(L.histogram) &&
      isNum(L.histogram.min) &&
      isNum(L.histogram.max) &&
      isNumArray(L.histogram.counts),
  );
}

/** Checks a message from the host. */
export function isHostToWorker(m: unknown): m is HostToWorker {
  if (!isObj(m) || typeof m.id !== 'number') return false;
  if (m.type === 'cancel') return true;
  return m.type === 'start' && isObj(m.options) && m.cancel instanceof SharedArrayBuffer;
}

