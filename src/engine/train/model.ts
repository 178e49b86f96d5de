// The MLP: dense layers over flat typed arrays, with reverse-mode gradients written out by
// hand (fused loops, no per-op allocation). Layout follows torch.nn.Sequential(Linear,
// [Norm], Act, [Dropout], …, Linear, [OutAct]): parameters in torch's `model.parameters()`
// order W0, b0, [γ0, β0], W1, b1, …, each W row-major [out][in] like nn.Linear.weight.
//
// Activations are batch-major: buffer[b·width + unit]. Every buffer is sized for `capacity`
// rows once; a step touches only the first B rows.
import type { ElementwiseKernel } from '../activations/types';
import type { Rng } from '../random';
import { normBackward, normForward, type NormKind } from './norm';

export type Arr = Float64Array | Float32Array;
export type ArrCtor = Float64ArrayConstructor | Float32ArrayConstructor;

export interface HiddenAct {
  /** Display name, e.g. "relu" or "leaky_relu(negative_slope=0.2)". */
  readonly name: string;
  readonly id: string;
  /** Every parameter at the def's default (e.g. a Keras relu without max_value/threshold). */
  readonly plain: boolean;
  readonly kernel: ElementwiseKernel;
}

export interface Layer {
  readonly index: number;
  readonly nIn: number;
  readonly nOut: number;
  readonly hidden: boolean;
  readonly W: Arr;
  readonly b: Arr;
  readonly gW: Arr;
  readonly gb: Arr;
  /** Norm affine parameters (hidden layers with norm only). */
  readonly gamma: Arr | null;
  readonly beta: Arr | null;
  readonly gGamma: Arr | null;
  readonly gBeta: Arr | null;
  /** BatchNorm running statistics (eval mode). */
  readonly runMean: Float64Array | null;
  readonly runVar: Float64Array | null;
  /** Activation (hidden) or output activation (null = linear). */
  readonly act: ElementwiseKernel | null;
  readonly actInfo: HiddenAct | null;
  /** Backward that reads the saved output, when torch's autograd does so (sigmoid, tanh). */
  readonly fromOutput: SavedOutputRule | null;
  readonly dropP: number;
  /** z = x·Wᵀ + b */
  readonly z: Arr;
  /** normalised z (norm layers only) */
  readonly xhat: Arr | null;
  /** activation input: z, or γ·x̂ + β with a norm */
  readonly h: Arr;
  /** activation output before dropout */
  readonly f: Arr;
  /** what the next layer reads: f, or f·mask with dropout */
  readonly a: Arr;
  readonly mask: Arr | null;
  /** scratch gradients: dh is ∂L/∂h, dz is ∂L/∂z, da is ∂L/∂a */
  readonly dh: Arr;
  readonly dz: Arr;
  readonly da: Arr;
  /** norm statistics of the last forward: mean and 1/σ per unit (batch) or per row (layer) */
  readonly normMean: Float64Array | null;
  readonly normInv: Float64Array | null;
}

export interface ModelConfig {
  readonly sizes: readonly number[];
  readonly hiddenActs: readonly HiddenAct[];
  readonly outAct: ElementwiseKernel | null;
  /** Catalog id of the output activation ('sigmoid', 'tanh') or null for linear. */
  readonly outActId?: string | null;
  readonly norm: NormKind;
  readonly dropout: readonly number[];
  readonly capacity: number;
  readonly ctor: ArrCtor;
  /** Where buffers come from (a WebAssembly arena for the SIMD kernels); default `new ctor(n)`. */
  readonly alloc?: (n: number) => Arr;
  /** Dense kernels over those buffers; default the JS loops below. */
  readonly kernels?: DenseKernelsOf;
}

export interface DenseKernelsOf {
  dense(x: Arr, W: Arr, b: Arr, z: Arr, B: number, nIn: number, nOut: number): void;
  denseBackward(x: Arr, W: Arr, dz: Arr, gW: Arr, gb: Arr, dx: Arr | null, B: number, nIn: number, nOut: number): void;
}


