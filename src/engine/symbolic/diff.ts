// Symbolic differentiation with respect to x. Each rule sits beside the function it
// differentiates; the result is simplified and tidied (common factors pulled out), so the
// n-th derivative is derivative(derivative(…)) and stays readable.
//
// At kinks the rules choose what autograd returns: where(c, a, b)′ = where(c, a′, b′) keeps
// the condition's strictness; |u|′ = sign(u)·u′ (0 at u = 0); max/min split the gradient
// evenly at ties (torch.maximum, jnp.maximum); clamp passes it through on the closed
// interval (torch.clamp), and where lo > hi (clamp is hi there) it is hi′.
import { add, children, cmp, constant, div, fn, mul, neg, num, pow, sub, where, withChildren } from './ast';
import type { Expr, UnaryName } from './ast';
import { expandPrimitive } from './primitives';
import { simplify } from './simplify';
import { tidy } from './factor';

const ZERO = num(0);
const ONE = num(1);
const TWO_OVER_SQRT_PI = mul(num(2), pow(constant('pi'), num(-0.5)));

/** d/dx of `e`, unsimplified. */
function d(e: Expr): Expr {
  switch (e.kind) {
    case 'num': case 'param': case 'const': return ZERO;
    case 'x': return ONE;
    case 'add': return add(...e.terms.map(d));
    case 'mul': {
      const terms = e.factors.map((f, i) => mul(...e.factors.filter((_, j) => j !== i), d(f)));
      return add(...terms);
    }
    case 'pow': {
      const db = d(e.base);
      const de = d(e.exp);
      const constExp = isZero(de);
      if (constExp) return mul(e.exp, pow(e.base, sub(e.exp, ONE)), db); // (u^n)′ = n·u^(n−1)·u′
      if (isZero(db)) return mul(e, fn('log', e.base), de); // (a^v)′ = a^v·log a·v′
      return mul(e, add(mul(de, fn('log', e.base)), mul(e.exp, db, pow(e.base, num(-1)))));
    }
    case 'fn': {
      const u = e.arg;
      const du = d(u);
      if (isZero(du)) return ZERO;
      return mul(fnDerivative(e.name, u, e), du);
    }
    case 'minmax': {
      const da = d(e.a);
      const db = d(e.b);
      const tie = div(add(da, db), num(2));
      const first = e.op === 'max' ? '>' : '<';
      const second = e.op === 'max' ? '<' : '>';
      return where(cmp(first, e.a, e.b), da, where(cmp(second, e.a, e.b), db, tie));
    }
    case 'clamp': {
      // clamp(u, lo, hi) = min(max(u, lo), hi): hi wherever lo > hi (PyTorch, NumPy), so there f′ = hi′
      const dhi = d(e.hi);
      const below = where(cmp('>', e.lo, e.hi), dhi, d(e.lo));
      return where(cmp('<', e.arg, e.lo), below, where(cmp('>', e.arg, e.hi), dhi, d(e.arg)));
    }
    case 'where':
      return where(e.cond, d(e.then), d(e.else));
    case 'act':
      return d(expandPrimitive(e.name, e.arg, e.params));
  }
}

/** f′(u) for the elementary functions, written in terms of f(u) itself where that is the textbook form. */
function fnDerivative(name: UnaryName, u: Expr, self: Expr): Expr {
  switch (name) {
    case 'exp': return self; // (e^u)′ = e^u
    case 'log': return pow(u, num(-1));
    case 'log1p': return pow(add(ONE, u), num(-1));
    case 'expm1': return fn('exp', u);
    case 'abs': return fn('sign', u);
    case 'sign': return ZERO;
    case 'sin': return fn('cos', u);
    case 'cos': return neg(fn('sin', u));
    case 'tan': return add(ONE, pow(fn('tan', u), num(2)));
    case 'tanh': return sub(ONE, pow(self, num(2))); // 1 − tanh²
    case 'sinh': return fn('cosh', u);
    case 'cosh': return fn('sinh', u);
    case 'sigmoid': return mul(self, sub(ONE, self)); // σ(1 − σ)
    case 'softplus': return fn('sigmoid', u);
    case 'erf': return mul(TWO_OVER_SQRT_PI, fn('exp', neg(pow(u, num(2))))); // 2/√π·e^(−u²)
    case 'erfc': return mul(num(-1), TWO_OVER_SQRT_PI, fn('exp', neg(pow(u, num(2)))));
  }
}

function isZero(e: Expr): boolean {
  const s = simplify(e);
  return s.kind === 'num' && s.value === 0;
}

/** The first derivative, simplified and tidied. `e` may be raw or simplified. */
export function derivative(e: Expr): Expr {
  return tidy(simplify(d(simplify(e))));
}

/** The first derivative, simplified only: the form evaluators compile (tidy's factoring rounds). */
export function untidiedDerivative(e: Expr): Expr {
  return simplify(d(simplify(e)));
}

/** A where with a branch that is exactly 0 (possibly in a nested where). */
function hasZeroBranch(e: Expr): boolean {
  if (e.kind !== 'where') return false;
  const z = (b: Expr): boolean => (b.kind === 'num' && b.value === 0) || hasZeroBranch(b);
  return z(e.then) || z(e.else);
}

/**
 * For evaluation (compile.ts `prepare`): moves the other factors of a product into the branches
 * of a factor where(c, a, 0), so that the product is 0 on that branch even where another factor
 * overflows or is infinite. A 0/1 mask times a term that overflows on the masked side
 * (`x*(x > 0) + (exp(x) - 1)*(x <= 0)` at x = 800), relu(u) times e^(−x) at x = −800, and the
 * chain rule's exactly-0 inner derivative times an infinite outer one ((relu(x)^0.5)′ =
 * 0.5·relu(x)^−0.5·[x > 0] at x < 0) then give 0, as SymPy's Piecewise does, not 0·∞ = NaN.
 */
export function liftZeros(e: Expr): Expr {
  const m = withChildren(e, children(e).map(liftZeros));
  // where(c, a, 0)^n (n > 0; the simplifier collects equal where factors into a power) = where(c, a^n, 0)
  if (m.kind === 'pow' && m.exp.kind === 'num' && m.exp.value > 0 && hasZeroBranch(m.base)) {
    const w = m.base as Extract<Expr, { kind: 'where' }>;
    return where(w.cond, liftZeros(simplify(pow(w.then, m.exp))), liftZeros(simplify(pow(w.else, m.exp))));
  }
  if (m.kind !== 'mul') return m;
  const i = m.factors.findIndex(hasZeroBranch);
  if (i < 0) return m;
  const w = m.factors[i] as Extract<Expr, { kind: 'where' }>;
  const rest = m.factors.filter((_, j) => j !== i);
  return where(w.cond, liftZeros(simplify(mul(...rest, w.then))), liftZeros(simplify(mul(...rest, w.else))));
}

/** The n-th derivative (n ≥ 0). */
export function nthDerivative(e: Expr, n: number): Expr {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`derivative order must be a non-negative integer, got ${n}`);
  let r = tidy(simplify(e));
  for (let i = 0; i < n; i++) r = derivative(r);
  return r;
}
