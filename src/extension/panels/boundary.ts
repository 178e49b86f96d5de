// The decision surface (2-D inputs) or fitted curve (1-D inputs) of a trained network,
// from the parameters a finished (or paused) run returned. Runs on the host: a 40×40 grid
// through a tiny MLP is well under a millisecond of work.
import { lossAndGrad } from '../../engine/train/losses';
import { buildModel, prepareData } from '../../engine/train/setup';
import type { TrainingSpec } from '../../shared/training';
import type { BoundaryView } from '../../shared/protocol';

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

export function computeBoundary(spec: TrainingSpec, paramsFlat: readonly (readonly number[])[]): BoundaryView | undefined {
  const d = spec.sizes[0];
  if (d !== 1 && d !== 2) return undefined;
  const nOut = spec.sizes[spec.sizes.length - 1] as number;
  const { train } = prepareData(spec);
  const rows = d === 2 ? GRID * GRID : CURVE;
  const model = buildModel(spec, Float64Array, rows);
  if (paramsFlat.length !== model.tensors.length) return undefined;
  model.tensors.forEach((t, i) => {
    const p = paramsFlat[i] as readonly number[];
    if (p.length === t.length) model.params.set(p, t.offset);
  });
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
  const [xmin, xmax] = pad(0);
  const stride = Math.max(1, Math.ceil(train.n / MAX_POINTS));
  const px: number[] = [], py: number[] = [], plabel: number[] = [];
  if (d === 2) {
    const [ymin, ymax] = pad(1);
    for (let j = 0; j < GRID; j++) {
      for (let i = 0; i < GRID; i++) {
        const r = j * GRID + i;
        model.input[r * 2] = xmin + ((xmax - xmin) * (i + 0.5)) / GRID;
        model.input[r * 2 + 1] = ymin + ((ymax - ymin) * (j + 0.5)) / GRID;
      }
    }
    model.forward(rows, false, null);
    const values = Array.from({ length: rows }, (_, r) => readout(spec, model.output, r, nOut));
    for (let i = 0; i < train.n; i += stride) {
      px.push(train.X[i * 2] as number);
      py.push(train.X[i * 2 + 1] as number);
      plabel.push(train.Y[i * train.t] as number);
    }
    return { kind: '2d', xmin, xmax, ymin, ymax, nx: GRID, ny: GRID, values, px, py, plabel };
  }
  for (let i = 0; i < CURVE; i++) model.input[i] = xmin + ((xmax - xmin) * i) / (CURVE - 1);
  model.forward(rows, false, null);
  const values = Array.from({ length: rows }, (_, r) => readout(spec, model.output, r, nOut));
  let ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < train.n; i += stride) {
    const x = train.X[i] as number, y = train.Y[i * train.t] as number;
    px.push(x);
    py.push(y);
    plabel.push(y);
    ymin = Math.min(ymin, y);
    ymax = Math.max(ymax, y);
  }
  for (const v of values) if (Number.isFinite(v)) {
    ymin = Math.min(ymin, v);
    ymax = Math.max(ymax, v);
  }
  if (!Number.isFinite(ymin)) [ymin, ymax] = [-1, 1];
  return { kind: '1d', xmin, xmax, ymin, ymax, nx: CURVE, ny: 1, values: values.map((v) => (Number.isFinite(v) ? v : 0)), px, py, plabel };
}

/**
 * ‖∂L/∂W‖₂ of every dense layer at the given parameters, on the whole training set (one
 * full-batch forward/backward pass, no penalty). Used when a run ended before the worker
 * sampled any step's gradients.
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
