// Simplification to a canonical form: numbers folded, like terms collected (2x + 3x = 5x),
// equal bases merged (x·x = x², e^a·e^b = e^(a+b)), 0·u and 1·u dropped, operands in a fixed
// order, and the numerically unstable spellings replaced by the stable functions they mean:
//   log(1 + e^u) → softplus(u)      1/(1 + e^−u) → sigmoid(u)     e^u/(1 + e^u) → sigmoid(u)
//   log(1 + u)   → log1p(u)         e^u − 1      → expm1(u)        log(sigmoid(u)) → −softplus(−u)
//   log(1 − sigmoid(u)) → −softplus(u)
// Nothing here expands products over sums: σ(x)(1 − σ(x)) stays factored. `tidy` (factor.ts)
// then pulls common factors out of sums, so derivatives read like a textbook (σ(1 − σ)(1 − 2σ)).
import { children } from './ast';
import type { Cond, Expr, UnaryName } from './ast';
import { isNonNegative } from './sign';

// ---------------------------------------------------------------------------------------
// Structural keys: equal keys ⇔ equal trees. Memoized, since sorting asks repeatedly.

const keys = new WeakMap<Expr, string>();
export function key(e: Expr): string {
  let k = keys.get(e);
  if (k !== undefined) return k;
  switch (e.kind) {
    case 'num': k = Object.is(e.value, -0) ? '0' : String(e.value); break;
    case 'x': k = 'x'; break;
    case 'param': k = `$${e.name}`; break;
    case 'const': k = `#${e.name}`; break;
    case 'add': k = `(+ ${e.terms.map(key).join(' ')})`; break;
    case 'mul': k = `(* ${e.factors.map(key).join(' ')})`; break;
    case 'pow': k = `(^ ${key(e.base)} ${key(e.exp)})`; break;
    case 'fn': k = `(${e.name} ${key(e.arg)})`; break;
    case 'minmax': k = `(${e.op} ${key(e.a)} ${key(e.b)})`; break;
    case 'clamp': k = `(clamp ${key(e.arg)} ${key(e.lo)} ${key(e.hi)})`; break;
    case 'where': k = `(where ${e.cond.op} ${key(e.cond.left)} ${key(e.cond.right)} ${key(e.then)} ${key(e.else)})`; break;
    case 'act': k = `(@${e.name} ${[e.arg, ...e.params].map(key).join(' ')})`; break;
  }
  keys.set(e, k);
  return k;
}

export const equal = (a: Expr, b: Expr): boolean => a === b || key(a) === key(b);

// Canonical order: numbers, constants, parameters, powers of x, functions, then the rest.
function rank(e: Expr): number {
  if (e.kind !== 'num' && e.kind !== 'param' && isPureConstant(e)) return 1;
  switch (e.kind) {
    case 'num': return 0;
    case 'const': return 1;
    case 'param': return 2;
    case 'x': return 3;
    case 'pow': return e.base.kind === 'x' ? 3 : rank(e.base);
    case 'fn': return 5;
    case 'act': return 6;
    case 'minmax': case 'clamp': return 7;
    case 'where': return 8;
    case 'add': return 9;
    case 'mul': return 10;
  }
}
/** Built from numbers and pi/e only. */
function isPureConstant(e: Expr): boolean {
  if (e.kind === 'x' || e.kind === 'param') return false;
  return children(e).every(isPureConstant);
}
function baseOf(e: Expr): Expr {
  return e.kind === 'pow' ? e.base : e;
}
function compareFactors(a: Expr, b: Expr): number {
  const r = rank(a) - rank(b);
  if (r) return r;
  const ka = key(baseOf(a));
  const kb = key(baseOf(b));
  if (ka !== kb) return ka < kb ? -1 : 1;
  const ea = key(a);
  const eb = key(b);
  return ea < eb ? -1 : ea > eb ? 1 : 0;
}
function compareTerms(a: Expr, b: Expr): number {
  return compareFactors(splitCoef(a)[1], splitCoef(b)[1]);
}

// ---------------------------------------------------------------------------------------
// Smart constructors: each returns a simplified node given simplified children.

export const N = (v: number): Expr => ({ kind: 'num', value: v });
const ZERO = N(0);
const ONE = N(1);
const isNum = (e: Expr, v?: number): e is { kind: 'num'; value: number } => e.kind === 'num' && (v === undefined || e.value === v);

