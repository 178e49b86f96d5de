// The training loop. One step, as PyTorch does it: forward on the step's batch, loss
// (+ L1/L2 penalty), backward, [record step-0 gradients], clip_grad_norm_, optimizer step.
// Deterministic: all randomness (minibatch order, dropout) comes from streams derived from
// the spec's seed, so the same spec gives bitwise-identical float64 results.
import { Rng } from '../random';
import type { Dataset } from './data';
import { binaryThreshold, evaluate, loadRows } from './diagnostics';
import { lossAndGrad } from './losses';
import type { Model } from './model';
import { applyPenalty, clipGradNorm, makeOptimizer, type Optimizer } from './optimizers';
import { buildModel, prepareData, trainingShape } from './setup';
import { checkTraining, DEFAULT_LIMITS, type LimitHints, type Limits } from '../limits';
import { SpecError } from './spec';
import type { Divergence, TrainingResult, TrainingSnapshot } from './snapshot';
import type { Precision, TrainingSpec } from './spec';
import { SnapshotStream } from './stream';

export interface TrainerOptions {
  /** Overrides spec.precision. */
  readonly precision?: Precision;
  readonly histogramBins?: number;
  /** float32 only: use the WebAssembly SIMD kernels when available (default true). */
  readonly simd?: boolean;
  /** Memory limit checked before anything is allocated (default DEFAULT_LIMITS; the CLI's --max-memory). */
  readonly limits?: Limits;
  /** How the refusal says to get past the limit (default: for the dashboard, no CLI options). */
  readonly hints?: LimitHints;
}

/** Refusal hints where there are no command-line options (the dashboard, demos). */
const APP_HINTS: LimitHints = {
  memory: 'use a smaller network, batch or data set',
  output: 'use fewer steps',
  work: 'use fewer steps, a smaller batch or network',
};

/** Rows evaluated per chunk at most (bounds buffer memory for large CSV files). */
const EVAL_CHUNK = 4096;

export class Trainer {
  readonly spec: TrainingSpec;
  readonly model: Model;
  readonly train: Dataset;
  readonly test: Dataset | null;
  /** Per-step losses (grows as needed: interactive runs may have huge step budgets). */
  private lossBuf: Float64Array;
  /** Optimizer steps done. */
  step = 0;
  diverged: Divergence | null = null;
  elapsedMs = 0;
  grads0: number[][] | null = null;
  weightGradNorm0: number[] | null = null;
  /** Per dense layer, from the last recorded step. */
  lastWeightGradNorms: number[];
  lastUpdateRatios: number[];
  private readonly opt: Optimizer;
  private readonly rng: Rng;
  private readonly targets: Float64Array;
  private readonly nOut: number;
  private readonly bins: number;
  private order: Int32Array | null = null;
  private cursor = 0;
  /** The input buffer already holds the full training set (full-batch runs copy it once). */
  private fullLoaded = false;
  private readonly prevW: Float64Array[];

  constructor(spec: TrainingSpec, opts: TrainerOptions = {}) {
    this.spec = spec;
    // Memory is checked before the data is generated or any buffer allocated: a training that
    // would not fit is a clear refusal, not an out-of-memory crash or a frozen machine.
    const refusal = checkTraining(trainingShape(spec, { precision: opts.precision }), opts.limits ?? DEFAULT_LIMITS, { output: false, work: false }, opts.hints ?? APP_HINTS);
    if (refusal) throw new SpecError(refusal);
    const { train, test } = prepareData(spec);
    this.train = train;
    this.test = test;
    const precision = opts.precision ?? spec.precision;
    const batchMax = spec.batches ? Math.max(...spec.batches.map((b) => b.length)) : spec.batch_size ? Math.min(spec.batch_size, train.n) : train.n;
    const capacity = Math.max(batchMax, Math.min(Math.max(train.n, test?.n ?? 0), EVAL_CHUNK));
    this.model = buildModel(spec, precision === 'float32' ? Float32Array : Float64Array, capacity, opts.simd ?? true);
    this.opt = makeOptimizer(spec.optimizer, this.model.params.length, this.model.ctor);
    this.rng = Rng.derive(spec.seed, 'train');
    this.lossBuf = new Float64Array(Math.min(spec.steps, 1 << 16));
    this.nOut = spec.sizes[spec.sizes.length - 1] as number;
    this.targets = new Float64Array(capacity * train.t);
    this.bins = opts.histogramBins ?? 20;
    const L = this.model.layers.length;
    this.lastWeightGradNorms = new Array<number>(L).fill(0);
    this.lastUpdateRatios = new Array<number>(L).fill(0);
    this.prevW = this.model.layers.map((l) => new Float64Array(l.W.length));
  }

