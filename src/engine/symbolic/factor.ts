// Factoring for display, on simplified trees: common factors out of sums (a·b + a·c →
// a(b + c)), sums over a common denominator (1/s − u/s² → (s − u)/s²), and for sums of
// σ/tanh terms the textbook factors (1 − σ), (1 − tanh²) found as polynomial roots, then the
// rest collected in powers of x: σ″ = σ(1 − σ)(1 − 2σ), SiLU″ = σ(1 − σ)(2 + x(1 − 2σ)).
import { children, withChildren } from './ast';
import type { Expr } from './ast';
import { N, key, sAdd, sMul, sPow, simplify, simplifyNode, splitCoef } from './simplify';

const ONE = N(1);
const isNum = (e: Expr, v?: number): e is { kind: 'num'; value: number } => e.kind === 'num' && (v === undefined || e.value === v);


function factorsOf(t: Expr): Map<string, { base: Expr; exp: number }> {
  const m = new Map<string, { base: Expr; exp: number }>();
  const [, rest] = splitCoef(t);
  const list = rest.kind === 'mul' ? rest.factors : [rest];
  for (const f of list) {
    if (isNum(f)) continue;
    const b = f.kind === 'pow' && isNum(f.exp) ? f.base : f;
    const ex = f.kind === 'pow' && isNum(f.exp) ? f.exp.value : 1;
    m.set(key(b), { base: b, exp: ex });
  }
  return m;
}

function weight(e: Expr): number {
  let n = 1;
  for (const c of children(e)) n += weight(c);
  return n;
}

/**
 * Distributes products over the sums they contain, one level, then re-simplifies. Returns
 * `e` itself unless distributing let terms combine or cancel.
 */
export function expandOnce(e: Expr, always = false): Expr {
  if (e.kind !== 'add') {
    if (e.kind === 'mul' && always) return expandOnce({ kind: 'add', terms: [e] }, true);
    return e;
  }
  const terms: Expr[] = [];
  for (const t of e.terms) {
    if (t.kind !== 'mul') {
      terms.push(t);
      continue;
    }
    const i = t.factors.findIndex((f) => f.kind === 'add');
    if (i < 0) {
      terms.push(t);
      continue;
    }
    const others = t.factors.filter((_, j) => j !== i);
    for (const s of (t.factors[i] as { terms: readonly Expr[] }).terms) terms.push(sMul([...others, s]));
  }
  const r = sAdd(terms);
  const n = r.kind === 'add' ? r.terms.length : 1;
  return always || n < terms.length ? r : e;
}

/**
 * a/s + b/s² → (a·s + b)/s² for a sum s under negative powers that differ by integers
 * (softsign′ = 1/(1 + |x|) − |x|/(1 + |x|)² = 1/(1 + |x|)²). Kept only when shorter.
 */
function commonDenominator(e: Expr): Expr {
  if (e.kind !== 'add') return e;
  const maps = e.terms.map(factorsOf);
  for (const [id, f] of maps.flatMap((m) => [...m])) {
    if (f.base.kind !== 'add' || f.exp >= 0) continue;
    const exps = maps.map((m) => m.get(id)?.exp ?? 0);
    if (!exps.every((x) => x <= 0 && Number.isInteger(x - f.exp))) continue;
    const lo = Math.min(...exps);
    if (Math.max(...exps) - lo > 4) continue;
    const cof = e.terms.map((t, i) => {
      const k = (exps[i] as number) - lo;
      const rest = sMul([t, sPow(f.base, N(-(exps[i] as number)))]);
      return expandProducts(k === 0 ? rest : sMul([rest, ...Array.from({ length: k }, () => f.base)]));
    });
    if (cof.some((c) => c === undefined)) continue;
    const inner = sAdd(cof as Expr[]);
    const out = sMul([sPow(f.base, N(lo)), inner]);
    if (weight(out) < weight(e)) return out;
  }
  return e;
}