/** Splits c·rest (c a number, 1 when absent). */
export function splitCoef(e: Expr): [number, Expr] {
  if (e.kind === 'num') return [e.value, ONE];
  if (e.kind === 'mul' && e.factors[0]?.kind === 'num') {
    const rest = e.factors.slice(1);
    return [e.factors[0].value, rest.length === 1 ? (rest[0] as Expr) : { kind: 'mul', factors: rest }];
  }
  return [1, e];
}

/** c·rest for a rest already simplified (not a number). */
function withCoef(c: number, rest: Expr): Expr {
  if (c === 0) return ZERO;
  if (c === 1) return rest;
  if (isNum(rest)) return N(c * rest.value);
  if (rest.kind === 'mul') return { kind: 'mul', factors: [N(c), ...rest.factors] };
  return { kind: 'mul', factors: [N(c), rest] };
}

export function sAdd(terms: readonly Expr[]): Expr {
  const flat: Expr[] = [];
  for (const t of terms) {
    if (t.kind === 'add') flat.push(...t.terms);
    else if (t.kind === 'mul' && t.factors.length === 2 && isNum(t.factors[0] as Expr, -1) && (t.factors[1] as Expr).kind === 'add') {
      // −(a + b) inside a sum: 1 − (1 − tanh²) = tanh²
      const k = (t.factors[0] as { value: number }).value;
      for (const u of (t.factors[1] as { terms: readonly Expr[] }).terms) flat.push(sMul([N(k), u]));
    } else flat.push(t);
  }
  let c = 0;
  const groups = new Map<string, { rest: Expr; coef: number }>();
  for (const t of flat) {
    if (t.kind === 'num') {
      c += t.value;
      continue;
    }
    const [k, rest] = splitCoef(t);
    const id = key(rest);
    const g = groups.get(id);
    if (g) g.coef += k;
    else groups.set(id, { rest, coef: k });
  }
  // e^u − 1 → expm1(u): loses every digit for small u as written
  if (c !== 0) {
    const exps = [...groups.values()].filter((g) => g.rest.kind === 'fn' && g.rest.name === 'exp' && g.coef === -c);
    if (exps.length === 1) {
      const g = exps[0] as { rest: Expr; coef: number };
      const u = (g.rest as { arg: Expr }).arg;
      groups.delete(key(g.rest));
      const m = sFn('expm1', u);
      const id = key(m);
      const old = groups.get(id);
      if (old) old.coef += g.coef;
      else groups.set(id, { rest: m, coef: g.coef });
      c = 0;
    }
  }
  const out: Expr[] = [];
  for (const g of groups.values()) if (g.coef !== 0) out.push(withCoef(g.coef, g.rest));
  out.sort(compareTerms);
  if (c !== 0 || Number.isNaN(c)) out.unshift(N(c));
  if (out.length === 0) return ZERO;
  if (out.length === 1) return out[0] as Expr;
  return { kind: 'add', terms: out };
}

export function sMul(factors: readonly Expr[]): Expr {
  let pending: Expr[] = [...factors];
  for (let round = 0; round < 8; round++) {
    const r = mulOnce(pending);
    if (!Array.isArray(r)) return r;
    pending = r;
  }
  return mulOnce(pending, true) as Expr;
}

