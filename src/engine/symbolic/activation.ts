// A custom activation from its --expr text: the simplified f, f′, f″ (printed and in LaTeX),
// notes on unstable spellings, and evaluators — scalar functions and a training kernel whose
// loops are generated code (no tree walk per element) where eval is allowed.
import type { Expr } from './ast';
import { paramNames } from './ast';
import { canGenerateCode, compileClosure, compileScalar, generateCode, makeFunction, prepare } from './compile';
import type { ScalarFn } from './compile';
import { derivative } from './diff';
import { toLatex } from './latex';
import { parseExpr } from './parse';
import { printExpr } from './print';
import { simplify, tidy } from './simplify';
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
  /** f, f′, f″ simplified, parameters still symbolic. */
  readonly expr: Formulas<Expr>;
  /** Parameter names the expression uses, sorted. */
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
  const f = tidy(simplify(raw));
  const df = derivative(f);
  const d2f = derivative(df);
  return {
    source,
    expr: { f, df, d2f },
    params: paramNames(f),
    text: { f: printExpr(f), df: printExpr(df), d2f: printExpr(d2f) },
    latex: { f: toLatex(f), df: toLatex(df), d2f: toLatex(d2f) },
    notes: stabilityNotes(raw),
  };
}

/** Scalar f, f′, f″ with parameters bound; throws UnboundParameterError for a missing one. */
export function compileActivation(a: CustomActivation, params: Readonly<Record<string, number>> = {}, mode: 'auto' | 'closure' | 'code' = 'auto'): Formulas<ScalarFn> {
  return { f: compileScalar(a.expr.f, params, mode), df: compileScalar(a.expr.df, params, mode), d2f: compileScalar(a.expr.d2f, params, mode) };
}

/**
 * An ElementwiseKernel for the trainer. In Node the forward and backward loops are generated
 * JavaScript with f and f′ inlined (σ(βx) computed once per element); elsewhere the loops call
 * closure trees.
 */
export function customKernel(a: CustomActivation, params: Readonly<Record<string, number>> = {}, mode: 'auto' | 'closure' | 'code' = 'auto'): ElementwiseKernel {
  const f = prepare(a.expr.f, params);
  const df = prepare(a.expr.df, params);
  const d2f = prepare(a.expr.d2f, params);
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
