// The decision surface (2-D inputs) or fitted curve (1-D inputs) of a network, for the
// parameters it is training with (the worker draws it live and sends it with snapshots) or
// those a run returned. A 40×40 grid through a tiny MLP is about a millisecond of work.
import { lossAndGrad } from './losses';
import type { Model } from './model';
import { buildModel, prepareData } from './setup';
import type { TrainingSpec } from './spec';

/** Decision surface on a grid (2-D input) or the fitted curve (1-D input). */
export interface BoundaryView {
  readonly kind: '2d' | '1d';
  readonly xmin: number;
  readonly xmax: number;
  readonly ymin: number;
  readonly ymax: number;
  /** 2-D: nx·ny predictions row-major (y outer); 1-D: nx predictions at evenly spaced x. */
  readonly nx: number;
  readonly ny: number;
  readonly values: readonly number[];
  /** Data points: x0, x1 (1-D: x, target) and label/target. */
  readonly px: readonly number[];
  readonly py: readonly number[];
  readonly plabel: readonly number[];
}

const GRID = 40;
const CURVE = 200;
const MAX_POINTS = 2000;

/** Maps the network's output to what the heatmap shows: P(class 1), class index, or ŷ. */
function readout(spec: TrainingSpec, out: ArrayLike<number>, row: number, nOut: number): number {
  if (spec.task === 'multiclass') {
    let best = 0;
    for (let k = 1; k < nOut; k++) if ((out[row * nOut + k] as number) > (out[row * nOut + best] as number)) best = k;
    return best;
  }
  const v = out[row * nOut] as number;
  if (spec.task === 'regression') return v;
  if (spec.output_activation === 'sigmoid') return v;
  if (spec.output_activation === 'tanh') return (v + 1) / 2;
  return 1 / (1 + Math.exp(-v)); // logits (BCE with logits)
}

/**
 * Draws one run's decision surface (2-D inputs) or fitted curve (1-D) for any parameters of
 * its network. Built once per run: the data set, the grid inputs and the points shown are
 * prepared here, so each view is one forward pass over the grid (what the worker's live boundary
 * does for the model it trains, at most every `boundaryMs`).
 */
export class BoundaryPlotter {
  private readonly model: Model;
  private readonly nOut: number;
  private readonly xmin: number;
  private readonly xmax: number;
  private readonly ymin: number;
  private readonly ymax: number;
  private readonly px: number[] = [];
  private readonly py: number[] = [];
  private readonly plabel: number[] = [];

  /** Undefined when the inputs are not 1-D or 2-D (nothing to draw). */
  static create(spec: TrainingSpec): BoundaryPlotter | undefined {
    const d = spec.sizes[0];
    return d === 1 || d === 2 ? new BoundaryPlotter(spec, d) : undefined;
  }

  private constructor(private readonly spec: TrainingSpec, private readonly d: 1 | 2) {
    this.nOut = spec.sizes[spec.sizes.length - 1] as number;
    const { train } = prepareData(spec);
    this.model = buildModel(spec, Float64Array, d === 2 ? GRID * GRID : CURVE);
    // Bounds of the data, padded by 10 %.
    const lo = [Infinity, Infinity];
    const hi = [-Infinity, -Infinity];
    for (let i = 0; i < train.n; i++) {
      for (let c = 0; c < d; c++) {
        const v = train.X[i * d + c] as number;
        lo[c] = Math.min(lo[c] as number, v);
        hi[c] = Math.max(hi[c] as number, v);
      }
    }
    const pad = (c: number): [number, number] => {
      const a = lo[c] as number, b = hi[c] as number;
      const m = Math.max(1e-6, (b - a) * 0.1);
      return [a - m, b + m];
    };
    [this.xmin, this.xmax] = pad(0);
    const stride = Math.max(1, Math.ceil(train.n / MAX_POINTS));
    const input = this.model.input;
    if (d === 2) {
      [this.ymin, this.ymax] = pad(1);
      for (let j = 0; j < GRID; j++) {
        for (let i = 0; i < GRID; i++) {
          const r = j * GRID + i;
          input[r * 2] = this.xmin + ((this.xmax - this.xmin) * (i + 0.5)) / GRID;
          input[r * 2 + 1] = this.ymin + ((this.ymax - this.ymin) * (j + 0.5)) / GRID;
        }
      }
      for (let i = 0; i < train.n; i += stride) {
        this.px.push(train.X[i * 2] as number);
        this.py.push(train.X[i * 2 + 1] as number);
        this.plabel.push(train.Y[i * train.t] as number);
      }
    } else {
      let ymin = Infinity, ymax = -Infinity;
      for (let i = 0; i < CURVE; i++) input[i] = this.xmin + ((this.xmax - this.xmin) * i) / (CURVE - 1);
      for (let i = 0; i < train.n; i += stride) {
        const x = train.X[i] as number, y = train.Y[i * train.t] as number;
        this.px.push(x);
        this.py.push(y);
        this.plabel.push(y);
        ymin = Math.min(ymin, y);
        ymax = Math.max(ymax, y);
      }
      this.ymin = ymin;
      this.ymax = ymax;
    }
  }