export class Model {
  readonly layers: Layer[] = [];
  /** Every parameter, flat, in torch order. */
  readonly params: Arr;
  readonly grads: Arr;
  /** [offset, length, kind] of each torch parameter tensor within `params`. */
  readonly tensors: { readonly offset: number; readonly length: number; readonly kind: 'W' | 'b' | 'gamma' | 'beta'; readonly layer: number }[] = [];
  readonly input: Arr;
  readonly capacity: number;
  readonly norm: NormKind;
  readonly ctor: ArrCtor;
  private readonly kernels: DenseKernelsOf;

  constructor(cfg: ModelConfig) {
    const { sizes, capacity } = cfg;
    const ctor = cfg.ctor;
    const alloc = cfg.alloc ?? ((n: number): Arr => new ctor(n));
    this.kernels = cfg.kernels ?? { dense, denseBackward };
    this.capacity = capacity;
    this.norm = cfg.norm;
    this.ctor = ctor;
    const L = sizes.length - 1;
    let total = 0;
    for (let l = 0; l < L; l++) {
      const nIn = sizes[l] as number, nOut = sizes[l + 1] as number;
      const hiddenNorm = l < L - 1 && cfg.norm !== 'none';
      this.tensors.push({ offset: total, length: nIn * nOut, kind: 'W', layer: l });
      total += nIn * nOut;
      this.tensors.push({ offset: total, length: nOut, kind: 'b', layer: l });
      total += nOut;
      if (hiddenNorm) {
        this.tensors.push({ offset: total, length: nOut, kind: 'gamma', layer: l });
        total += nOut;
        this.tensors.push({ offset: total, length: nOut, kind: 'beta', layer: l });
        total += nOut;
      }
    }
    this.params = alloc(total);
    this.grads = alloc(total);
    this.input = alloc(capacity * (sizes[0] as number));
    let t = 0;
    for (let l = 0; l < L; l++) {
      const nIn = sizes[l] as number, nOut = sizes[l + 1] as number;
      const hidden = l < L - 1;
      const view = (k: number): [Arr, Arr] => {
        const d = this.tensors[k] as { offset: number; length: number };
        return [this.params.subarray(d.offset, d.offset + d.length), this.grads.subarray(d.offset, d.offset + d.length)];
      };
      const [W, gW] = view(t++);
      const [b, gb] = view(t++);
      const withNorm = hidden && cfg.norm !== 'none';
      let gamma: Arr | null = null, gGamma: Arr | null = null, beta: Arr | null = null, gBeta: Arr | null = null;
      if (withNorm) {
        [gamma, gGamma] = view(t++);
        [beta, gBeta] = view(t++);
        gamma.fill(1); // torch: weight = 1, bias = 0
      }
      const n = capacity * nOut;
      const z = alloc(n);
      const xhat = withNorm ? alloc(n) : null;
      const h = withNorm ? alloc(n) : z;
      const act = hidden ? (cfg.hiddenActs[l] as HiddenAct).kernel : cfg.outAct;
      const f = act ? alloc(n) : h;
      const dropP = hidden ? (cfg.dropout[l] ?? 0) : 0;
      const mask = dropP > 0 ? alloc(n) : null;
      const a = mask ? alloc(n) : f;
      const dz = alloc(n);
      const dh = withNorm ? alloc(n) : dz;
      const da = act || mask ? alloc(n) : dh;
      const statLen = cfg.norm === 'layer' ? capacity : nOut;
      this.layers.push({
        index: l, nIn, nOut, hidden, W, b, gW, gb, gamma, beta, gGamma, gBeta,
        runMean: withNorm && cfg.norm === 'batch' ? new Float64Array(nOut) : null,
        runVar: withNorm && cfg.norm === 'batch' ? new Float64Array(nOut).fill(1) : null,
        act, actInfo: hidden ? (cfg.hiddenActs[l] as HiddenAct) : null, dropP,
        fromOutput: savedOutputRule(hidden ? plainId(cfg.hiddenActs[l] as HiddenAct) : (cfg.outActId ?? null)),
        z, xhat, h, f, a, mask, dh, dz, da,
        normMean: withNorm ? new Float64Array(statLen) : null,
        normInv: withNorm ? new Float64Array(statLen) : null,
      });
    }
  }

