// Expression trees for activations typed by hand or read from code. Pure TypeScript.
//
// The tree is kept in the canonical shape computer algebra systems use: subtraction is a sum
// with a −1 coefficient (a − b = a + (−1)·b), division a product with a −1 power
// (a / b = a·b⁻¹), √u a power u^0.5. Sums and products are n-ary. The parser builds this
// shape directly; `simplify` (simplify.ts) then folds, collects and orders it; the printers
// turn it back into `a - b`, `a/b`, `sqrt(u)`.

export type CmpOp = '<' | '<=' | '>' | '>=' | '==';

/** Elementary functions of one argument. */
export const UNARY_FUNCTIONS = [
  'exp', 'log', 'log1p', 'expm1', 'abs', 'sign', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh',
  'sigmoid', 'softplus', 'erf', 'erfc',
] as const;
export type UnaryName = (typeof UNARY_FUNCTIONS)[number];

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  /** The variable, always spelled `x`. */
  | { readonly kind: 'x' }
  /** A named parameter (`beta`, `alpha`), bound to a number when compiled. */
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'const'; readonly name: 'pi' | 'e' }
  | { readonly kind: 'add'; readonly terms: readonly Expr[] }
  | { readonly kind: 'mul'; readonly factors: readonly Expr[] }
  | { readonly kind: 'pow'; readonly base: Expr; readonly exp: Expr }
  /** exp, log, …, sigmoid, softplus, erf (UNARY_FUNCTIONS); √u is pow(u, 0.5). */
  | { readonly kind: 'fn'; readonly name: UnaryName; readonly arg: Expr }
  | { readonly kind: 'minmax'; readonly op: 'min' | 'max'; readonly a: Expr; readonly b: Expr }
  /** torch.clamp semantics: the derivative passes through on the closed interval [lo, hi]. */
  | { readonly kind: 'clamp'; readonly arg: Expr; readonly lo: Expr; readonly hi: Expr }
  | { readonly kind: 'where'; readonly cond: Cond; readonly then: Expr; readonly else: Expr }
  /**
   * A catalog activation used as a primitive (`relu(x)`, `leaky_relu(x, 0.2)`). `params` are
   * its numeric arguments after the input, in the order of PRIMITIVES[name].params. Its
   * meaning (value and derivatives) is the expansion in primitives.ts.
   */
  | { readonly kind: 'act'; readonly name: string; readonly arg: Expr; readonly params: readonly Expr[] };

export interface Cond {
  readonly op: CmpOp;
  readonly left: Expr;
  readonly right: Expr;
}

// ---------------------------------------------------------------------------------------
// Raw constructors: no simplification (the parser and the code translators use these, then
// call `simplify`).

export const num = (value: number): Expr => ({ kind: 'num', value });
export const X: Expr = { kind: 'x' };
export const param = (name: string): Expr => ({ kind: 'param', name });
export const constant = (name: 'pi' | 'e'): Expr => ({ kind: 'const', name });
export const add = (...terms: Expr[]): Expr => ({ kind: 'add', terms });
export const mul = (...factors: Expr[]): Expr => ({ kind: 'mul', factors });
export const pow = (base: Expr, exp: Expr): Expr => ({ kind: 'pow', base, exp });
export const neg = (a: Expr): Expr => mul(num(-1), a);
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));
export const div = (a: Expr, b: Expr): Expr => mul(a, pow(b, num(-1)));
export const fn = (name: UnaryName, arg: Expr): Expr => ({ kind: 'fn', name, arg });
export const minmax = (op: 'min' | 'max', a: Expr, b: Expr): Expr => ({ kind: 'minmax', op, a, b });
export const clamp = (arg: Expr, lo: Expr, hi: Expr): Expr => ({ kind: 'clamp', arg, lo, hi });
export const where = (cond: Cond, then: Expr, otherwise: Expr): Expr => ({ kind: 'where', cond, then, else: otherwise });
export const cmp = (op: CmpOp, left: Expr, right: Expr): Cond => ({ op, left, right });
export const act = (name: string, arg: Expr, params: readonly Expr[] = []): Expr => ({ kind: 'act', name, arg, params });

// ---------------------------------------------------------------------------------------
// Generic traversal

/** The direct sub-expressions, in a fixed order (conditions' sides included). */
export function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'num': case 'x': case 'param': case 'const': return [];
    case 'add': return e.terms;
    case 'mul': return e.factors;
    case 'pow': return [e.base, e.exp];
    case 'fn': return [e.arg];
    case 'minmax': return [e.a, e.b];
    case 'clamp': return [e.arg, e.lo, e.hi];
    case 'where': return [e.cond.left, e.cond.right, e.then, e.else];
    case 'act': return [e.arg, ...e.params];
  }
}

/** The same node with new children (same order as `children`). */
export function withChildren(e: Expr, k: readonly Expr[]): Expr {
  const at = (i: number): Expr => k[i] as Expr;
  switch (e.kind) {
    case 'num': case 'x': case 'param': case 'const': return e;
    case 'add': return { kind: 'add', terms: [...k] };
    case 'mul': return { kind: 'mul', factors: [...k] };
    case 'pow': return pow(at(0), at(1));
    case 'fn': return fn(e.name, at(0));
    case 'minmax': return minmax(e.op, at(0), at(1));
    case 'clamp': return clamp(at(0), at(1), at(2));
    case 'where': return where(cmp(e.cond.op, at(0), at(1)), at(2), at(3));
    case 'act': return act(e.name, at(0), k.slice(1));
  }
}

/** Bottom-up rewrite. */
export function mapBottomUp(e: Expr, f: (e: Expr) => Expr): Expr {
  const k = children(e);
  const node = k.length ? withChildren(e, k.map((c) => mapBottomUp(c, f))) : e;
  return f(node);
}

export function some(e: Expr, pred: (e: Expr) => boolean): boolean {
  if (pred(e)) return true;
  return children(e).some((c) => some(c, pred));
}

/** True when `e` does not depend on x (numbers, constants, parameters). */
export function isConstant(e: Expr): boolean {
  return !some(e, (n) => n.kind === 'x');
}

/** Names of the parameters `e` uses, sorted. */
export function paramNames(e: Expr): string[] {
  const s = new Set<string>();
  const visit = (n: Expr): void => {
    if (n.kind === 'param') s.add(n.name);
    children(n).forEach(visit);
  };
  visit(e);
  return [...s].sort();
}

/** Replaces parameters by numbers (names not in `values` stay parameters). */
export function bindParams(e: Expr, values: Readonly<Record<string, number>>): Expr {
  return mapBottomUp(e, (n) => (n.kind === 'param' && Object.prototype.hasOwnProperty.call(values, n.name) ? num(values[n.name] as number) : n));
}

/** Replaces x by `u`. */
export function substituteX(e: Expr, u: Expr): Expr {
  return mapBottomUp(e, (n) => (n.kind === 'x' ? u : n));
}

/** Number of nodes, a rough measure of how long a printed expression is. */
export function size(e: Expr): number {
  let n = 1;
  for (const c of children(e)) n += size(c);
  return n;
}