/**
 * A product with sum factors multiplied out (a·(b + c)·(d + e) → abd + abe + acd + ace),
 * or undefined when that would exceed 64 terms.
 */
function expandProducts(e: Expr): Expr | undefined {
  if (e.kind !== 'mul') return e;
  let terms: Expr[] = [ONE];
  for (const f of e.factors) {
    const parts = f.kind === 'add' ? f.terms : [f];
    if (terms.length * parts.length > 64) return undefined;
    terms = terms.flatMap((t) => parts.map((p) => sMul([t, p])));
  }
  return sAdd(terms);
}

/** The factors every term of a sum shares (numeric powers, smallest in size, one sign). */
function commonFactors(terms: readonly Expr[]): { base: Expr; exp: number }[] {
  const maps = terms.map(factorsOf);
  const first = maps[0] as Map<string, { base: Expr; exp: number }>;
  const common: { base: Expr; exp: number }[] = [];
  for (const [id, f] of first) {
    // the power every term shares: the smallest in size, all of one sign
    const sgn = Math.sign(f.exp);
    let ex = Math.abs(f.exp);
    let ok = true;
    for (const m of maps.slice(1)) {
      const g = m.get(id);
      if (!g || Math.sign(g.exp) !== sgn) ok = false;
      else ex = Math.min(ex, Math.abs(g.exp));
    }
    if (ok) common.push({ base: f.base, exp: sgn * ex });
  }
  return common;
}

function factorSum(e0: Expr): Expr {
  const e = commonDenominator(e0);
  if (e.kind !== 'add' || e.terms.length < 2) return e;
  const shallow = shallowFactor(e);
  // multiplying out is for the short sums derivatives of activations produce
  const deep = weight(e) <= DEEP_MAX_WEIGHT ? deepFactor(e) : undefined;
  // grouping in x (x(1 − 2σ) rather than x − 2xσ) costs a node or two and is worth it
  return deep !== undefined && weight(deep) <= weight(shallow) + 3 ? deep : shallow;
}

/**
 * The number every coefficient is an integer multiple of (2 in 2 − 2t², 2.896804 in
 * 2.896804 − 5.793608σ), negative when every coefficient is; 1 when there is none.
 */
function numericContent(terms: readonly Expr[]): number {
  const cs = terms.map((t) => splitCoef(t)[0]);
  if (cs.some((c) => !Number.isFinite(c) || c === 0)) return 1;
  const sign = cs.every((c) => c < 0) ? -1 : 1;
  const m = Math.min(...cs.map(Math.abs));
  const ok = cs.every((c) => {
    const r = Math.abs(c) / m;
    return Math.abs(r - Math.round(r)) <= 1e-12 * r;
  });
  return ok ? sign * m : sign;
}

/** c·rest / k with the quotient rounded to the integer it is meant to be (no 1.7019999999999997). */
function divideCoef(t: Expr, k: number): Expr {
  if (k === 1) return t;
  const [c, rest] = splitCoef(t);
  const r = c / k;
  const q = Math.abs(r - Math.round(r)) <= 1e-12 * Math.abs(r) ? Math.round(r) : r;
  return sMul([N(q), rest]);
}

function shallowFactor(e: Expr & { kind: 'add' }): Expr {
  const common = commonFactors(e.terms);
  const content = numericContent(e.terms);
  if (!common.length && (content === 1 || content === -1)) return e;
  const divisor = common.map((f) => sPow(f.base, N(-f.exp)));
  const inner = sAdd(e.terms.map((t) => sMul([divideCoef(t, content), ...divisor])));
  if (content !== 1) common.unshift({ base: N(content), exp: 1 });
  const best = expandOnce(inner);
  const out = sMul([...common.map((f) => sPow(f.base, N(f.exp))), tidy(best)]);
  // a shared symbol outside reads better even when the tree is a node longer: β(1 − σ)
  return weight(out) <= weight(e) + 1 ? out : e;
}