/** One pass; returns a list to redo when merging produced new products. */
function mulOnce(factors: readonly Expr[], final = false): Expr | Expr[] {
  const flat: Expr[] = [];
  for (const f of factors) {
    if (f.kind === 'mul') flat.push(...f.factors);
    else flat.push(f);
  }
  let c = 1;
  const groups = new Map<string, { base: Expr; exps: Expr[] }>();
  const expArgs: Expr[] = [];
  for (const f of flat) {
    if (f.kind === 'num') {
      c *= f.value;
      continue;
    }
    if (f.kind === 'fn' && f.name === 'exp') {
      expArgs.push(f.arg);
      continue;
    }
    const b = f.kind === 'pow' ? f.base : f;
    const e = f.kind === 'pow' ? f.exp : ONE;
    const id = key(b);
    const g = groups.get(id);
    if (g) g.exps.push(e);
    else groups.set(id, { base: b, exps: [e] });
  }
  if (c === 0) return ZERO;
  // e^u/(1 + e^u) → σ(u): inf/inf as written once u ≳ 710
  if (expArgs.length === 1) {
    const u = expArgs[0] as Expr;
    for (const [id, g] of groups) {
      const s = sAdd(g.exps);
      if (isNum(s, -1) && isOnePlusExp(g.base, u)) {
        groups.delete(id);
        expArgs.length = 0;
        groups.set(key(sigmoidOf(u)), { base: sigmoidOf(u), exps: [ONE] });
        break;
      }
    }
  }
  // u·sign(u) → |u|
  for (const [id, g] of [...groups]) {
    if (g.base.kind !== 'fn' || g.base.name !== 'sign' || g.exps.length !== 1 || !isNum(g.exps[0] as Expr, 1)) continue;
    const ug = groups.get(key(g.base.arg));
    if (!ug || ug.exps.length !== 1 || !isNum(ug.exps[0] as Expr, 1)) continue;
    groups.delete(id);
    groups.delete(key(g.base.arg));
    const ab = sFn('abs', g.base.arg);
    const old = groups.get(key(ab));
    if (old) old.exps.push(ONE);
    else groups.set(key(ab), { base: ab, exps: [ONE] });
  }
  // (1 − t)ᵏ(1 + t)ᵏ → (1 − t²)ᵏ for t = tanh(u): sech² as the textbook writes it
  for (const [id, g] of [...groups]) {
    const t = onePlusTanh(g.base);
    if (!t || g.exps.length !== 1) continue;
    const minusId = key(sAdd([ONE, sNeg(t)]));
    const m = groups.get(minusId);
    if (!m || m.exps.length !== 1 || key(m.exps[0] as Expr) !== key(g.exps[0] as Expr)) continue;
    groups.delete(id);
    groups.delete(minusId);
    const b = sAdd([ONE, sNeg(sPow(t, N(2)))]);
    groups.set(key(b), { base: b, exps: [g.exps[0] as Expr] });
  }
  // sinh(u)ᵏ·cosh(u)⁻ᵏ → tanh(u)ᵏ (log cosh′): inf/inf as written once |u| ≳ 710
  for (const [id, g] of [...groups]) {
    if (g.base.kind !== 'fn' || g.base.name !== 'sinh' || g.exps.length !== 1 || !isNum(g.exps[0] as Expr)) continue;
    const cid = key(sFn('cosh', g.base.arg));
    const ch = groups.get(cid);
    if (!ch || ch.exps.length !== 1 || !isNum(ch.exps[0] as Expr, -(g.exps[0] as { value: number }).value)) continue;
    groups.delete(id);
    groups.delete(cid);
    const t = sFn('tanh', g.base.arg);
    const old = groups.get(key(t));
    if (old) old.exps.push(g.exps[0] as Expr);
    else groups.set(key(t), { base: t, exps: [g.exps[0] as Expr] });
  }
  // e^u·σ(−u) → σ(u) (e^u/(1 + e^u) after 1/(1 + e^u) became σ(−u)): inf·0 as written
  if (expArgs.length === 1) {
    const mu = sNeg(expArgs[0] as Expr);
    const id = key(sigmoidOf(mu));
    const g = groups.get(id);
    if (g && g.exps.length === 1 && isNum(g.exps[0] as Expr, 1)) {
      groups.delete(id);
      const s = sigmoidOf(expArgs[0] as Expr);
      expArgs.length = 0;
      groups.set(key(s), { base: s, exps: [ONE] });
    }
  }
  const out: Expr[] = [];
  let redo = false;
  if (expArgs.length) {
    const ex = sFn('exp', sAdd(expArgs));
    if (isNum(ex)) c *= ex.value;
    else out.push(ex);
  }
  // √2·√π → √(2π): positive constants under the same non-integer power share one root
  const byExp = new Map<string, { exp: Expr; bases: Expr[]; ids: string[] }>();
  for (const [id, g] of groups) {
    if (g.exps.length !== 1 || !isPositiveConstant(g.base)) continue;
    const ex = g.exps[0] as Expr;
    if (isNum(ex) && Number.isInteger(ex.value)) continue;
    const k = key(ex);
    const slot = byExp.get(k) ?? { exp: ex, bases: [], ids: [] };
    slot.bases.push(g.base);
    slot.ids.push(id);
    byExp.set(k, slot);
  }
  for (const slot of byExp.values()) {
    if (slot.bases.length < 2) continue;
    for (const id of slot.ids) groups.delete(id);
    const b = sMul(slot.bases);
    groups.set(key(b), { base: b, exps: [slot.exp] });
  }
  for (const g of groups.values()) {
    const p = sPow(g.base, g.exps.length === 1 ? (g.exps[0] as Expr) : sAdd(g.exps));
    if (isNum(p)) c *= p.value;
    else if (p.kind === 'mul') {
      out.push(...p.factors);
      redo = true;
    } else out.push(p);
  }
  if (c === 0) return ZERO;
  if (redo && !final) return c === 1 ? out : [N(c), ...out];
  out.sort(compareFactors);
  if (c !== 1) out.unshift(N(c));
  if (out.length === 0) return ONE;
  if (out.length === 1) return out[0] as Expr;
  return { kind: 'mul', factors: out };
}

