// A custom activation from its --expr text: the simplified f, f′, f″ (printed and in LaTeX),
// notes on unstable spellings, and evaluators — scalar functions and a training kernel whose
// loops are generated code (no tree walk per element) where eval is allowed.
import type { Expr } from './ast';
import { paramNames } from './ast';
import { canGenerateCode, compileClosure, compileScalar, generateCode, makeFunction, prepare } from './compile';
import type { ScalarFn } from './compile';
import { derivative, untidiedDerivative } from './diff';
import { toLatex } from './latex';
import { parseExpr } from './parse';
import { printExpr } from './print';
import { simplify } from './simplify';
import { tidy } from './factor';
import { stabilityNotes } from './stability';
import type { StabilityNote } from './stability';
import { makeKernel } from '../activations/kernel';
import type { ElementwiseKernel, NumArray } from '../activations/types';

export interface Formulas<T> {
  readonly f: T;
  readonly df: T;
  readonly d2f: T;
}

export interface CustomActivation {
  /** The text as given. */
  readonly source: string;
  /** f, f′, f″ simplified and tidied (common factors out), parameters still symbolic: for display. */
  readonly expr: Formulas<Expr>;
  /**
   * f, f′, f″ simplified but not tidied: what the evaluators compile. Factoring for display
   * rounds (0.1·x·(w + 10·v) is not x·(0.1·w + v) in float64), so it never feeds numbers.
   */
  readonly evalExpr: Formulas<Expr>;
  /** Parameter names the expression uses, sorted (after simplification: x - x drops a name). */
  readonly params: readonly string[];
  /** The three formulas in --expr syntax. */
  readonly text: Formulas<string>;
  readonly latex: Formulas<string>;
  /** Unstable spellings in the source, with their stable rewrite. */
  readonly notes: readonly StabilityNote[];
}

/** Parses and analyses `source`; throws ExprSyntaxError (with `column`) when malformed. */
export function analyzeExpr(source: string): CustomActivation {
  const raw = parseExpr(source);
  return analyzeTree(raw, source);
}

/** The same for a tree built by a code translator (`source` is what to show as given). */
export function analyzeTree(raw: Expr, source: string = printExpr(simplify(raw))): CustomActivation {
  const s = simplify(raw);
  const f = tidy(s);
  const df = derivative(f);
  const d2f = derivative(df);
  const edf = untidiedDerivative(s);
  return {
    source,
    expr: { f, df, d2f },
    evalExpr: { f: s, df: edf, d2f: untidiedDerivative(edf) },
    params: paramNames(f),
    text: { f: printExpr(f), df: printExpr(df), d2f: printExpr(d2f) },
    latex: { f: toLatex(f), df: toLatex(df), d2f: toLatex(d2f) },
    notes: stabilityNotes(raw),
  };
}

/**
 * Scalar f, f′, f″ with parameters bound; throws UnboundParameterError for a missing one.
 * At ±∞ they return the limit (see `withLimits`), as the catalog's kernels do.
 */
export function compileActivation(a: CustomActivation, params: Readonly<Record<string, number>> = {}, mode: 'auto' | 'closure' | 'code' = 'auto'): Formulas<ScalarFn> {
  return {
    f: withLimits(compileScalar(a.evalExpr.f, params, mode)),
    df: withLimits(compileScalar(a.evalExpr.df, params, mode)),
    d2f: withLimits(compileScalar(a.evalExpr.d2f, params, mode)),
  };
}

const PROBES = [1e4, 1e8, 1e16, 1e32, 1e64, 1e128, 1e256];

/**
 * g at ±∞ when the formula gives NaN there (∞·0 in x·(1 − σ(x))): along x = ±10^4, 10^8,
 * 10^16, …, 10^256 the first two consecutive values that agree (to 1e-12) are the limit;
 * values that keep growing in size with one sign give ±∞; anything else stays NaN. Early
 * agreement matters: far out, a formula's own cancellation (2x − 2x in float64) is noise.
 */
export function withLimits(g: ScalarFn): ScalarFn {
  const limit = (sign: number): number => {
    const direct = g(sign * Infinity);
    if (!Number.isNaN(direct)) return direct;
    const v = PROBES.map((m) => g(sign * m));
    for (let i = 1; i < v.length; i++) {
      const a = v[i - 1] as number;
      const b = v[i] as number;
      if (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b))) return b;
    }
    const finite = v.filter((y) => !Number.isNaN(y));
    const growing = finite.length >= 3 && finite.every((y, i) => i === 0 || (Math.sign(y) === Math.sign(finite[0] as number) && Math.abs(y) > 10 * Math.abs(finite[i - 1] as number)));
    if (growing) return Math.sign(finite[0] as number) * Infinity;
    return NaN;
  };
  let pos: number | undefined;
  let neg: number | undefined;
  return (x: number): number => {
    if (x === Infinity) return (pos ??= limit(1));
    if (x === -Infinity) return (neg ??= limit(-1));
    return g(x);
  };
}

/**
 * An ElementwiseKernel for the trainer. In Node the forward and backward loops are generated
 * JavaScript with f and f′ inlined (σ(βx) computed once per element); elsewhere the loops call
 * closure trees.
 */
export function customKernel(a: CustomActivation, params: Readonly<Record<string, number>> = {}, mode: 'auto' | 'closure' | 'code' = 'auto'): ElementwiseKernel {
  const f = prepare(a.evalExpr.f, params);
  const df = prepare(a.evalExpr.df, params);
  const d2f = prepare(a.evalExpr.d2f, params);
  const useCode = mode === 'code' || (mode === 'auto' && canGenerateCode());
  if (!useCode) return makeKernel({ f: compileClosure(f), df: compileClosure(df), d2f: compileClosure(d2f) });
  const scalar = compileScalar(f, {}, 'code');
  const dscalar = compileScalar(df, {}, 'code');
  const d2scalar = compileScalar(d2f, {}, 'code');
  const fwd = generateCode([f]);
  const bwd = generateCode([df]);
  const loop = (statements: string[], assign: string): string =>
    `const m = n === undefined ? X.length : n;\nfor (let i = 0; i < m; i++) {\nconst x = X[i];\n${statements.join('\n')}\n${assign}\n}`;
  type Fwd = (X: NumArray, Y: NumArray, n?: number) => void;
  type Bwd = (X: NumArray, GY: NumArray, GX: NumArray, n?: number) => void;
  // one generated literal per dtype keeps each loop's element accesses monomorphic
  const fwdSrc = loop(fwd.statements, `Y[i] = ${fwd.outputs[0] as string};`);
  const bwdSrc = loop(bwd.statements, `GX[i] = GY[i] * ${bwd.outputs[0] as string};`);
  const fwd64 = makeFunction<Fwd>(['X', 'Y', 'n'], fwdSrc);
  const fwd32 = makeFunction<Fwd>(['X', 'Y', 'n'], fwdSrc);
  const bwd64 = makeFunction<Bwd>(['X', 'GY', 'GX', 'n'], bwdSrc);
  const bwd32 = makeFunction<Bwd>(['X', 'GY', 'GX', 'n'], bwdSrc);
  return makeKernel({
    f: scalar,
    df: dscalar,
    d2f: d2scalar,
    forward: (x, y, n) => (x instanceof Float64Array ? fwd64(x, y, n) : fwd32(x, y, n)),
    backward: (x, _y, gy, gx, n) => (x instanceof Float64Array ? bwd64(x, gy, gx, n) : bwd32(x, gy, gx, n)),
  });
}
