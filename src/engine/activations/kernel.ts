// Building kernels from scalar functions. The generic loops are monomorphic per kernel
// (each closure is created once per kernel), which V8 inlines well; the hottest
// activations (ReLU family) supply hand-written loops instead.
import type { ElementwiseKernel, NumArray, ScalarFns } from './types';

export interface KernelParts extends ScalarFns {
  hasSecond?: boolean;
  forward?: ElementwiseKernel['forward'];
  backward?: ElementwiseKernel['backward'];
}

export function makeKernel(parts: KernelParts): ElementwiseKernel {
  const { f, df, d2f } = parts;
  const forward =
    parts.forward ??
    ((x: NumArray, y: NumArray, n: number = x.length): void => {
      for (let i = 0; i < n; i++) y[i] = f(x[i] as number);
    });
  const backward =
    parts.backward ??
    ((x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n: number = x.length): void => {
      for (let i = 0; i < n; i++) gx[i] = (gy[i] as number) * df(x[i] as number);
    });
  return { f, df, d2f, hasSecond: parts.hasSecond ?? true, forward, backward };
}

/** Reads a number parameter that the registry has already validated. */
export function num(p: Readonly<Record<string, unknown>>, name: string): number {
  const v = p[name];
  if (typeof v !== 'number') throw new Error(`internal: parameter ${name} is not a number`);
  return v;
}

/** Reads a boolean parameter that the registry has already validated. */
export function bool(p: Readonly<Record<string, unknown>>, name: string): boolean {
  const v = p[name];
  if (typeof v !== 'boolean') throw new Error(`internal: parameter ${name} is not a boolean`);
  return v;
}

/** Formats a number for formulas: short, exact for simple values (0.01, 1/6 → 0.1667). */
export function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const s = Number(v.toPrecision(6)).toString();
  return s;
}