  get output(): Arr {
    return (this.layers[this.layers.length - 1] as Layer).a;
  }

  /** Forward pass over the first B rows of `input`. Training mode: batch statistics, dropout on. */
  forward(B: number, training: boolean, rng: Rng | null): void {
    let x: Arr = this.input;
    const k = this.kernels;
    for (const L of this.layers) {
      k.dense(x, L.W, L.b, L.z, B, L.nIn, L.nOut);
      if (L.xhat) normForward(this.norm, L, B, training);
      if (L.act) L.act.forward(L.h, L.f, B * L.nOut);
      if (L.mask) {
        const n = B * L.nOut;
        if (training && rng) {
          // inverted dropout (torch): zero with probability p, scale survivors by 1/(1−p)
          const keep = 1 / (1 - L.dropP);
          for (let i = 0; i < n; i++) {
            const m = rng.next() < L.dropP ? 0 : keep;
            L.mask[i] = m;
            L.a[i] = (L.f[i] as number) * m;
          }
        } else L.a.set(L.f.subarray(0, n));
      }
      x = L.a;
    }
  }

  /**
   * Backward pass: `dOut` (= the last layer's `da`) holds ∂L/∂output for B rows. Gradients are
   * written (not accumulated) into `grads`.
   */
  backward(B: number): void {
    this.grads.fill(0);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l] as Layer;
      const n = B * L.nOut;
      if (L.mask) {
        for (let i = 0; i < n; i++) L.da[i] = (L.da[i] as number) * (L.mask[i] as number);
      }
      if (L.fromOutput) backwardFromOutput(L.fromOutput, L.f, L.da, L.dh, n);
      else if (L.act) L.act.backward(L.h, L.f, L.da, L.dh, n);
      if (L.xhat) normBackward(this.norm, L, B);
      const x = l > 0 ? (this.layers[l - 1] as Layer).a : this.input;
      const dx = l > 0 ? (this.layers[l - 1] as Layer).da : null;
      this.kernels.denseBackward(x, L.W, L.dz, L.gW, L.gb, dx, B, L.nIn, L.nOut);
    }
  }
}

type SavedOutputRule = 'sigmoid' | 'tanh' | 'relu';

function plainId(a: HiddenAct): string | null {
  return a.plain ? a.id : null;
}

function savedOutputRule(id: string | null): SavedOutputRule | null {
  return id === 'sigmoid' || id === 'tanh' || id === 'relu' ? id : null;
}

/**
 * torch's autograd differentiates these from their saved outputs — sigmoid_backward =
 * g·(1 − y)·y, tanh_backward = g·(1 − y²), relu's threshold_backward = y > 0 ? g : 0 — which is
 * also cheaper than re-evaluating exp. The catalog kernel's f′(x) is the same function (for
 * ReLU at NaN inputs torch, and this, give 0).
 */
function backwardFromOutput(kind: SavedOutputRule, y: Arr, gy: Arr, gx: Arr, n: number): void {
  if (kind === 'relu') {
    for (let i = 0; i < n; i++) gx[i] = (y[i] as number) > 0 ? (gy[i] as number) : 0;
  } else if (kind === 'sigmoid') {
    for (let i = 0; i < n; i++) {
      const v = y[i] as number;
      gx[i] = (gy[i] as number) * (1 - v) * v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = y[i] as number;
      gx[i] = (gy[i] as number) * (1 - v * v);
    }
  }
}

/**
 * z[b,o] = bias[o] + Σ_i x[b,i]·W[o,i]  (nn.Linear: x·Wᵀ + b). Four rows at a time share each
 * weight load and run four independent sums (a single running sum is bound by the latency of
 * one floating-point add); each row still sums over i in order, so results do not depend on B.
 */
