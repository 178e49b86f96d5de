// Resource estimates and limits, checked BEFORE anything is allocated: what a training
// needs in memory (weights, gradients, optimizer state, per-batch activations, data,
// history and result copies), how much it computes, how much JSON it prints, and how big a
// vector function's Jacobian is. Pure arithmetic over plain numbers (no spec types), so the
// CLI, the worker and the dashboard can all ask before they start. A refusal is one line
// that says what, how much, the limit, and the option that overrides it.

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** The longest JSON a float64 can print as ("-1.2345678901234567e-308") plus its comma. */
export const JSON_BYTES_PER_NUMBER = 25;

export interface Limits {
  /** Estimated peak memory of one training (bytes). CLI: --max-memory. */
  readonly maxMemoryBytes: number;
  /** Estimated size of one printed result (bytes). CLI: --max-output. */
  readonly maxOutputBytes: number;
  /** Multiply-adds of one training (steps × batch × weights × 3, plus evaluation). CLI: --max-work. */
  readonly maxWork: number;
  /** Entries of a full Jacobian (n²) for vector functions. Above it: --jacobian diag|none. */
  readonly maxJacobianEntries: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxMemoryBytes: 2 * GiB,
  maxOutputBytes: 64 * MiB,
  maxWork: 5e10,
  maxJacobianEntries: 1_000_000,
};

export type OptimizerKind = 'sgd' | 'adam' | 'adamw' | 'rmsprop';

/** What a training looks like, as far as its cost goes. */
export interface TrainingShape {
  readonly sizes: readonly number[];
  readonly optimizer: {
    readonly kind: OptimizerKind;
    readonly momentum?: number;
    readonly amsgrad?: boolean;
    readonly centered?: boolean;
  };
  readonly precision: 'float64' | 'float32';
  readonly steps: number;
  /** Rows of the training set and of the held-out test set. */
  readonly trainRows: number;
  readonly testRows: number;
  /** Rows of the largest batch (the training set's size for full-batch runs). */
  readonly batchRows: number;
  readonly norm: 'none' | 'batch' | 'layer';
  /** Dropout probability per hidden layer (missing = 0). */
  readonly dropout: readonly number[];
  readonly outputActivation: boolean;
  /** Target columns per row (1 for labels, nOut for regression). */
  readonly targetColumns: number;
  /** Diagnostics snapshots kept (CLI --diagnostics), 0 if none. */
  readonly snapshots?: number;
  /** The result is printed as JSON (the CLI): its text counts towards memory. */
  readonly printsJson?: boolean;
}