/** t when b is 1 + tanh(u). */
function onePlusTanh(b: Expr): Expr | undefined {
  if (b.kind !== 'add' || b.terms.length !== 2 || !isNum(b.terms[0] as Expr, 1)) return undefined;
  const t = b.terms[1] as Expr;
  return t.kind === 'fn' && t.name === 'tanh' ? t : undefined;
}

function isPositiveConstant(e: Expr): boolean {
  if (e.kind === 'num') return e.value > 0;
  if (e.kind === 'const') return true;
  if (e.kind === 'mul') return e.factors.every(isPositiveConstant);
  if (e.kind === 'pow') return isPositiveConstant(e.base) && isPureConstant(e.exp);
  return false;
}

function isOnePlusExp(b: Expr, u: Expr): boolean {
  return b.kind === 'add' && b.terms.length === 2 && isNum(b.terms[0] as Expr, 1) && (b.terms[1] as Expr).kind === 'fn' && (b.terms[1] as { name: string }).name === 'exp' && equal((b.terms[1] as { arg: Expr }).arg, u);
}
function sigmoidOf(u: Expr): Expr {
  return { kind: 'fn', name: 'sigmoid', arg: u };
}
export const sNeg = (e: Expr): Expr => sMul([N(-1), e]);

export function sPow(b: Expr, e: Expr): Expr {
  if (isNum(e, 0)) return ONE;
  if (isNum(e, 1)) return b;
  if (isNum(b, 1)) return ONE;
  if (isNum(b) && isNum(e)) {
    const r = Math.pow(b.value, e.value);
    if (Number.isInteger(e.value) || Number.isInteger(r) || !Number.isFinite(r)) return N(r);
    return { kind: 'pow', base: b, exp: e };
  }
  if (b.kind === 'const' && b.name === 'e') return sFn('exp', e);
  if (b.kind === 'pow' && isNum(e) && Number.isInteger(e.value)) return sPow(b.base, sMul([b.exp, e]));
  if (b.kind === 'pow' && isNum(e) && isNum(b.exp) && Number.isInteger(b.exp.value) && b.exp.value % 2 !== 0) return sPow(b.base, N(b.exp.value * e.value));
  // (u^2k)^e = |u|^(2k·e) for real u: √(x²) = |x|, whose f″ is 0 rather than a cancelling sum
  if (b.kind === 'pow' && isNum(e) && isNum(b.exp) && Number.isInteger(b.exp.value) && b.exp.value % 2 === 0 && b.exp.value !== 0) return sPow(sFn('abs', b.base), N(b.exp.value * e.value));
  if (b.kind === 'mul' && isNum(e) && Number.isInteger(e.value)) return sMul(b.factors.map((f) => sPow(f, e)));
  if (b.kind === 'fn' && b.name === 'exp' && isNum(e)) return sFn('exp', sMul([b.arg, e]));
  if (isNum(e, -1) && b.kind === 'add' && b.terms.length === 2 && isNum(b.terms[0] as Expr, 1)) {
    // 1/(1 + e^−u) → σ(u)
    const t = b.terms[1] as Expr;
    if (t.kind === 'fn' && t.name === 'exp') return sigmoidOf(sNeg(t.arg));
  }
  if (b.kind === 'fn' && b.name === 'abs' && isNum(e) && Number.isInteger(e.value) && e.value % 2 === 0) return sPow(b.arg, e);
  // where(c, 1, 0)² = where(c, 1, 0): a power of constant branches is taken branch-wise
  if (b.kind === 'where' && isNum(e) && e.value > 0 && Number.isInteger(e.value) && isNum(b.then) && isNum(b.else)) return sWhere(b.cond, sPow(b.then, e), sPow(b.else, e));
  return { kind: 'pow', base: b, exp: e };
}

