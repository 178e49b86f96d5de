// The symbolic core: activations as expressions in x. Pure TypeScript (no vscode, no node:).
//
//   const f = parseExpr('x * sigmoid(beta * x)');        // tree; throws ExprSyntaxError{column}
//   const s = simplify(f);                               // canonical, stable spellings
//   printExpr(derivative(s))                             // 'sigmoid(beta*x)*(1 + beta*x*(1 - sigmoid(beta*x)))'
//
// Trees are plain data (ast.ts). Code translators build them with the raw constructors
// (num, X, param, add, sub, mul, div, pow, neg, fn, minmax, clamp, where, cmp, act) and
// then call `simplify`; `printExpr` gives back the --expr syntax that `parseExpr` reads.
export type { CmpOp, Cond, Expr, UnaryName } from './ast';
export {
  UNARY_FUNCTIONS, X, act, add, bindParams, children, clamp, cmp, constant, div, fn, isConstant, mapBottomUp, minmax, mul, neg, num, param,
  paramNames, pow, size, some, sub, substituteX, where, withChildren,
} from './ast';
export { ExprSyntaxError, FUNCTION_NAMES, knownFunctions, parseExpr } from './parse';
export { PRIMITIVES, PRIMITIVE_BY_NAME, expandPrimitive } from './primitives';
export type { Primitive, PrimitiveParam } from './primitives';
export { equal, key, simplify } from './simplify';
export { tidy } from './factor';
export { derivative, nthDerivative } from './diff';
export { printExpr } from './print';
export { toLatex, paramLatex } from './latex';
export { UnboundParameterError, canGenerateCode, compileClosure, compileCode, compileScalar, prepare } from './compile';
export type { ScalarFn } from './compile';
export { stabilityNotes } from './stability';
export type { StabilityNote } from './stability';
export { findKinks, switchingFunctions } from './kinks';
export type { SymbolicKink } from './kinks';
export { analyzeExpr, analyzeTree, compileActivation, customKernel, withLimits } from './activation';
export type { CustomActivation, Formulas } from './activation';