/** A request refused by a limit; the message is the one-line refusal. */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** How a refusal tells the user to get past each limit (the CLI's options by default). */
export interface LimitHints {
  readonly memory: string;
  readonly output: string;
  readonly work: string;
}

export const CLI_HINTS: LimitHints = {
  memory: 'set --max-memory to override',
  output: 'use fewer steps or set --max-output to override',
  work: 'use fewer steps, a smaller batch or network, or set --max-work to override',
};

export interface MemoryEstimate {
  readonly weights: number;
  readonly gradients: number;
  readonly optimizer: number;
  readonly activations: number;
  readonly data: number;
  /** Per-step losses, step-0 gradients, previous weights, the result's copies. */
  readonly history: number;
  readonly total: number;
}

/** Rows evaluated per chunk at most (the trainer's EVAL_CHUNK). */
const EVAL_CHUNK = 4096;

/** Parameter counts: dense weights only, and everything (biases, norm's γ and β). */
export function parameterCounts(sizes: readonly number[], norm: TrainingShape['norm'] = 'none'): { weights: number; params: number } {
  let weights = 0;
  let params = 0;
  const L = sizes.length - 1;
  for (let l = 0; l < L; l++) {
    const nIn = sizes[l] as number, nOut = sizes[l + 1] as number;
    weights += nIn * nOut;
    params += nIn * nOut + nOut + (l < L - 1 && norm !== 'none' ? 2 * nOut : 0);
  }
  return { weights, params };
}

/** Copies of the parameters the optimizer keeps (torch.optim's state). */
export function optimizerCopies(o: TrainingShape['optimizer']): number {
  switch (o.kind) {
    case 'sgd':
      return (o.momentum ?? 0) !== 0 ? 1 : 0; // momentum_buffer
    case 'adam':
    case 'adamw':
      return 2 + (o.amsgrad ? 1 : 0); // exp_avg, exp_avg_sq (+ max_exp_avg_sq)
    case 'rmsprop':
      return 1 + (o.centered ? 1 : 0) + ((o.momentum ?? 0) > 0 ? 1 : 0); // square_avg, grad_avg, momentum_buffer
  }
}

/** The trainer's buffer capacity in rows (largest batch, or evaluation chunk). */
export function capacityRows(s: TrainingShape): number {
  return Math.max(s.batchRows, Math.min(Math.max(s.trainRows, s.testRows), EVAL_CHUNK));
}

/**
 * Peak memory of a training, in bytes, buffer by buffer as src/engine/train allocates them:
 * per layer z and dz always, x̂, h, dh with normalisation, f and da with an activation, mask
 * and a with dropout (capacity rows each); the input and targets; float64 data; float64
 * copies of the weights (update ratios), of the step-0 gradients and of the final
 * parameters; per-step losses twice (buffer and result), plus the result's printed JSON
 * when it is printed. A held-out test set copies the data once more (the split).
 */
export function trainingMemory(s: TrainingShape): MemoryEstimate {
  const f = s.precision === 'float32' ? 4 : 8;
  const { weights: W, params: P } = parameterCounts(s.sizes, s.norm);
  const cap = capacityRows(s);
  const L = s.sizes.length - 1;
  let actFloats = cap * (s.sizes[0] ?? 0);
  for (let l = 0; l < L; l++) {
    const hidden = l < L - 1;
    const n = cap * (s.sizes[l + 1] as number);
    let k = 2; // z, dz
    if (hidden && s.norm !== 'none') k += 3; // xhat, h, dh
    if (hidden || s.outputActivation) k += 2; // f, da
    if (hidden && (s.dropout[l] ?? 0) > 0) k += 2; // mask, a
    actFloats += k * n;
  }
  const activations = actFloats * f + cap * s.targetColumns * 8;
  const inCols = s.sizes[0] ?? 0;
  const data = (s.trainRows + s.testRows) * (inCols + s.targetColumns) * 8 * (s.testRows > 0 ? 2 : 1);
  const snapshots = s.snapshots ?? 0;
  const history = W * 8 + 2 * P * 8 + 2 * s.steps * 8 + snapshots * 512 + (s.printsJson ? trainingOutputBytes(s) : 0);
  const weights = P * f;
  const gradients = P * f;
  const optimizer = optimizerCopies(s.optimizer) * P * f;
  return { weights, gradients, optimizer, activations, data, history, total: weights + gradients + optimizer + activations + data + history };
}

/** Upper bound on the printed result: losses per step, step-0 gradients, final parameters. */
export function trainingOutputBytes(s: TrainingShape): number {
  const { params: P } = parameterCounts(s.sizes, s.norm);
  const layers = s.sizes.length;
  return (s.steps + 2 * P + 4 * layers + 16) * JSON_BYTES_PER_NUMBER + 1024;
}

/**
 * Multiply-adds: forward (B·W) and backward (2·B·W: ∂W and ∂x) per step, the optimizer's
 * pass over the parameters, a fixed per-step overhead (batch loading, loss, bookkeeping: STEP_OVERHEAD),
 * and the final evaluation over the training and test rows.
 */
/** Multiply-add equivalents of one step's fixed costs (a 2-3-1 step takes ~5 µs). */
const STEP_OVERHEAD = 2000;

export function trainingWork(s: TrainingShape): number {
  const { weights: W, params: P } = parameterCounts(s.sizes, s.norm);
  return s.steps * (3 * s.batchRows * W + 4 * P + STEP_OVERHEAD) + (s.trainRows + s.testRows) * W * (1 + (s.snapshots ?? 0));
}

/** "2-30000-30000-1". */
export function sizesLabel(sizes: readonly number[]): string {
  return sizes.join('-');
}

const OPTIMIZER_LABEL: Record<OptimizerKind, string> = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop' };

/**
 * The first limit a training breaks, as one line, or null when it fits. Checked in the order
 * memory, output, work, so the biggest problem is named first. `checks` leaves out output
 * and work for interactive runs (the dashboard prints nothing and can be stopped).
 */
export function checkTraining(
  s: TrainingShape,
  limits: Limits = DEFAULT_LIMITS,
  checks: { readonly output?: boolean; readonly work?: boolean } = {},
  hints: LimitHints = CLI_HINTS,
): string | null {
  const net = `a ${sizesLabel(s.sizes)} network with ${OPTIMIZER_LABEL[s.optimizer.kind]} (${s.precision})`;
  const m = trainingMemory(s);
  if (m.total > limits.maxMemoryBytes) {
    const parts = [
      `weights ${formatBytes(m.weights)}`,
      `gradients ${formatBytes(m.gradients)}`,
      m.optimizer ? `optimizer state ${formatBytes(m.optimizer)}` : '',
      `activations ${formatBytes(m.activations)}`,
      `data ${formatBytes(m.data)}`,
      `history and results ${formatBytes(m.history)}`,
    ].filter(Boolean);
    return `${net} needs about ${formatBytes(m.total)} of memory (${parts.join(', ')}); the limit is ${formatBytes(limits.maxMemoryBytes)} — ${hints.memory}`;
  }
  const out = trainingOutputBytes(s);
  if (checks.output !== false && out > limits.maxOutputBytes) {
    return `${s.steps} steps of ${net} print up to ${formatBytes(out)} of results (a loss per step and two copies of the ${parameterCounts(s.sizes, s.norm).params} parameters); the limit is ${formatBytes(limits.maxOutputBytes)} — ${hints.output}`;
  }
  const work = trainingWork(s);
  if (checks.work !== false && work > limits.maxWork) {
    return `${s.steps} steps of ${net} on batches of ${s.batchRows} rows need about ${formatCount(work)} multiply-adds; the limit is ${formatCount(limits.maxWork)} — ${hints.work}`;
  }
  return null;
}

export type JacobianMode = 'none' | 'diag' | 'full';

/** Refusal for a full Jacobian of an n-vector above the limit, or null. */
export function checkJacobian(n: number, mode: JacobianMode, limits: Limits = DEFAULT_LIMITS): string | null {
  if (mode !== 'full') return null;
  const entries = n * n;
  if (entries <= limits.maxJacobianEntries) return null;
  const side = Math.floor(Math.sqrt(limits.maxJacobianEntries));
  return `a full Jacobian of ${n} inputs has ${formatCount(entries)} entries (about ${formatBytes(entries * JSON_BYTES_PER_NUMBER)} of JSON); full Jacobians are limited to ${side} inputs (${formatCount(limits.maxJacobianEntries)} entries) — use --jacobian diag (∂y[i]/∂x[i] only) or --jacobian none`;
}

/** Refusal for a printed eval result above the output limit, or null. */
export function checkEvalOutput(points: number, numbersPerPoint: number, limits: Limits = DEFAULT_LIMITS): string | null {
  const bytes = points * numbersPerPoint * JSON_BYTES_PER_NUMBER;
  if (bytes <= limits.maxOutputBytes) return null;
  return `${formatCount(points)} points print up to ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxOutputBytes)} — use fewer points or set --max-output to override`;
}

// ---------------------------------------------------------------------------------------
// units

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, kib: KiB,
  m: 1e6, mb: 1e6, mib: MiB,
  g: 1e9, gb: 1e9, gib: GiB,
  t: 1e12, tb: 1e12, tib: 1024 * GiB,
};

/** "2GiB", "512 MB", "1.5g", "1e9" → bytes; undefined when it is not a positive size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = UNITS[(m[3] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  const v = Number(`${m[1]}e${m[2] ?? '0'}`) * unit;
  return Number.isFinite(v) && v > 0 ? Math.round(v) : undefined;
}

/** A positive count: "1e6", "2000000", "2_000_000"; undefined otherwise. */
export function parseCount(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  if (!/^(\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Binary units, three significant digits: 1536 → "1.5 KiB", 2³¹ → "2 GiB". */
export function formatBytes(n: number): string {
  const units: [number, string][] = [[1024 ** 4, 'TiB'], [GiB, 'GiB'], [MiB, 'MiB'], [KiB, 'KiB']];
  for (const [size, name] of units) if (n >= size) return `${sig3(n / size)} ${name}`;
  return `${Math.round(n)} bytes`;
}

/** 2e11 → "2e11", 12345 → "12345", 1.2345e7 → "1.23e7". */
export function formatCount(n: number): string {
  if (n < 1e6) return String(Math.round(n));
  const e = Math.floor(Math.log10(n));
  return `${sig3(n / 10 ** e)}e${e}`;
}

function sig3(v: number): string {
  return String(Number(v.toPrecision(3)));
}