const ODD: ReadonlySet<UnaryName> = new Set<UnaryName>(['sin', 'tan', 'tanh', 'sinh', 'erf', 'sign']);
const EVEN: ReadonlySet<UnaryName> = new Set<UnaryName>(['cos', 'cosh', 'abs']);

/** Values folded when the argument is a number and the result is exactly representable. */
const FOLD_AT: Partial<Record<UnaryName, (v: number) => number | undefined>> = {
  exp: (v) => (v === 0 ? 1 : undefined),
  log: (v) => (v === 1 ? 0 : undefined),
  log1p: (v) => (v === 0 ? 0 : undefined),
  expm1: (v) => (v === 0 ? 0 : undefined),
  abs: (v) => Math.abs(v),
  sign: (v) => Math.sign(v),
  sin: (v) => (v === 0 ? 0 : undefined),
  cos: (v) => (v === 0 ? 1 : undefined),
  tan: (v) => (v === 0 ? 0 : undefined),
  tanh: (v) => (v === 0 ? 0 : undefined),
  sinh: (v) => (v === 0 ? 0 : undefined),
  cosh: (v) => (v === 0 ? 1 : undefined),
  sigmoid: (v) => (v === 0 ? 0.5 : undefined),
  erf: (v) => (v === 0 ? 0 : undefined),
  erfc: (v) => (v === 0 ? 1 : undefined),
};

export function sFn(name: UnaryName, a: Expr): Expr {
  if (isNum(a)) {
    const v = FOLD_AT[name]?.(a.value);
    if (v !== undefined) return N(v);
  }
  if (name === 'abs' && isNonNegative(a)) return a; // |x²| = x²: its f″ is 2 at 0, not sign(0)·2
  const [c, rest] = splitCoef(a);
  if (c < 0 && ODD.has(name)) return sNeg(sFn(name, withCoef(-c, rest)));
  if (c < 0 && EVEN.has(name)) return sFn(name, withCoef(-c, rest));
  if (name === 'abs' && c !== 1 && !isNum(rest)) return sMul([N(Math.abs(c)), sFn('abs', rest)]);
  if (name === 'abs' && a.kind === 'fn' && a.name === 'abs') return a;
  if (name === 'exp' && a.kind === 'fn' && a.name === 'log') return a.arg;
  if (name === 'log') {
    if (a.kind === 'fn' && a.name === 'exp') return a.arg;
    if (a.kind === 'const' && a.name === 'e') return ONE;
    // log σ(u) = −softplus(−u): −inf as written once u ≲ −745
    if (a.kind === 'fn' && a.name === 'sigmoid') return sNeg(sFn('softplus', sNeg(a.arg)));
    if (a.kind === 'add' && isNum(a.terms[0] as Expr, 1)) {
      const rest1 = sAdd(a.terms.slice(1));
      // log(1 + e^u) → softplus(u); log(1 + u) → log1p(u)
      if (rest1.kind === 'fn' && rest1.name === 'exp') return sFn('softplus', rest1.arg);
      return sFn('log1p', rest1);
    }
  }
  if (name === 'log1p' && a.kind === 'fn' && a.name === 'exp') return sFn('softplus', a.arg);
  // log(1 − σ(u)) = log σ(−u) = −softplus(u): −inf as written once σ(u) rounds to 1 (u ≳ 37)
  if (name === 'log1p' && c === -1 && rest.kind === 'fn' && rest.name === 'sigmoid') return sNeg(sFn('softplus', rest.arg));
  if (name === 'log1p' && a.kind === 'fn' && a.name === 'expm1') return a.arg;
  if (name === 'sign' && a.kind === 'fn' && a.name === 'abs') return { kind: 'fn', name: 'sign', arg: a };
  return { kind: 'fn', name, arg: a };
}

export function sMinMax(op: 'min' | 'max', a: Expr, b: Expr): Expr {
  if (isNum(a) && isNum(b)) return N(op === 'min' ? Math.min(a.value, b.value) : Math.max(a.value, b.value));
  if (equal(a, b)) return a;
  // absorption: min(a, max(a, b)) = a = max(a, min(a, b)) — smooth, though autograd splits its ties
  const other = op === 'min' ? 'max' : 'min';
  const holds = (m: Expr, u: Expr): boolean => m.kind === 'minmax' && m.op === other && (equal(m.a, u) || equal(m.b, u));
  if (holds(b, a)) return a;
  if (holds(a, b)) return b;
  // max(x², 0) = x², min(x², 0) = 0 exactly (a tie only in value, not a kink)
  if (isNum(b, 0) && isNonNegative(a)) return op === 'max' ? a : b;
  if (isNum(a, 0) && isNonNegative(b)) return op === 'max' ? b : a;
  const lim = op === 'min' ? Infinity : -Infinity;
  if (isNum(a, lim)) return b;
  if (isNum(b, lim)) return a;
  return { kind: 'minmax', op, a, b };
}