/** Simplified and with common factors pulled out of sums (for derivatives and display). */
export function tidy(e: Expr): Expr {
  return tidyIn(simplify(e), new Map());
}

function tidyIn(e: Expr, memo: Map<string, Expr>): Expr {
  const id = key(e);
  const have = memo.get(id);
  if (have) return have;
  const k = children(e);
  const node = k.length ? simplifyNode(withChildren(e, k.map((c) => tidyIn(c, memo)))) : e;
  const out = node.kind === 'add' ? factorSum(node) : node;
  memo.set(id, out);
  return out;
}

// ---------------------------------------------------------------------------------------
// Deep factoring: multiply everything out, then factor as a polynomial.

const MAX_TERMS = 64;
const DEEP_MAX_WEIGHT = 160;

/** Products over sums and small integer powers of sums multiplied out (function arguments untouched). */
function expandFull(e: Expr): Expr | undefined {
  if (e.kind === 'add') {
    const parts = e.terms.map(expandFull);
    if (parts.some((p) => p === undefined)) return undefined;
    const r = sAdd(parts as Expr[]);
    return r.kind === 'add' && r.terms.length > MAX_TERMS ? undefined : r;
  }
  if (e.kind === 'pow' && e.base.kind === 'add' && isNum(e.exp) && Number.isInteger(e.exp.value) && e.exp.value >= 2 && e.exp.value <= 4) {
    return expandFull({ kind: 'mul', factors: Array.from({ length: e.exp.value }, () => e.base) });
  }
  if (e.kind !== 'mul') return e;
  let terms: Expr[] = [ONE];
  for (const f of e.factors) {
    const g = f.kind === 'add' || f.kind === 'pow' ? expandFull(f) : f;
    if (g === undefined) return undefined;
    const parts = g.kind === 'add' ? g.terms : [g];
    if (terms.length * parts.length > MAX_TERMS) return undefined;
    terms = terms.flatMap((t) => parts.map((p) => sMul([t, p])));
  }
  return sAdd(terms);
}

const termsOf = (e: Expr): readonly Expr[] => (e.kind === 'add' ? e.terms : [e]);

/** Exponent of `atom` in a monomial, and the monomial without it. */
function splitAtom(t: Expr, atomKey: string): [number, Expr] {
  const [c, rest] = splitCoef(t);
  const fs = rest.kind === 'mul' ? rest.factors : [rest];
  let n = 0;
  const others: Expr[] = [N(c)];
  for (const f of fs) {
    if (key(f) === atomKey) n += 1;
    else if (f.kind === 'pow' && isNum(f.exp) && Number.isInteger(f.exp.value) && f.exp.value > 0 && key(f.base) === atomKey) n += f.exp.value;
    else others.push(f);
  }
  return [n, sMul(others)];
}

function isZeroPoly(e: Expr): boolean {
  const x = expandFull(e);
  return x !== undefined && isNum(x, 0);
}

/**
 * Divides P(A) by (A − r) (r = ±1) when r is a root: coefficients by degree, synthetic
 * division. Returns the quotient, or undefined when r is not a root.
 */
function divideRoot(p: Expr, atom: Expr, r: number): Expr | undefined {
  const k = key(atom);
  const coef = new Map<number, Expr[]>();
  let deg = 0;
  for (const t of termsOf(p)) {
    const [n, c] = splitAtom(t, k);
    deg = Math.max(deg, n);
    coef.set(n, [...(coef.get(n) ?? []), c]);
  }
  if (deg === 0) return undefined;
  const c = (n: number): Expr => sAdd(coef.get(n) ?? []);
  // P(r) = Σ c_n rⁿ must vanish
  if (!isZeroPoly(sAdd(Array.from({ length: deg + 1 }, (_, n) => sMul([c(n), N(Math.pow(r, n))]))))) return undefined;
  const b: Expr[] = new Array<Expr>(deg);
  b[deg - 1] = c(deg);
  for (let n = deg - 1; n >= 1; n--) b[n - 1] = expandFull(sAdd([c(n), sMul([N(r), b[n] as Expr])])) ?? sAdd([c(n), sMul([N(r), b[n] as Expr])]);
  return expandFull(sAdd(b.map((bn, n) => sMul([bn, sPow(atom, N(n))])))) ?? undefined;
}

