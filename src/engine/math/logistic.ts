// Logistic-family building blocks that never overflow and keep relative accuracy in both
// tails: σ(x), softplus(x) = log(1 + eˣ), log σ(x) = −softplus(−x).

/** σ(x) = 1/(1 + e⁻ˣ), evaluated on the side where the exponential cannot overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e); // NaN falls through here and stays NaN
}

/** softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|). */
export function softplus(x: number): number {
  if (x > 0) return x + Math.log1p(Math.exp(-x));
  return Math.log1p(Math.exp(x));
}

/** log σ(x) = −softplus(−x). */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}

/** σ′(x) = σ(x)·σ(−x) = e^−|x| / (1 + e^−|x|)², exact in both tails. */
export function sigmoidPrime(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const d = 1 + e;
  return e / (d * d);
}
