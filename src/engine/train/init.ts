// Weight initializers with torch.nn.init semantics, drawn from the seeded PRNG. For a dense
// weight W[out][in]: fan_in = in, fan_out = out.
import type { InitSchemeSpec } from './spec';
import { SpecError } from './spec';
import type { Rng } from '../random';
import type { Arr } from './model';

/**
 * torch.nn.init.calculate_gain: linear/sigmoid/identity 1, tanh 5/3, relu √2,
 * leaky_relu √(2/(1 + slope²)) (slope default 0.01), selu 3/4.
 */
export function calculateGain(nonlinearity: string, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'sigmoid':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.sqrt(2);
    case 'leaky_relu': {
      const s = param ?? 0.01;
      return Math.sqrt(2 / (1 + s * s));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new SpecError(`unsupported nonlinearity "${nonlinearity}" for calculate_gain (use linear, sigmoid, tanh, relu, leaky_relu or selu)`);
  }
}

/** Standard normal truncated to ±2 (rejection), as JAX's truncated_normal initializers use. */
function truncNormal(rng: Rng): number {
  for (;;) {
    const z = rng.normal();
    if (z >= -2 && z <= 2) return z;
  }
}

/** Fills W (rows = nOut, cols = nIn) following `s`. */
export function initWeight(W: Arr, nOut: number, nIn: number, s: InitSchemeSpec, rng: Rng): void {
  const n = nOut * nIn;
  const fan = (s.mode ?? 'fan_in') === 'fan_in' ? nIn : nOut;
  switch (s.scheme) {
    case 'zeros':
      W.fill(0);
      return;
    case 'constant':
      W.fill(s.value ?? 0);
      return;
    case 'uniform': {
      const a = s.a ?? 0, b = s.b ?? 1; // torch uniform_ defaults U(0, 1)
      for (let i = 0; i < n; i++) W[i] = rng.uniform(a, b);
      return;
    }
    case 'normal':
      for (let i = 0; i < n; i++) W[i] = rng.normal(s.mean ?? 0, s.std ?? 1);
      return;
    case 'xavier_uniform': {
      const a = (s.gain ?? 1) * Math.sqrt(6 / (nIn + nOut));
      for (let i = 0; i < n; i++) W[i] = rng.uniform(-a, a);
      return;
    }
    case 'xavier_normal': {
      const std = (s.gain ?? 1) * Math.sqrt(2 / (nIn + nOut));
      for (let i = 0; i < n; i++) W[i] = rng.normal(0, std);
      return;
    }
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      // torch defaults: a = 0, mode fan_in, nonlinearity leaky_relu (→ gain √2); torch calls the
      // negative slope `a`, accepted here as `a` or `negative_slope`
      const gain = calculateGain(s.nonlinearity ?? 'leaky_relu', s.negative_slope ?? s.a ?? 0);
      const std = gain / Math.sqrt(fan);
      if (s.scheme === 'kaiming_normal') for (let i = 0; i < n; i++) W[i] = rng.normal(0, std);
      else {
        const bound = Math.sqrt(3) * std;
        for (let i = 0; i < n; i++) W[i] = rng.uniform(-bound, bound);
      }
      return;
    }
    case 'lecun_normal': {
      // JAX/Keras: truncated normal (±2σ) with variance 1/fan_in; 0.8796… undoes the truncation
      const std = Math.sqrt(1 / nIn) / 0.8796256610342398;
      for (let i = 0; i < n; i++) W[i] = std * truncNormal(rng);
      return;
    }
    case 'orthogonal':
      orthogonal(W, nOut, nIn, s.gain ?? 1, rng);
      return;
    case 'torch_default': {
      // nn.Linear.reset_parameters: kaiming_uniform_(a=√5) = U(−1/√fan_in, 1/√fan_in)
      const bound = 1 / Math.sqrt(nIn);
      for (let i = 0; i < n; i++) W[i] = rng.uniform(-bound, bound);
      return;
    }
  }
}

/** Bias: zeros unless given; torch_default is U(−1/√fan_in, 1/√fan_in) like nn.Linear. */
export function initBias(b: Arr, nIn: number, weightScheme: InitSchemeSpec, rng: Rng): void {
  const s = weightScheme.bias ?? (weightScheme.scheme === 'torch_default' ? weightScheme : { scheme: 'zeros' as const });
  if (s.scheme === 'torch_default') {
    const bound = 1 / Math.sqrt(nIn);
    for (let i = 0; i < b.length; i++) b[i] = rng.uniform(-bound, bound);
  } else if (s.scheme === 'zeros' || s.scheme === 'constant' || s.scheme === 'uniform' || s.scheme === 'normal') {
    initWeight(b, 1, b.length, s, rng);
  } else throw new SpecError(`bias initializer "${s.scheme}" needs a matrix; use zeros, constant, uniform, normal or torch_default`);
}

/**
 * torch.nn.init.orthogonal_: QR of a normal matrix, signs fixed so R has a positive diagonal,
 * times gain. Done by modified Gram–Schmidt on the columns of a tall normal matrix (the same
 * Q as Householder QR with that sign fix).
 */
function orthogonal(W: Arr, rows: number, cols: number, gain: number, rng: Rng): void {
  const tall = rows >= cols;
  const m = tall ? rows : cols, k = tall ? cols : rows; // A is m×k, m ≥ k
  const A = new Float64Array(m * k);
  for (let i = 0; i < m * k; i++) A[i] = rng.normal();
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += (A[i * k + p] as number) * (A[i * k + j] as number);
      for (let i = 0; i < m; i++) A[i * k + j] = (A[i * k + j] as number) - dot * (A[i * k + p] as number);
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += (A[i * k + j] as number) ** 2;
    nrm = Math.sqrt(nrm) || 1;
    for (let i = 0; i < m; i++) A[i * k + j] = (A[i * k + j] as number) / nrm;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) W[r * cols + c] = gain * (tall ? (A[r * k + c] as number) : (A[c * k + r] as number));
  }
}
