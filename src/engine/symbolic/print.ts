// Printing a (simplified) tree back to the --expr syntax, which `parseExpr` reads again:
// a + (−1)·b prints as `a - b`, a·b⁻¹ as `a/b`, u^0.5 as `sqrt(u)`, coefficients as small
// fractions when exact (x/3, 2*x/3). Polynomials print by descending degree (`x**2 + 3`),
// other sums with the constant first (`1 - sigmoid(x)`).
import type { Cond, Expr } from './ast';
import { splitCoef } from './simplify';

// Python precedence levels, loosest first.
const P_ADD = 1;
const P_MUL = 2;
const P_UNARY = 3;
const P_POW = 4;
const P_ATOM = 5;

/** p/q with q ≤ 1000 when it equals v exactly in float64; undefined otherwise. */
export function rational(v: number): [number, number] | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (Number.isInteger(v)) return [v, 1];
  for (let q = 2; q <= 1000; q++) {
    const p = Math.round(v * q);
    if (p / q === v && Math.abs(p) < 1e9) return [p, q];
  }
  return undefined;
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

/** Degree in x of a term if it is c·x^n (n a positive integer) or a constant; else undefined. */
export function polyDegree(t: Expr): number | undefined {
  const [, rest] = splitCoef(t);
  const factors = rest.kind === 'mul' ? rest.factors : [rest];
  let deg = 0;
  for (const f of factors) {
    if (f.kind === 'num' || f.kind === 'param' || f.kind === 'const') continue;
    if (f.kind === 'x') deg += 1;
    else if (f.kind === 'pow' && f.base.kind === 'x' && f.exp.kind === 'num' && Number.isInteger(f.exp.value) && f.exp.value > 0) deg += f.exp.value;
    else if (f.kind === 'pow' && (f.base.kind === 'param' || f.base.kind === 'const' || f.base.kind === 'num')) continue;
    else return undefined;
  }
  return deg;
}

/** The order in which a sum's terms are shown. */
export function displayTerms(terms: readonly Expr[]): Expr[] {
  const degs = terms.map(polyDegree);
  let out = [...terms];
  if (degs.every((d) => d !== undefined)) {
    // ascending powers (1 + 0.134145*x**2, x + 0.044715*x**3), except a·x + b, written x + 3
    const linear = terms.length === 2 && degs.includes(0) && degs.includes(1);
    const rank = (d: number): number => (linear && d === 0 ? Infinity : d);
    out = terms.map((t, i) => ({ t, d: rank(degs[i] as number), i })).sort((a, b) => a.d - b.d || a.i - b.i).map((o) => o.t);
  }
  else {
    // a polynomial in one σ(u) or tanh(u): ascending powers, 1 - 3*sigmoid(x) + 2*sigmoid(x)**2
    const atom = out.map((t) => splitCoef(t)[1]).map((r) => (r.kind === 'pow' ? r.base : r)).find((r) => r.kind === 'fn');
    if (atom) {
      const k = printExpr(atom);
      const deg = (t: Expr): number | undefined => {
        const [, r] = splitCoef(t);
        if (r.kind === 'num') return 0;
        if (printExpr(r) === k) return 1;
        if (r.kind === 'pow' && r.exp.kind === 'num' && Number.isInteger(r.exp.value) && printExpr(r.base) === k) return r.exp.value;
        return undefined;
      };
      const ds = out.map(deg);
      if (ds.every((d) => d !== undefined)) out = out.map((t, i) => ({ t, d: ds[i] as number, i })).sort((a, b) => a.d - b.d || a.i - b.i).map((o) => o.t);
    }
  }
  // lead with a positive term: 2 - x**2 rather than -x**2 + 2
  if (splitCoef(out[0] as Expr)[0] < 0) {
    const i = out.findIndex((t) => splitCoef(t)[0] > 0);
    if (i > 0) out.unshift(...out.splice(i, 1));
  }
  return out;
}

// ½, ⅓, ¼, ⅙ read better as fractions; 0.01, 0.2, 1.702 stay as typed
const SMALL_DENOMINATORS: ReadonlySet<number> = new Set([2, 3, 4, 6]);

interface Split {
  /** Sign and rational coefficient c = sign·p/q, or a plain decimal. */
  readonly negative: boolean;
  readonly coefText?: string;
  readonly p: number;
  readonly q: number;
  readonly num: Expr[];
  readonly den: Expr[];
}