  /** Losses of the steps done so far. */
  get losses(): Float64Array {
    return this.lossBuf.subarray(0, this.step);
  }

  get done(): boolean {
    return this.step >= this.spec.steps || this.diverged !== null;
  }

  /** Fills the input and target buffers with step s's batch; returns its size. */
  private loadBatch(s: number): number {
    const { train, model, spec } = this;
    const t = train.t;
    // rows [from, to) of `idx` form the batch (no per-step views or allocation)
    let idx: ArrayLike<number> | null = null;
    let from = 0, to = 0;
    if (spec.batches) {
      idx = spec.batches[s % spec.batches.length] as number[];
      to = idx.length;
    } else if (spec.batch_size && spec.batch_size < train.n) {
      // seeded shuffles, one per epoch; the last partial batch of an epoch is kept (torch DataLoader)
      if (!this.order || this.cursor >= train.n) {
        this.order = this.rng.permutation(train.n);
        this.cursor = 0;
      }
      idx = this.order;
      from = this.cursor;
      to = Math.min(train.n, from + spec.batch_size);
      this.cursor = to;
    }
    if (!idx) {
      if (!this.fullLoaded) {
        loadRows(model, train, 0, train.n);
        this.targets.set(train.Y);
        this.fullLoaded = true;
      }
      return train.n;
    }
    this.fullLoaded = false;
    const d = train.d;
    const input = model.input;
    const X = train.X, Y = train.Y, T = this.targets;
    for (let r = 0, k = from; k < to; r++, k++) {
      const j = idx[k] as number;
      for (let c = 0; c < d; c++) input[r * d + c] = X[j * d + c] as number;
      for (let c = 0; c < t; c++) T[r * t + c] = Y[j * t + c] as number;
    }
    return to - from;
  }

  /** One optimizer step. `record` also measures per-layer gradient norms and update ratios. */
  stepOnce(record = false): void {
    if (this.done) return;
    const s = this.step;
    const { model, spec } = this;
    const B = this.loadBatch(s);
    model.forward(B, true, this.rng);
    const outL = model.layers[model.layers.length - 1];
    if (!outL) return;
    let loss = lossAndGrad(spec.loss, model.output, this.targets, B, this.nOut, outL.da);
    model.backward(B);
    if (spec.l1 !== 0 || spec.l2 !== 0) loss += applyPenalty(model, spec.l1, spec.l2);
    if (s >= this.lossBuf.length) {
      const grown = new Float64Array(Math.min(this.spec.steps, this.lossBuf.length * 2 + 16));
      grown.set(this.lossBuf);
      this.lossBuf = grown;
    }
    this.lossBuf[s] = loss;
    if (s === 0) {
      this.grads0 = model.tensors.map((tn) => Array.from(model.grads.subarray(tn.offset, tn.offset + tn.length)));
      this.weightGradNorm0 = model.layers.map((L) => l2norm(L.gW));
    }
    if (!Number.isFinite(loss)) {
      this.diverged = { step: s, reason: `Training diverged at step ${s}: the loss became ${loss} — the weights or outputs grew too large. Try a lower learning rate, gradient clipping or normalization.` };
      this.step = s + 1;
      return;
    }
    if (record) {
      model.layers.forEach((L, l) => {
        this.lastWeightGradNorms[l] = l2norm(L.gW);
        (this.prevW[l] as Float64Array).set(L.W);
      });
    }
    if (spec.grad_clip_norm !== null) {
      const total = clipGradNorm(model, spec.grad_clip_norm);
      if (!Number.isFinite(total)) {
        this.diverged = { step: s, reason: `Training diverged at step ${s}: the gradient norm became ${total}.` };
        this.step = s + 1;
        return;
      }
    }
    this.opt.step(model.params, model.grads);
    if (record) {
      model.layers.forEach((L, l) => {
        const prev = this.prevW[l] as Float64Array;
        let du = 0, w = 0;
        for (let i = 0; i < prev.length; i++) {
          const d = (L.W[i] as number) - (prev[i] as number);
          du += d * d;
          w += (prev[i] as number) ** 2;
        }
        this.lastUpdateRatios[l] = w > 0 ? Math.sqrt(du / w) : du > 0 ? Infinity : 0;
      });
    }
    this.step = s + 1;
  }