  /** The view for parameters given per torch tensor (a run's `final_params_flat`). */
  fromTensors(paramsFlat: readonly (readonly number[])[]): BoundaryView | undefined {
    const { model } = this;
    if (paramsFlat.length !== model.tensors.length) return undefined;
    model.tensors.forEach((t, i) => {
      const p = paramsFlat[i] as readonly number[];
      if (p.length === t.length) model.params.set(p, t.offset);
    });
    return this.view();
  }

  /** The view for the whole flat parameter vector (a model's `params`, in its order). */
  fromFlat(params: ArrayLike<number>): BoundaryView | undefined {
    if (params.length !== this.model.params.length) return undefined;
    this.model.params.set(params);
    return this.view();
  }

  private view(): BoundaryView {
    const { model, spec, nOut, xmin, xmax, px, py, plabel } = this;
    const rows = this.d === 2 ? GRID * GRID : CURVE;
    model.forward(rows, false, null);
    const values = Array.from({ length: rows }, (_, r) => readout(spec, model.output, r, nOut));
    if (this.d === 2) return { kind: '2d', xmin, xmax, ymin: this.ymin, ymax: this.ymax, nx: GRID, ny: GRID, values, px: [...px], py: [...py], plabel: [...plabel] };
    let ymin = this.ymin, ymax = this.ymax;
    for (const v of values) if (Number.isFinite(v)) {
      ymin = Math.min(ymin, v);
      ymax = Math.max(ymax, v);
    }
    if (!Number.isFinite(ymin)) [ymin, ymax] = [-1, 1];
    return { kind: '1d', xmin, xmax, ymin, ymax, nx: CURVE, ny: 1, values: values.map((v) => (Number.isFinite(v) ? v : 0)), px: [...px], py: [...py], plabel: [...plabel] };
  }
}

/** The view for a run's final parameters, given per tensor (`final_params_flat`). */
export function computeBoundary(spec: TrainingSpec, paramsFlat: readonly (readonly number[])[]): BoundaryView | undefined {
  return BoundaryPlotter.create(spec)?.fromTensors(paramsFlat);
}

/**
 * ‖∂L/∂W‖₂ of every dense layer at the given parameters, on the whole training set (one
 * full-batch forward/backward pass, no penalty). An independent check of the trainer's norms.
 */
export function fullBatchGradNorms(spec: TrainingSpec, paramsFlat: readonly (readonly number[])[]): number[] | undefined {
  const { train } = prepareData(spec);
  const model = buildModel(spec, Float64Array, train.n);
  if (paramsFlat.length !== model.tensors.length) return undefined;
  model.tensors.forEach((t, i) => {
    const p = paramsFlat[i] as readonly number[];
    if (p.length === t.length) model.params.set(p, t.offset);
  });
  model.input.set(train.X);
  model.forward(train.n, false, null);
  const out = model.layers[model.layers.length - 1];
  if (!out) return undefined;
  lossAndGrad(spec.loss, model.output, train.Y, train.n, spec.sizes[spec.sizes.length - 1] as number, out.da);
  model.backward(train.n);
  return model.layers.map((L) => {
    let s = 0;
    for (let i = 0; i < L.gW.length; i++) s += (L.gW[i] as number) ** 2;
    return Math.sqrt(s);
  });
}
