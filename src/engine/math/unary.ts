// The one-argument functions of the expression language (the symbolic core, custom
// activations read from code, per-op precision), evaluated in float64: one table for all.
import { erf, erfc } from './erf';
import { sigmoid, softplus } from './logistic';

export const UNARY_NAMES = ['exp', 'log', 'log1p', 'expm1', 'sqrt', 'abs', 'sign', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'sigmoid', 'softplus', 'erf', 'erfc'] as const;
export type UnaryName = (typeof UNARY_NAMES)[number];

/** Each function in float64 (sigmoid and softplus in their stable forms). */
export const UNARY_FLOAT64: Readonly<Record<UnaryName, (v: number) => number>> = {
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  sigmoid,
  softplus,
  erf,
  erfc,
};
