// The training half of bench/custom-kernel.mjs: the same network trained with the built-in
// SiLU and with {"expr": "x * sigmoid(x)"}. Filled in once training specs accept expressions.
export function available(): boolean {
  return false;
}

export function compare(_runs: number): { label: string; builtinMs: number; customMs: number; ratio: number } {
  throw new Error('training with expressions is not available in this build');
}