export function sClamp(u: Expr, lo: Expr, hi: Expr): Expr {
  if (isNum(u) && isNum(lo) && isNum(hi)) return N(Math.min(Math.max(u.value, lo.value), hi.value));
  if (isNum(lo, -Infinity) && isNum(hi, Infinity)) return u;
  return { kind: 'clamp', arg: u, lo, hi };
}

export function decide(c: Cond): boolean | undefined {
  if (!isNum(c.left) || !isNum(c.right)) return equal(c.left, c.right) ? c.op === '<=' || c.op === '>=' || c.op === '==' : undefined;
  const l = c.left.value;
  const r = c.right.value;
  switch (c.op) {
    case '<': return l < r;
    case '<=': return l <= r;
    case '>': return l > r;
    case '>=': return l >= r;
    case '==': return l === r;
  }
}

const FLIP: Readonly<Record<Cond['op'], Cond['op']>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==' };

/** a·x + b op r with numbers a ≠ 0, b, r → x op' (r − b)/a, so kinks read x ≤ −3, not x + 3 ≤ 0. */
export function normalizeCond(c0: Cond): Cond {
  // both sides linear in x (x > 0.01*x): compare their difference with 0
  const c: Cond = isNum(c0.right) ? c0 : { op: c0.op, left: sAdd([c0.left, sNeg(c0.right)]), right: ZERO };
  const terms = c.left.kind === 'add' ? c.left.terms : [c.left];
  if (!isNum(c.right)) return c0;
  let b = 0;
  let a = 0;
  for (const t of terms) {
    if (isNum(t)) b += t.value;
    else {
      const [k, rest] = splitCoef(t);
      if (rest.kind !== 'x') return c0;
      a += k;
    }
  }
  if (a === 0) return c0;
  if (a === 1 && b === 0) return c;
  const r = (c.right.value - b) / a;
  return { op: a > 0 ? c.op : FLIP[c.op], left: { kind: 'x' }, right: N(r) };
}

export function sWhere(c0: Cond, t: Expr, f: Expr): Expr {
  const c = normalizeCond(c0);
  const d = decide(c);
  if (d !== undefined) return d ? t : f;
  if (equal(t, f)) return t;
  return { kind: 'where', cond: c, then: t, else: f };
}

// ---------------------------------------------------------------------------------------

/** Applies the smart constructor of the top node only (its children already simplified). */
export function simplifyNode(e: Expr): Expr {
  switch (e.kind) {
    case 'num': case 'x': case 'param': case 'const': case 'act': return e;
    case 'add': return sAdd(e.terms);
    case 'mul': return sMul(e.factors);
    case 'pow': return sPow(e.base, e.exp);
    case 'fn': return sFn(e.name, e.arg);
    case 'minmax': return sMinMax(e.op, e.a, e.b);
    case 'clamp': return sClamp(e.arg, e.lo, e.hi);
    case 'where': return sWhere(e.cond, e.then, e.else);
  }
}

/** Simplifies bottom-up. Idempotent: simplify(simplify(e)) has the same key. */
export function simplify(e: Expr): Expr {
  switch (e.kind) {
    case 'num': case 'x': case 'param': case 'const': return e;
    case 'add': return sAdd(e.terms.map(simplify));
    case 'mul': return sMul(e.factors.map(simplify));
    case 'pow': return sPow(simplify(e.base), simplify(e.exp));
    case 'fn': return sFn(e.name, simplify(e.arg));
    case 'minmax': return sMinMax(e.op, simplify(e.a), simplify(e.b));
    case 'clamp': return sClamp(simplify(e.arg), simplify(e.lo), simplify(e.hi));
    case 'where': return sWhere({ op: e.cond.op, left: simplify(e.cond.left), right: simplify(e.cond.right) }, simplify(e.then), simplify(e.else));
    case 'act': return { kind: 'act', name: e.name, arg: simplify(e.arg), params: e.params.map(simplify) };
  }
}
