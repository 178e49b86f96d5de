// Which expressions are ≥ 0 for every real x, so that |u| = u, max(u, 0) = u and min(u, 0) = 0
// hold exactly — as a computer algebra system simplifies them for a real variable. Then
// |x²|″ = 2 at 0 (not sign(0)·2 = 0) and min(x², 0) is 0 everywhere, f″ included.
import type { Expr } from './ast';

const NON_NEGATIVE_FNS: ReadonlySet<string> = new Set(['exp', 'abs', 'cosh', 'sigmoid', 'softplus', 'erfc']);

/** True when `e` is ≥ 0 (or NaN) for every real x, judged from its structure alone (parameters count as unknown sign). */
export function isNonNegative(e: Expr): boolean {
  switch (e.kind) {
    case 'num': return e.value >= 0;
    case 'const': return true;
    case 'x': case 'param': case 'where': case 'clamp': case 'act': return false;
    case 'pow':
      if (e.exp.kind === 'num' && Number.isInteger(e.exp.value) && e.exp.value % 2 === 0) return true;
      return isNonNegative(e.base);
    case 'fn':
      if (NON_NEGATIVE_FNS.has(e.name)) return true;
      // log1p, sqrt-like monotone maps of a non-negative argument stay non-negative
      return (e.name === 'log1p' || e.name === 'expm1' || e.name === 'tanh' || e.name === 'sinh' || e.name === 'erf' || e.name === 'sign') && isNonNegative(e.arg);
    case 'add': return e.terms.every(isNonNegative);
    case 'mul': return e.factors.every(isNonNegative);
    case 'minmax': return e.op === 'max' ? isNonNegative(e.a) || isNonNegative(e.b) : isNonNegative(e.a) && isNonNegative(e.b);
  }
}
