// Batch and layer normalisation between a hidden dense layer and its activation, with torch's
// semantics: BatchNorm1d normalises each unit over the batch (biased variance in the formula,
// unbiased in the running estimate, momentum 0.1, eps 1e-5; eval mode uses the running
// estimates); LayerNorm normalises each sample over its units (eps 1e-5). Both then apply
// h = γ·x̂ + β.

export const NORM_KINDS = ['none', 'batch', 'layer'] as const;
export type NormKind = (typeof NORM_KINDS)[number];

/** torch BatchNorm1d / LayerNorm defaults. */
export const NORM_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

type Buf = Float64Array | Float32Array;

/**
 * The part of a dense layer (./model.ts `Layer`) normalisation reads and writes; declared here
 * so the model depends on its norm and not the other way round.
 */
export interface NormLayer {
  readonly nOut: number;
  readonly z: Buf;
  readonly xhat: Buf | null;
  readonly h: Buf;
  readonly gamma: Buf | null;
  readonly beta: Buf | null;
  readonly gGamma: Buf | null;
  readonly gBeta: Buf | null;
  readonly runMean: Float64Array | null;
  readonly runVar: Float64Array | null;
  readonly dh: Buf;
  readonly dz: Buf;
  readonly normMean: Float64Array | null;
  readonly normInv: Float64Array | null;
}

export function normForward(kind: NormKind, L: NormLayer, B: number, training: boolean): void {
  const { z, xhat, h, gamma, beta, normMean, normInv, nOut } = L;
  if (!xhat || !gamma || !beta || !normMean || !normInv) return;
  if (kind === 'batch') {
    const rm = L.runMean as Float64Array, rv = L.runVar as Float64Array;
    for (let o = 0; o < nOut; o++) {
      let mean: number, inv: number;
      if (training) {
        let s = 0;
        for (let r = 0; r < B; r++) s += z[r * nOut + o] as number;
        mean = s / B;
        let v = 0;
        for (let r = 0; r < B; r++) {
          const d = (z[r * nOut + o] as number) - mean;
          v += d * d;
        }
        const varB = v / B;
        inv = 1 / Math.sqrt(varB + NORM_EPS);
        // running_var uses the unbiased estimate (torch), undefined for B = 1 (torch refuses it)
        rm[o] = (1 - BN_MOMENTUM) * (rm[o] as number) + BN_MOMENTUM * mean;
        if (B > 1) rv[o] = (1 - BN_MOMENTUM) * (rv[o] as number) + BN_MOMENTUM * (v / (B - 1));
      } else {
        mean = rm[o] as number;
        inv = 1 / Math.sqrt((rv[o] as number) + NORM_EPS);
      }
      normMean[o] = mean;
      normInv[o] = inv;
      const g = gamma[o] as number, bt = beta[o] as number;
      for (let r = 0; r < B; r++) {
        const k = r * nOut + o;
        const xh = ((z[k] as number) - mean) * inv;
        xhat[k] = xh;
        h[k] = g * xh + bt;
      }
    }
  } else {
    for (let r = 0; r < B; r++) {
      const ro = r * nOut;
      let s = 0;
      for (let o = 0; o < nOut; o++) s += z[ro + o] as number;
      const mean = s / nOut;
      let v = 0;
      for (let o = 0; o < nOut; o++) {
        const d = (z[ro + o] as number) - mean;
        v += d * d;
      }
      const inv = 1 / Math.sqrt(v / nOut + NORM_EPS);
      normMean[r] = mean;
      normInv[r] = inv;
      for (let o = 0; o < nOut; o++) {
        const xh = ((z[ro + o] as number) - mean) * inv;
        xhat[ro + o] = xh;
        h[ro + o] = (gamma[o] as number) * xh + (beta[o] as number);
      }
    }
  }
}

/**
 * From ∂L/∂h (L.dh) to ∂L/∂z (L.dz), accumulating ∂L/∂γ = Σ dh·x̂ and ∂L/∂β = Σ dh. With
 * d = γ·dh over the m normalised values sharing one mean and σ:
 *   dz = (1/σ)·(d − mean(d) − x̂·mean(d·x̂)).
 */
export function normBackward(kind: NormKind, L: NormLayer, B: number): void {
  const { dh, dz, xhat, gamma, gGamma, gBeta, normInv, nOut } = L;
  if (!xhat || !gamma || !gGamma || !gBeta || !normInv) return;
  if (kind === 'batch') {
    for (let o = 0; o < nOut; o++) {
      const g = gamma[o] as number;
      let sd = 0, sdx = 0, sg = 0, sb = 0;
      for (let r = 0; r < B; r++) {
        const k = r * nOut + o;
        const d = dh[k] as number, xh = xhat[k] as number;
        sb += d;
        sg += d * xh;
        sd += g * d;
        sdx += g * d * xh;
      }
      gGamma[o] = (gGamma[o] as number) + sg;
      gBeta[o] = (gBeta[o] as number) + sb;
      const inv = normInv[o] as number;
      const md = sd / B, mdx = sdx / B;
      for (let r = 0; r < B; r++) {
        const k = r * nOut + o;
        dz[k] = inv * (g * (dh[k] as number) - md - (xhat[k] as number) * mdx);
      }
    }
  } else {
    for (let r = 0; r < B; r++) {
      const ro = r * nOut;
      let sd = 0, sdx = 0;
      for (let o = 0; o < nOut; o++) {
        const d = dh[ro + o] as number, xh = xhat[ro + o] as number;
        gGamma[o] = (gGamma[o] as number) + d * xh;
        gBeta[o] = (gBeta[o] as number) + d;
        const gd = (gamma[o] as number) * d;
        sd += gd;
        sdx += gd * xh;
      }
      const inv = normInv[r] as number;
      const md = sd / nOut, mdx = sdx / nOut;
      for (let o = 0; o < nOut; o++) {
        dz[ro + o] = inv * ((gamma[o] as number) * (dh[ro + o] as number) - md - (xhat[ro + o] as number) * mdx);
      }
    }
  }
}
