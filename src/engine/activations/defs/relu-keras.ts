// Keras's ReLU with negative_slope / max_value / threshold, modelled on the graph that
// keras/src/activations/activations.py `ReLU.static_call` builds (Keras 2's
// tf.keras.backend.relu builds the same one):
//
//   if s ≠ 0 and max_value is None and threshold == 0:  return leaky_relu(x, s)
//   pos = x·[x > θ]              if θ ≠ 0
//       = relu6(x)               elif max_value == 6   (and no clip afterwards)
//       = relu(x)                otherwise
//   pos = clip(pos, 0, max_value) if max_value is not None (and not the relu6 path)
//   y   = pos − s·relu(θ − x)     if s ≠ 0
//
// Gradients are those of the TensorFlow backend (keras/src/backend/tensorflow/nn.py):
// relu′(0) = 0; leaky′(0) = s; relu6′ is 1 only on (0, 6); tf.clip_by_value is
// minimum/maximum whose gradients pass on ties (tensorflow/python/ops/math_grad.py
// _MaximumGrad uses x >= y, _MinimumGrad x <= y), so f′(max_value) = 1; x·[x > θ] has
// derivative [x > θ] (the cast has none), so f′(θ) = 0. TF.js's layers.reLU({maxValue})
// clips with clipByValue (inclusive) even for maxValue = 6: convention gradAtMax = 'one'.
import { makeKernel } from '../kernel';
import type { ActivationMeta, ElementwiseKernel, Formula, Kink } from '../types';
import { interval, kinksAt, show, tex, zeroSecond } from './piecewise-util';

export interface KerasReluParams {
  /** negative_slope, ≥ 0 */
  readonly s: number;
  /** max_value, ≥ 0; Infinity for None */
  readonly max: number;
  /** threshold, ≥ 0 */
  readonly theta: number;
  /** 'keras': the relu6 path has f′(6) = 0; 'one': clip is inclusive for every max */
  readonly gradAtMax: string;
}

interface Shape extends KerasReluParams {
  readonly leaky: boolean;
  readonly relu6: boolean;
}

function shape(p: KerasReluParams): Shape {
  const leaky = p.s !== 0 && p.max === Infinity && p.theta === 0;
  const relu6 = !leaky && p.gradAtMax === 'keras' && p.theta === 0 && p.max === 6;
  return { ...p, leaky, relu6 };
}

/** True when the parameters are plain max(0, x), so callers can use the fast kernel. */
export function isPlainRelu(p: KerasReluParams): boolean {
  return p.s === 0 && p.max === Infinity && p.theta === 0;
}

export function kerasReluKernel(p: KerasReluParams): ElementwiseKernel {
  const k = shape(p);
  const { s, max, theta } = k;
  const pos = (x: number): number => {
    const v = x > theta ? x : 0;
    return v > max ? max : v;
  };
  const f = (x: number): number => {
    if (x !== x) return x;
    if (k.leaky) return x > 0 ? x : s * x;
    const neg = s !== 0 && theta - x > 0 ? s * (theta - x) : 0;
    return pos(x) - neg;
  };
  const df = (x: number): number => {
    if (x !== x) return x;
    if (k.leaky) return x > 0 ? 1 : s;
    // pos′: relu6 path 1 on (0, 6); otherwise [x > θ], kept by the inclusive clip iff x ≤ max.
    const g = k.relu6 ? (x > 0 && x < 6 ? 1 : 0) : x > theta && x <= max ? 1 : 0;
    return g + (s !== 0 && theta - x > 0 ? s : 0);
  };
  return makeKernel({ f, df, d2f: zeroSecond });
}

/** Points where f or f′ is not smooth. */
function points(p: KerasReluParams): number[] {
  const out = [p.theta];
  if (Number.isFinite(p.max) && p.max > p.theta) out.push(p.max);
  return out;
}

export function kerasReluKinks(p: KerasReluParams): Kink[] {
  const k = kerasReluKernel(p);
  const sh = shape(p);
  return kinksAt(k.df, points(p), (x) => {
    const why =
      sh.leaky
        ? 'leaky_relu path: x > 0 selects the identity'
        : x === p.theta && p.theta !== 0
          ? 'x·[x > threshold] has derivative [x > threshold]'
          : x === p.theta
            ? 'relu′(0) = 0'
            : sh.relu6
              ? 'max_value = 6 takes the relu6 path, whose gradient is 1 only on (0, 6)'
              : 'clip_by_value passes the gradient at its bounds';
    return `f′(${show(x)}) = ${show(k.df(x))} (${why})`;
  });
}

export function kerasReluFormulas(p: KerasReluParams): { f: Formula; df: Formula; d2f: Formula } {
  const { s, max, theta } = p;
  const capped = Number.isFinite(max);
  // Below the threshold: s·(x − θ) (0 when s = 0). Above: x, capped at max.
  const lowT = s === 0 ? '0' : theta === 0 ? `${show(s)}·x` : `${show(s)}·(x − ${show(theta)})`;
  const lowL = s === 0 ? '0' : theta === 0 ? `${tex(s)}\\,x` : `${tex(s)}\\,(x - ${tex(theta)})`;
  const hiT = capped ? `min(x, ${show(max)})` : 'x';
  const hiL = capped ? `\\min(x, ${tex(max)})` : 'x';
  const f: Formula = {
    latex: `\\begin{cases} ${hiL} & x > ${tex(theta)} \\\\ ${lowL} & x \\le ${tex(theta)} \\end{cases}`,
    text: `${hiT} if x > ${show(theta)}, else ${lowT}`,
  };
  const parts: string[] = [];
  const partsL: string[] = [];
  parts.push(`${show(s)} if x < ${show(theta)}`);
  partsL.push(`${tex(s)} & x < ${tex(theta)}`);
  if (!capped) {
    parts.push(`1 if x > ${show(theta)}`);
    partsL.push(`1 & x > ${tex(theta)}`);
  } else if (max > theta) {
    parts.push(`1 if ${show(theta)} < x < ${show(max)}`, `0 if x > ${show(max)}`);
    partsL.push(`1 & ${tex(theta)} < x < ${tex(max)}`, `0 & x > ${tex(max)}`);
  } else {
    parts.push(`0 if x > ${show(theta)}`);
    partsL.push(`0 & x > ${tex(theta)}`);
  }
  return {
    f,
    df: { latex: `\\begin{cases} ${partsL.join(' \\\\ ')} \\end{cases}`, text: parts.join(', ') },
    d2f: { latex: '0 \\quad (\\text{away from kinks})', text: '0 (away from kinks)' },
  };
}

/** Metadata, true for every valid (s, max, θ ≥ 0). */
export function kerasReluMeta(p: KerasReluParams, uses: readonly string[]): ActivationMeta {
  const { s, max, theta } = p;
  const lower = s > 0 ? -Infinity : 0;
  const upper = max;
  const identity = s === 1 && max === Infinity && theta === 0;
  return {
    range: interval(lower, upper),
    lower,
    upper,
    // With s > 0 and no cap both pieces rise and the jump at θ > 0 goes up (0 → θ).
    monotonic: s > 0 && max === Infinity ? 'increasing' : 'non-decreasing',
    // A threshold θ > 0 jumps from 0 to min(θ, max) unless max = 0.
    smoothness: theta > 0 && max > 0 ? 'discontinuous' : 'C0',
    zeroCentred: identity,
    bounded: s === 0 && Number.isFinite(max),
    selfNormalizing: false,
    uses,
    cost: isPlainRelu(p) ? 1 : 2,
  };
}
