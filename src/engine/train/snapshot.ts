// What a training reports: a diagnostics snapshot while it runs (streamed by the worker and
// printed by the CLI's --diagnostics), why it stopped early, and the result at the end.

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

/** Per-step losses one snapshot carries at most (a clock-driven stream sends one sooner). */
export const MAX_LOSSES_PER_SNAPSHOT = 200_000;

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