  /** Runs up to `n` steps (or until done); returns the steps run. Timed into elapsedMs. */
  run(n = Infinity): number {
    const t0 = performance.now();
    let k = 0;
    while (k < n && !this.done) {
      this.stepOnce(false);
      k++;
    }
    this.elapsedMs += performance.now() - t0;
    return k;
  }

  /** True while the next step is the run's last (its diagnostics must be recorded). */
  get lastStepNext(): boolean {
    return this.step + 1 >= this.spec.steps;
  }

  /** Diagnostics now, on the whole training (and test) set. `fromStep` picks the losses to include. */
  snapshot(fromStep: number): TrainingSnapshot {
    const thr = binaryThreshold(this.spec.output_activation);
    this.fullLoaded = false; // evaluation overwrites the input buffer
    const tr = evaluate(this.model, this.train, this.spec.loss, thr, true, this.bins);
    const te = this.test ? evaluate(this.model, this.test, this.spec.loss, thr, false, this.bins) : null;
    const grad = this.lastWeightGradNorms;
    return {
      step: this.step,
      steps: this.spec.steps,
      fromStep,
      losses: Array.from(this.lossBuf.subarray(fromStep, this.step)),
      trainLoss: tr.loss,
      testLoss: te ? te.loss : null,
      trainAccuracy: tr.accuracy,
      testAccuracy: te ? te.accuracy : null,
      layers: (tr.layers ?? []).map((st, k) => ({ ...st, weightGradNorm: grad[k] as number, updateRatio: this.lastUpdateRatios[k] as number })),
      weightGradNorms: [...grad],
      elapsedMs: this.elapsedMs,
    };
  }

  /** The CLI/reference result after training. */
  result(): TrainingResult {
    const thr = binaryThreshold(this.spec.output_activation);
    this.fullLoaded = false; // evaluation overwrites the input buffer
    const fin = evaluate(this.model, this.train, this.spec.loss, thr, false);
    const te = this.test ? evaluate(this.model, this.test, this.spec.loss, thr, false) : null;
    const { model } = this;
    return {
      loss_per_step: Array.from(this.lossBuf.subarray(0, this.step)),
      grads_step0_flat: this.grads0 ?? [],
      weight_grad_norm_step0: this.weightGradNorm0 ?? [],
      final_params_flat: model.tensors.map((tn) => Array.from(model.params.subarray(tn.offset, tn.offset + tn.length))),
      final_loss: fin.loss,
      final_accuracy: fin.accuracy,
      final_dead_fraction_per_hidden_layer: fin.dead,
      elapsed_ms: this.elapsedMs,
      ...(this.diverged ? { diverged: this.diverged } : {}),
      ...(te ? { test_loss: te.loss, test_accuracy: te.accuracy } : {}),
    };
  }
}

function l2norm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (a[i] as number);
  return Math.sqrt(s);
}

/**
 * Trains with a diagnostics snapshot every `every` steps (and at steps 0 and the end): the
 * step-indexed form of the stream the worker sends (the same SnapshotStream, stepped by step
 * count instead of the clock).
 */
export function trainWithDiagnostics(spec: TrainingSpec, every: number, opts: TrainerOptions = {}): { result: TrainingResult; snapshots: TrainingSnapshot[] } {
  const t = new Trainer(spec, opts);
  const stream = new SnapshotStream(t, { everySteps: every });
  const snapshots = [stream.now()];
  for (let s = stream.next(); s; s = stream.next()) snapshots.push(s);
  return { result: t.result(), snapshots };
}

/** Trains a validated spec to the end and returns the result (synchronous; use the runner off-thread). */
export function trainSpec(spec: TrainingSpec, opts: TrainerOptions = {}): TrainingResult {
  const t = new Trainer(spec, opts);
  t.run();
  return t.result();
}
