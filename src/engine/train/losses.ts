// Losses as torch computes them (reduction="mean"), each returning the loss and writing
// ∂loss/∂output into `grad`. Targets are a flat Float64Array: B·nOut values for MSE and BCE,
// B class indices for cross-entropy.
import type { Arr } from './model';

export type LossName = 'mse_mean' | 'bce_with_logits_mean' | 'cross_entropy_mean';

/**
 * Mean loss over B rows of `nOut` outputs. When `grad` is given (a training step; null when
 * evaluating) it receives ∂loss/∂out.
 */
export function lossAndGrad(name: LossName, out: Arr, target: Float64Array, B: number, nOut: number, grad: Arr | null): number {
  let sum = 0;
  if (name === 'mse_mean') {
    // mean((out − y)²) over all B·nOut elements; ∂/∂out = 2(out − y)/(B·nOut)
    const n = B * nOut;
    const k = 2 / n;
    for (let i = 0; i < n; i++) {
      const d = (out[i] as number) - (target[i] as number);
      sum += d * d;
      if (grad) grad[i] = k * d;
    }
    return sum / n;
  }
  if (name === 'bce_with_logits_mean') {
    // torch: (1 − y)·x − logsigmoid(x); ∂/∂x = (σ(x) − y)/(B·nOut). One exp serves both:
    // e = e^−|x|, logσ(x) = min(x, 0) − log1p(e), σ(x) = 1/(1 + e) or e/(1 + e).
    const n = B * nOut;
    for (let i = 0; i < n; i++) {
      const x = out[i] as number, y = target[i] as number;
      const e = Math.exp(-Math.abs(x));
      sum += (1 - y) * x - (Math.min(x, 0) - Math.log1p(e));
      if (grad) grad[i] = ((x >= 0 ? 1 / (1 + e) : e / (1 + e)) - y) / n;
    }
    return sum / n;
  }
  // cross-entropy with integer labels: logsumexp(x) − x[label]; ∂/∂x = (softmax(x) − onehot)/B
  for (let r = 0; r < B; r++) {
    const o = r * nOut;
    let m = -Infinity;
    for (let j = 0; j < nOut; j++) m = Math.max(m, out[o + j] as number);
    let s = 0;
    for (let j = 0; j < nOut; j++) s += Math.exp((out[o + j] as number) - m);
    const lse = m + Math.log(s);
    const label = target[r] as number;
    sum += lse - (out[o + label] as number);
    if (grad) {
      for (let j = 0; j < nOut; j++) grad[o + j] = (Math.exp((out[o + j] as number) - lse) - (j === label ? 1 : 0)) / B;
    }
  }
  return sum / B;
}

/** Correct predictions among B rows (binary: output above `threshold`; multiclass: argmax). */
export function countCorrect(name: LossName, out: Arr, target: Float64Array, B: number, nOut: number, threshold: number): number {
  let c = 0;
  if (name === 'cross_entropy_mean') {
    for (let r = 0; r < B; r++) {
      const o = r * nOut;
      let best = 0;
      for (let j = 1; j < nOut; j++) if ((out[o + j] as number) > (out[o + best] as number)) best = j;
      if (best === target[r]) c++;
    }
  } else {
    for (let r = 0; r < B; r++) {
      const p = (out[r] as number) > threshold ? 1 : 0;
      if (p === ((target[r] as number) > 0.5 ? 1 : 0)) c++;
    }
  }
  return c;
}
