// Evaluation of a whole data set in eval mode (running BatchNorm statistics, no dropout),
// in chunks of the model's capacity, with per-hidden-layer activation statistics:
// dead units, sparsity, saturation, mean/std, histogram.
import type { LayerDiagnostics } from './snapshot';
import type { Dataset } from './data';
import { countCorrect, lossAndGrad, type LossName } from './losses';
import type { Arr, Model } from './model';

/** |f′| below this counts as saturated (sigmoid/tanh tails, ReLU's flat side). */
export const SATURATION_DERIVATIVE = 1e-3;
/** A unit is saturated when it is saturated for at least this fraction of samples. */
export const SATURATED_SAMPLE_FRACTION = 0.95;
/** Activations kept per layer for the histogram. */
const HIST_SAMPLE = 4096;

export type ActivationStats = Omit<LayerDiagnostics, 'weightGradNorm' | 'updateRatio'>;

export interface EvalResult {
  /** Mean data loss over the set (no penalty). */
  readonly loss: number;
  readonly accuracy: number | null;
  /** Per hidden layer: fraction of units whose activation is exactly 0 for every sample. */
  readonly dead: number[];
  /** Full per-layer statistics when requested. */
  readonly layers: ActivationStats[] | null;
}

/** Decision threshold on the output for binary accuracy: logits and tanh at 0, sigmoid at ½. */
export function binaryThreshold(outAct: 'linear' | 'sigmoid' | 'tanh'): number {
  return outAct === 'sigmoid' ? 0.5 : 0;
}

/** Copies rows [start, start+B) of X into the model's input buffer. */
export function loadRows(model: Model, ds: Dataset, start: number, B: number): void {
  model.input.set(ds.X.subarray(start * ds.d, (start + B) * ds.d));
}

export function evaluate(model: Model, ds: Dataset, loss: LossName, threshold: number, full: boolean, bins = 20): EvalResult {
  const hidden = model.layers.filter((L) => L.hidden);
  const alive = hidden.map((L) => new Uint8Array(L.nOut));
  const zeros = hidden.map(() => 0);
  const sat = hidden.map((L) => new Int32Array(L.nOut));
  const sum = hidden.map(() => 0);
  const sumsq = hidden.map(() => 0);
  const samples = hidden.map(() => [] as number[]);
  const nOut = model.layers[model.layers.length - 1]?.nOut ?? 1;
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < ds.n; start += model.capacity) {
    const B = Math.min(model.capacity, ds.n - start);
    loadRows(model, ds, start, B);
    model.forward(B, false, null);
    const target = ds.Y.subarray(start * ds.t, (start + B) * ds.t);
    lossSum += lossAndGrad(loss, model.output, target, B, nOut, null) * B;
    if (loss !== 'mse_mean') correct += countCorrect(loss, model.output, target, B, nOut, threshold);
    hidden.forEach((L, k) => {
      const a: Arr = L.a;
      const al = alive[k] as Uint8Array;
      const n = B * L.nOut;
      for (let i = 0; i < n; i++) if ((a[i] as number) !== 0) al[i % L.nOut] = 1;
      if (!full) return;
      const kernel = L.act;
      const st = sat[k] as Int32Array;
      const smp = samples[k] as number[];
      let z = 0, s = 0, s2 = 0;
      for (let i = 0; i < n; i++) {
        const v = a[i] as number;
        if (v === 0) z++;
        s += v;
        s2 += v * v;
        if (kernel && Math.abs(kernel.df(L.h[i] as number)) < SATURATION_DERIVATIVE) st[i % L.nOut] = (st[i % L.nOut] as number) + 1;
        if (smp.length < HIST_SAMPLE) smp.push(v);
      }
      zeros[k] = (zeros[k] as number) + z;
      sum[k] = (sum[k] as number) + s;
      sumsq[k] = (sumsq[k] as number) + s2;
    });
  }
  const dead = alive.map((al) => al.reduce((c, v) => c + (v ? 0 : 1), 0) / al.length);
  const layers = full
    ? hidden.map((L, k): ActivationStats => {
        const total = ds.n * L.nOut;
        const mean = (sum[k] as number) / total;
        const variance = Math.max(0, (sumsq[k] as number) / total - mean * mean);
        const st = sat[k] as Int32Array;
        let saturated = 0;
        for (let u = 0; u < L.nOut; u++) if ((st[u] as number) >= SATURATED_SAMPLE_FRACTION * ds.n) saturated++;
        return {
          layer: k,
          activation: L.actInfo?.name ?? '',
          units: L.nOut,
          deadFraction: dead[k] as number,
          sparsity: (zeros[k] as number) / total,
          saturationFraction: saturated / L.nOut,
          mean,
          std: Math.sqrt(variance),
          histogram: histogram(samples[k] as number[], bins),
        };
      })
    : null;
  return {
    loss: lossSum / ds.n,
    accuracy: loss === 'mse_mean' ? null : correct / ds.n,
    dead,
    layers,
  };
}

/** Equal-width histogram of finite values over [min, max]. */
export function histogram(values: readonly number[], bins: number): { min: number; max: number; counts: number[] } {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (min > max) return { min: 0, max: 0, counts };
  const w = (max - min) / bins || 1;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.floor((v - min) / w));
    counts[b] = (counts[b] as number) + 1;
  }
  return { min, max, counts };
}
