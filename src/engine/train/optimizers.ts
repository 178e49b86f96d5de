// Optimizers exactly as torch.optim implements them (single-tensor path, maximize=False),
// applied to the flat parameter array in one loop — every torch parameter tensor gets the
// same treatment, weight decay included, so the flat loop is equivalent. Also
// clip_grad_norm_ and the L1/L2 penalties.
import type { OptimizerSpec } from './spec';
import type { Arr, ArrCtor, Model } from './model';

export interface Optimizer {
  step(params: Arr, grads: Arr): void;
}

/** Builds the optimizer state for `n` parameters (buffers in the model's precision). */
export function makeOptimizer(spec: OptimizerSpec, n: number, ctor: ArrCtor): Optimizer {
  switch (spec.kind) {
    case 'sgd':
      return sgd(spec, n, ctor);
    case 'adam':
    case 'adamw':
      return adam(spec, n, ctor);
    case 'rmsprop':
      return rmsprop(spec, n, ctor);
  }
}

/**
 * torch.optim.SGD: g ← g + wd·p; with momentum, buf ← g on the first step, else
 * buf ← μ·buf + (1 − dampening)·g; g ← g + μ·buf (Nesterov) or buf; p ← p − lr·g.
 */
function sgd(o: OptimizerSpec, n: number, ctor: ArrCtor): Optimizer {
  const { lr, weight_decay: wd, momentum: mu, dampening, nesterov } = o;
  const sign = o.maximize ? -1 : 1;
  const buf = mu !== 0 ? new ctor(n) : null;
  let first = true;
  return {
    step(p, g) {
      const damp = 1 - dampening;
      for (let i = 0; i < n; i++) {
        let d = sign * (g[i] as number);
        if (wd !== 0) d = d + wd * (p[i] as number);
        if (buf) {
          const bv = first ? d : mu * (buf[i] as number) + damp * d;
          buf[i] = bv;
          const b = buf[i] as number; // re-read: rounds to the buffer's precision like torch
          d = nesterov ? d + mu * b : b;
        }
        p[i] = (p[i] as number) - lr * d;
      }
      first = false;
    },
  };
}

/**
 * torch.optim.Adam / AdamW. AdamW first decays p ← p·(1 − lr·wd); Adam adds wd·p to g.
 *   m ← m + (1 − β1)(g − m)          (lerp)
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)
 * amsgrad uses max(v) seen so far in place of v in the denominator.
 */
function adam(o: OptimizerSpec, n: number, ctor: ArrCtor): Optimizer {
  const { lr, weight_decay: wd, eps, amsgrad } = o;
  const [b1, b2] = o.betas;
  const decoupled = o.kind === 'adamw';
  const sign = o.maximize ? -1 : 1;
  const m = new ctor(n), v = new ctor(n);
  const vmax = amsgrad ? new ctor(n) : null;
  let t = 0;
  return {
    step(p, g) {
      t++;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      const stepSize = lr / bc1;
      const bc2sqrt = Math.sqrt(bc2);
      const w1 = 1 - b1, w2 = 1 - b2;
      const decay = 1 - lr * wd;
      for (let i = 0; i < n; i++) {
        let gi = sign * (g[i] as number);
        let pi = p[i] as number;
        if (wd !== 0) {
          if (decoupled) {
            p[i] = pi * decay;
            pi = p[i] as number;
          } else gi = gi + wd * pi;
        }
        // torch.lerp: weight < 0.5 → start + w·(end − start)
        const mi = (m[i] = w1 < 0.5 ? (m[i] as number) + w1 * (gi - (m[i] as number)) : gi - (gi - (m[i] as number)) * (1 - w1));
        let vi = (v[i] = (v[i] as number) * b2 + w2 * gi * gi);
        if (vmax) vi = vmax[i] = Math.max(vmax[i] as number, vi);
        const denom = Math.sqrt(vi) / bc2sqrt + eps;
        p[i] = pi + -stepSize * (mi / denom);
      }
    },
  };
}

/**
 * torch.optim.RMSprop: g ← g + wd·p; s ← α·s + (1 − α)·g²; centered: ḡ ← lerp(ḡ, g, 1 − α),
 * avg = √(s − ḡ²) else √s; avg ← avg + eps; with momentum buf ← μ·buf + g/avg, p ← p − lr·buf,
 * else p ← p − lr·g/avg.
 */
function rmsprop(o: OptimizerSpec, n: number, ctor: ArrCtor): Optimizer {
  const { lr, weight_decay: wd, alpha, eps, momentum: mu, centered } = o;
  const sq = new ctor(n);
  const gavg = centered ? new ctor(n) : null;
  const buf = mu > 0 ? new ctor(n) : null;
  const w = 1 - alpha;
  const sign = o.maximize ? -1 : 1;
  return {
    step(p, g) {
      for (let i = 0; i < n; i++) {
        let gi = sign * (g[i] as number);
        if (wd !== 0) gi = gi + wd * (p[i] as number);
        const s = (sq[i] = (sq[i] as number) * alpha + w * gi * gi);
        let avg: number;
        if (gavg) {
          const ga = (gavg[i] = w < 0.5 ? (gavg[i] as number) + w * (gi - (gavg[i] as number)) : gi - (gi - (gavg[i] as number)) * (1 - w));
          avg = Math.sqrt(s - ga * ga) + eps;
        } else avg = Math.sqrt(s) + eps;
        if (buf) {
          const b = (buf[i] = (buf[i] as number) * mu + gi / avg);
          p[i] = (p[i] as number) - lr * b;
        } else p[i] = (p[i] as number) + -lr * (gi / avg);
      }
    },
  };
}

/**
 * torch.nn.utils.clip_grad_norm_: total = ‖(‖g₁‖, ‖g₂‖, …)‖₂ over the parameter tensors,
 * coef = min(max_norm / (total + 1e-6), 1), every gradient scaled by coef. Returns total.
 */
export function clipGradNorm(model: Model, maxNorm: number): number {
  const g = model.grads;
  let tot = 0;
  for (const t of model.tensors) {
    let s = 0;
    for (let i = t.offset, e = t.offset + t.length; i < e; i++) s += (g[i] as number) * (g[i] as number);
    const nt = Math.sqrt(s);
    tot += nt * nt;
  }
  const total = Math.sqrt(tot);
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) * coef;
  return total;
}

/** Adds l1·Σ|W| + l2·ΣW² (dense weights only) to the loss and its gradient to the grads. */
export function applyPenalty(model: Model, l1: number, l2: number): number {
  let pen = 0;
  for (const L of model.layers) {
    const { W, gW } = L;
    for (let i = 0; i < W.length; i++) {
      const w = W[i] as number;
      pen += l1 * Math.abs(w) + l2 * w * w;
      gW[i] = (gW[i] as number) + l1 * Math.sign(w) + 2 * l2 * w;
    }
  }
  return pen;
}