export function dense(x: Arr, W: Arr, bias: Arr, z: Arr, B: number, nIn: number, nOut: number): void {
  let r = 0;
  for (; r + 4 <= B; r += 4) {
    const x0 = r * nIn, x1 = x0 + nIn, x2 = x1 + nIn, x3 = x2 + nIn;
    const z0 = r * nOut, z1 = z0 + nOut, z2 = z1 + nOut, z3 = z2 + nOut;
    for (let o = 0; o < nOut; o++) {
      const wo = o * nIn;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < nIn; i++) {
        const w = W[wo + i] as number;
        s0 += (x[x0 + i] as number) * w;
        s1 += (x[x1 + i] as number) * w;
        s2 += (x[x2 + i] as number) * w;
        s3 += (x[x3 + i] as number) * w;
      }
      const bo = bias[o] as number;
      z[z0 + o] = s0 + bo;
      z[z1 + o] = s1 + bo;
      z[z2 + o] = s2 + bo;
      z[z3 + o] = s3 + bo;
    }
  }
  for (; r < B; r++) {
    const xo = r * nIn;
    const zo = r * nOut;
    for (let o = 0; o < nOut; o++) {
      const wo = o * nIn;
      let s = 0;
      for (let i = 0; i < nIn; i++) s += (x[xo + i] as number) * (W[wo + i] as number);
      z[zo + o] = s + (bias[o] as number);
    }
  }
}

/**
 * From ∂L/∂z: ∂L/∂W[o,i] = Σ_b dz[b,o]·x[b,i], ∂L/∂b[o] = Σ_b dz[b,o], and (when dx is given)
 * ∂L/∂x[b,i] = Σ_o dz[b,o]·W[o,i]. One fused pass over blocks of four rows (each gW element is
 * loaded and stored once per block); blocks whose dz are all 0 (dead ReLUs) cost nothing.
 */
export function denseBackward(x: Arr, W: Arr, dz: Arr, gW: Arr, gb: Arr, dx: Arr | null, B: number, nIn: number, nOut: number): void {
  if (dx) dx.fill(0, 0, B * nIn);
  let r = 0;
  for (; r + 4 <= B; r += 4) {
    const x0 = r * nIn, x1 = x0 + nIn, x2 = x1 + nIn, x3 = x2 + nIn;
    const z0 = r * nOut;
    for (let o = 0; o < nOut; o++) {
      const g0 = dz[z0 + o] as number, g1 = dz[z0 + nOut + o] as number, g2 = dz[z0 + 2 * nOut + o] as number, g3 = dz[z0 + 3 * nOut + o] as number;
      if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0) continue;
      gb[o] = (gb[o] as number) + g0 + g1 + g2 + g3;
      const wo = o * nIn;
      if (dx) {
        for (let i = 0; i < nIn; i++) {
          gW[wo + i] = (gW[wo + i] as number) + (g0 * (x[x0 + i] as number) + g1 * (x[x1 + i] as number) + g2 * (x[x2 + i] as number) + g3 * (x[x3 + i] as number));
          const w = W[wo + i] as number;
          dx[x0 + i] = (dx[x0 + i] as number) + g0 * w;
          dx[x1 + i] = (dx[x1 + i] as number) + g1 * w;
          dx[x2 + i] = (dx[x2 + i] as number) + g2 * w;
          dx[x3 + i] = (dx[x3 + i] as number) + g3 * w;
        }
      } else {
        for (let i = 0; i < nIn; i++) {
          gW[wo + i] = (gW[wo + i] as number) + (g0 * (x[x0 + i] as number) + g1 * (x[x1 + i] as number) + g2 * (x[x2 + i] as number) + g3 * (x[x3 + i] as number));
        }
      }
    }
  }
  for (; r < B; r++) {
    const xo = r * nIn;
    const zo = r * nOut;
    for (let o = 0; o < nOut; o++) {
      const g = dz[zo + o] as number;
      if (g === 0) continue;
      gb[o] = (gb[o] as number) + g;
      const wo = o * nIn;
      for (let i = 0; i < nIn; i++) gW[wo + i] = (gW[wo + i] as number) + g * (x[xo + i] as number);
      if (dx) for (let i = 0; i < nIn; i++) dx[xo + i] = (dx[xo + i] as number) + g * (W[wo + i] as number);
    }
  }
}