/** Splits a product into sign, coefficient, numerator and denominator factors. */
export function splitFraction(e: Expr): Split {
  const [c, rest] = splitCoef(e);
  const factors = rest.kind === 'mul' ? rest.factors : rest.kind === 'num' ? [] : [rest];
  const num: Expr[] = [];
  const den: Expr[] = [];
  for (const f of factors) {
    if (f.kind === 'pow' && f.exp.kind === 'num' && f.exp.value < 0) {
      den.push(f.exp.value === -1 ? f.base : { kind: 'pow', base: f.base, exp: { kind: 'num', value: -f.exp.value } });
    } else num.push(f);
  }
  const negative = c < 0;
  const a = Math.abs(c);
  // short decimals stay as typed (0.01, 0.5, 1.702); 1/3, 1/6 print as fractions
  const r = rational(a);
  if (Number.isInteger(a)) return { negative, p: a, q: 1, num, den };
  if (r && (SMALL_DENOMINATORS.has(r[1]) || (String(a).length > 6 && r[1] <= 100))) return { negative, p: r[0], q: r[1], num, den };
  return { negative, coefText: formatNumber(a), p: a, q: 1, num, den };
}

export function printExpr(e: Expr): string {
  return pr(e, 0);
}

function paren(s: string, inner: number, outer: number): string {
  return inner < outer ? `(${s})` : s;
}

function pr(e: Expr, outer: number): string {
  switch (e.kind) {
    case 'num': {
      const r = rational(Math.abs(e.value));
      const q = r && r[1] !== 1 && (SMALL_DENOMINATORS.has(r[1]) || (String(Math.abs(e.value)).length > 6 && r[1] <= 100)) ? `${e.value < 0 ? '-' : ''}${r[0]}/${r[1]}` : undefined;
      if (q) return paren(q, e.value < 0 ? P_UNARY : P_MUL, outer);
      return e.value < 0 ? paren(formatNumber(e.value), P_UNARY, outer) : formatNumber(e.value);
    }
    case 'x':
      return 'x';
    case 'param':
      return e.name;
    case 'const':
      return e.name;
    case 'add': {
      const ts = displayTerms(e.terms);
      let s = '';
      ts.forEach((t, i) => {
        const [c] = splitCoef(t);
        if (i === 0) s = pr(t, P_ADD);
        else if (c < 0) s += ` - ${pr(negate(t), P_MUL)}`;
        else s += ` + ${pr(t, P_MUL)}`;
      });
      return paren(s, P_ADD, outer);
    }
    case 'mul': {
      const f = splitFraction(e);
      const numParts: string[] = [];
      const coef = f.coefText ?? String(f.p);
      if (f.coefText !== undefined ? true : f.p !== 1 || f.num.length === 0) numParts.push(coef);
      for (const x of f.num) numParts.push(pr(x, P_MUL + 0.5));
      let s = numParts.join('*');
      const denParts: string[] = [];
      if (f.coefText === undefined && f.q !== 1) denParts.push(String(f.q));
      for (const x of f.den) denParts.push(pr(x, P_MUL + 0.5));
      if (denParts.length === 1) s += `/${denParts[0] as string}`;
      else if (denParts.length > 1) s += `/(${denParts.join('*')})`;
      if (f.negative) return paren(`-${s}`, P_UNARY, outer);
      // a quotient a/b inside a product must keep its own parentheses: (a/b)*c is fine, but a*(b/c) too
      return paren(s, P_MUL, outer);
    }
    case 'pow': {
      if (e.exp.kind === 'num' && e.exp.value === 0.5) return `sqrt(${pr(e.base, 0)})`;
      if (e.exp.kind === 'num' && e.exp.value < 0) return pr({ kind: 'mul', factors: [e] }, outer);
      return paren(`${pr(e.base, P_ATOM)}**${pr(e.exp, P_UNARY)}`, P_POW, outer);
    }
    case 'fn':
      return `${e.name}(${pr(e.arg, 0)})`;
    case 'minmax':
      return `${e.op}(${pr(e.a, 0)}, ${pr(e.b, 0)})`;
    case 'clamp':
      return `clamp(${pr(e.arg, 0)}, ${pr(e.lo, 0)}, ${pr(e.hi, 0)})`;
    case 'where':
      return `where(${printCond(e.cond)}, ${pr(e.then, 0)}, ${pr(e.else, 0)})`;
    case 'act': {
      if (e.name === 'gelu_tanh') return `gelu(${pr(e.arg, 0)}, approximate='tanh')`;
      return `${e.name}(${[e.arg, ...e.params].map((a) => pr(a, 0)).join(', ')})`;
    }
  }
}

export function printCond(c: Cond): string {
  return `${pr(c.left, P_ADD)} ${c.op} ${pr(c.right, P_ADD)}`;
}

/** −t for a term with a negative coefficient (for printing `a - b`). */
export function negate(t: Expr): Expr {
  const [c, rest] = splitCoef(t);
  if (t.kind === 'num') return { kind: 'num', value: -t.value };
  if (c === -1) return rest;
  if (rest.kind === 'mul') return { kind: 'mul', factors: [{ kind: 'num', value: -c }, ...rest.factors] };
  return { kind: 'mul', factors: [{ kind: 'num', value: -c }, rest] };
}
