// Building kernels from scalar functions. V8 keeps type feedback per function literal, not
// per closure, so the generic loops below are shared by every kernel built here: the call
// to `f` is polymorphic, and mixing Float32Array and Float64Array in one loop would make the
// element accesses megamorphic too. Each dtype therefore gets its own loop literal. The
// hottest activations (ReLU family, sigmoid, tanh) supply hand-written loops instead.
import type { ConventionSpec, ElementwiseKernel, NumArray, ScalarFns } from './types';

export interface KernelParts extends ScalarFns {
  hasSecond?: boolean;
  forward?: ElementwiseKernel['forward'];
  backward?: ElementwiseKernel['backward'];
}

function forward64(f: (x: number) => number, x: Float64Array, y: NumArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = f(x[i] as number);
}
function forward32(f: (x: number) => number, x: Float32Array, y: NumArray, n: number): void {
  for (let i = 0; i < n; i++) y[i] = f(x[i] as number);
}
function backward64(df: (x: number) => number, x: Float64Array, gy: NumArray, gx: NumArray, n: number): void {
  for (let i = 0; i < n; i++) gx[i] = (gy[i] as number) * df(x[i] as number);
}
function backward32(df: (x: number) => number, x: Float32Array, gy: NumArray, gx: NumArray, n: number): void {
  for (let i = 0; i < n; i++) gx[i] = (gy[i] as number) * df(x[i] as number);
}

export function makeKernel(parts: KernelParts): ElementwiseKernel {
  const { f, df, d2f } = parts;
  const forward =
    parts.forward ??
    ((x: NumArray, y: NumArray, n: number = x.length): void => {
      if (x instanceof Float64Array) forward64(f, x, y, n);
      else forward32(f, x, y, n);
    });
  const backward =
    parts.backward ??
    ((x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n: number = x.length): void => {
      if (x instanceof Float64Array) backward64(df, x, gy, gx, n);
      else backward32(df, x, gy, gx, n);
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

/**
 * A convention as the defs write it: its name, what it decides, and its choices in order
 * (the first is the default), each value with who follows it.
 */
export function convention(name: string, doc: string, options: Readonly<Record<string, string>>): ConventionSpec {
  return { name, doc, options: Object.entries(options).map(([value, d]) => ({ value, doc: d })) };
}