/** σ(u) and tanh(u) atoms of a polynomial, the ones with textbook root factors. */
function rootAtoms(p: Expr): Expr[] {
  const seen = new Map<string, Expr>();
  for (const t of termsOf(p)) {
    const [, rest] = splitCoef(t);
    for (const f of rest.kind === 'mul' ? rest.factors : [rest]) {
      const a = f.kind === 'pow' ? f.base : f;
      if (a.kind === 'fn' && (a.name === 'sigmoid' || a.name === 'tanh')) seen.set(key(a), a);
    }
  }
  return [...seen.values()];
}

/** Σ cₖ xᵏ with each coefficient a sum: c₀ + x(…) + x²(…), grouped where a power has several terms. */
function collectInX(p: Expr): Expr {
  const groups = new Map<number, Expr[]>();
  for (const t of termsOf(p)) {
    const [n, c] = splitAtom(t, 'x');
    groups.set(n, [...(groups.get(n) ?? []), c]);
  }
  if (![...groups.entries()].some(([n, cs]) => n > 0 && cs.length > 1)) return p;
  const out: Expr[] = [];
  for (const [n, cs] of groups) {
    const inner = sAdd(cs);
    out.push(sMul([sPow({ kind: 'x' }, N(n)), inner.kind === 'add' ? factorPoly(inner, false) : inner]));
  }
  return sAdd(out);
}

/** Multiplied out, then: common monomial, (1 − σ)/(1 ± tanh) roots, collected in x. */
function deepFactor(e: Expr): Expr | undefined {
  const full = expandFull(e);
  if (full === undefined || full.kind !== 'add') return full;
  return factorPoly(full, true);
}

function factorPoly(full: Expr & { kind: 'add' }, collect: boolean): Expr {
  const common = commonFactors(full.terms);
  const content = numericContent(full.terms);
  const divisor = common.map((f) => sPow(f.base, N(-f.exp)));
  let p = sAdd(full.terms.map((t) => sMul([divideCoef(t, content), ...divisor])));
  const factors: Expr[] = [N(content), ...common.map((f) => sPow(f.base, N(f.exp)))];
  for (const a of rootAtoms(p)) {
    let plus = 0;
    let minus = 0;
    for (let guard = 0; guard < 4; guard++) {
      const q = divideRoot(p, a, 1);
      if (!q) break;
      p = expandFull(sMul([N(-1), q])) ?? sMul([N(-1), q]); // P = (A − 1)Q = (1 − A)(−Q)
      minus++;
    }
    if (a.kind === 'fn' && a.name === 'tanh') {
      for (let guard = 0; guard < 4; guard++) {
        const q = divideRoot(p, a, -1);
        if (!q) break;
        p = q; // P = (1 + A)Q
        plus++;
      }
    }
    const both = Math.min(plus, minus);
    if (both) factors.push(sPow(sAdd([ONE, sMul([N(-1), sPow(a, N(2))])]), N(both))); // 1 − tanh²
    if (minus > both) factors.push(sPow(sAdd([ONE, sMul([N(-1), a])]), N(minus - both)));
    if (plus > both) factors.push(sPow(sAdd([ONE, a]), N(plus - both)));
    p = expandFull(p) ?? p;
  }
  if (termsOf(p).every((t) => splitCoef(t)[0] < 0)) {
    p = sMul([N(-1), p]);
    factors.unshift(N(-1));
  }
  return sMul([...factors, collect ? collectInX(p) : p]);
}
