// The formula a recognised definition computes, as a small tree over x, numbers, named
// parameters and the functions of the `--expr` syntax (the symbolic core's input). It is
// printed to that syntax (`print`) for the symbolic core to differentiate and typeset, and
// evaluated directly (`evaluate`) to compare the definition with the catalog.
import { elementwiseKernel } from '../../engine/activations/registry';
import type { ElementwiseKernel } from '../../engine/activations/types';
import { PRIMITIVE_BY_NAME } from '../../engine/symbolic';
import { UNARY_FLOAT64, UNARY_NAMES, type UnaryName } from '../../engine/math/unary';
import type { OpExpr } from '../../engine/precision/perOp';

export const UNARY = UNARY_NAMES;
export type Unary = UnaryName;
export type CmpOp = '<' | '<=' | '>' | '>=';

/** A formula as the code spells it, one node per library op (the engine's per-op formula type). */
export type CE = OpExpr;

export const num = (v: number): CE => ({ k: 'num', v });
export const X: CE = { k: 'x' };
export const bin = (op: '+' | '-' | '*' | '/' | '**', a: CE, b: CE): CE => ({ k: 'bin', op, a, b });
export const neg = (a: CE): CE => (a.k === 'num' ? num(-a.v) : { k: 'neg', a });
export const fn = (name: Unary, a: CE): CE => ({ k: 'fn', name, a });
export const minmax = (op: 'min' | 'max', a: CE, b: CE): CE => ({ k: 'minmax', op, a, b });
export const clamp = (a: CE, lo: CE, hi: CE): CE => ({ k: 'clamp', a, lo, hi });
export const where = (op: CmpOp, l: CE, r: CE, a: CE, b: CE): CE => ({ k: 'where', op, l, r, a, b });

/** `name(a, p…)` when the --expr syntax has that primitive, else undefined. */
export function prim(name: string, a: CE, p: readonly CE[] = []): CE | undefined {
  const def = PRIMITIVE_BY_NAME.get(name);
  if (!def?.catalog || p.length > def.params.length) return undefined;
  return { k: 'prim', name, a, p };
}

export function dependsOnX(e: CE): boolean {
  switch (e.k) {
    case 'prim': return dependsOnX(e.a) || e.p.some(dependsOnX);
    case 'x': return true;
    case 'num': case 'param': case 'const': return false;
    case 'neg': case 'fn': return dependsOnX(e.a);
    case 'bin': case 'minmax': return dependsOnX(e.a) || dependsOnX(e.b);
    case 'clamp': return dependsOnX(e.a) || dependsOnX(e.lo) || dependsOnX(e.hi);
    case 'where': return dependsOnX(e.l) || dependsOnX(e.r) || dependsOnX(e.a) || dependsOnX(e.b);
  }
}

export function paramsOf(e: CE, out = new Set<string>()): Set<string> {
  switch (e.k) {
    case 'param': out.add(e.name); break;
    case 'neg': case 'fn': paramsOf(e.a, out); break;
    case 'bin': case 'minmax': paramsOf(e.a, out); paramsOf(e.b, out); break;
    case 'clamp': paramsOf(e.a, out); paramsOf(e.lo, out); paramsOf(e.hi, out); break;
    case 'where': for (const c of [e.l, e.r, e.a, e.b]) paramsOf(c, out); break;
    case 'prim': paramsOf(e.a, out); e.p.forEach((c) => paramsOf(c, out)); break;
    default: break;
  }
  return out;
}

/** Replaces x by `u` (inlining a call of one recognised function inside another). */
export function substitute(e: CE, u: CE, params: Readonly<Record<string, CE>> = {}): CE {
  const s = (c: CE): CE => substitute(c, u, params);
  switch (e.k) {
    case 'x': return u;
    case 'param': return Object.prototype.hasOwnProperty.call(params, e.name) ? (params[e.name] as CE) : e;
    case 'num': case 'const': return e;
    case 'neg': return neg(s(e.a));
    case 'fn': return fn(e.name, s(e.a));
    case 'bin': return bin(e.op, s(e.a), s(e.b));
    case 'minmax': return minmax(e.op, s(e.a), s(e.b));
    case 'clamp': return clamp(s(e.a), s(e.lo), s(e.hi));
    case 'where': return where(e.op, s(e.l), s(e.r), s(e.a), s(e.b));
    case 'prim': return { k: 'prim', name: e.name, a: s(e.a), p: e.p.map(s) };
  }
}

// ---------------------------------------------------------------------------------------
// Printing in the --expr syntax (Python arithmetic). Parentheses only where needed.

const PREC: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2, neg: 3, '**': 4 };

export function formatNumber(v: number): string {
  // the --expr syntax spells ∞ as inf
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return String(v);
}

export function print(e: CE): string {
  return pr(e, 0);
}

function pr(e: CE, ctx: number): string {
  switch (e.k) {
    case 'num': {
      const s = formatNumber(e.v);
      return e.v < 0 && ctx > 0 ? `(${s})` : s;
    }
    case 'x': return 'x';
    case 'param': return e.name;
    case 'const': return e.name;
    case 'neg': {
      const s = `-${pr(e.a, PREC.neg as number)}`;
      return ctx > (PREC.neg as number) - 1 ? `(${s})` : s;
    }
    case 'bin': {
      const p = PREC[e.op] as number;
      let a: string;
      let b: string;
      if (e.op === '**') {
        a = pr(e.a, p + 1);
        b = pr(e.b, p);
      } else {
        a = pr(e.a, p);
        // Left-associative: a − (b + c), a / (b · c) need the parentheses.
        b = pr(e.b, e.op === '-' || e.op === '/' ? p + 1 : p);
      }
      const s = e.op === '**' ? `${a}**${b}` : `${a} ${e.op} ${b}`;
      return p < ctx ? `(${s})` : s;
    }
    case 'fn': return `${e.name}(${pr(e.a, 0)})`;
    case 'minmax': return `${e.op}(${pr(e.a, 0)}, ${pr(e.b, 0)})`;
    case 'clamp': {
      // one-sided: the keyword form (there is no literal for ∞ in the syntax but `inf`)
      if (e.hi.k === 'num' && e.hi.v === Infinity) return `clamp(${pr(e.a, 0)}, min=${pr(e.lo, 0)})`;
      if (e.lo.k === 'num' && e.lo.v === -Infinity) return `clamp(${pr(e.a, 0)}, max=${pr(e.hi, 0)})`;
      return `clamp(${pr(e.a, 0)}, ${pr(e.lo, 0)}, ${pr(e.hi, 0)})`;
    }
    case 'where': return `where(${pr(e.l, 0)} ${e.op} ${pr(e.r, 0)}, ${pr(e.a, 0)}, ${pr(e.b, 0)})`;
    case 'prim': return `${e.name}(${[e.a, ...e.p].map((c) => pr(c, 0)).join(', ')})`;
  }
}

// ---------------------------------------------------------------------------------------
// Direct evaluation (float64), used to compare with the catalog and to reject functions
// that are affine in x.


export function evaluate(e: CE, x: number, params: Readonly<Record<string, number>>): number {
  const ev = (c: CE): number => evaluate(c, x, params);
  switch (e.k) {
    case 'num': return e.v;
    case 'x': return x;
    case 'param': {
      const v = params[e.name];
      return v === undefined ? NaN : v;
    }
    case 'const': return e.name === 'pi' ? Math.PI : Math.E;
    case 'neg': return -ev(e.a);
    case 'fn': return UNARY_FLOAT64[e.name](ev(e.a));
    case 'bin': {
      const a = ev(e.a);
      const b = ev(e.b);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '**': return a ** b;
      }
      break;
    }
    case 'minmax': {
      const a = ev(e.a);
      const b = ev(e.b);
      if (a !== a || b !== b) return NaN;
      return e.op === 'min' ? Math.min(a, b) : Math.max(a, b);
    }
    case 'clamp': {
      const a = ev(e.a);
      return a !== a ? NaN : Math.min(Math.max(a, ev(e.lo)), ev(e.hi));
    }
    case 'where': {
      const l = ev(e.l);
      const r = ev(e.r);
      const c = e.op === '<' ? l < r : e.op === '<=' ? l <= r : e.op === '>' ? l > r : l >= r;
      return c ? ev(e.a) : ev(e.b);
    }
    case 'prim': return primKernel(e.name, e.p.map(ev)).f(ev(e.a));
  }
  return NaN;
}

const kernels = new Map<string, ElementwiseKernel>();

/** The catalog kernel a primitive with these parameter values equals (defaults filled in). */
function primKernel(name: string, values: readonly number[]): ElementwiseKernel {
  const key = `${name}(${values.join(',')})`;
  let k = kernels.get(key);
  if (!k) {
    const def = PRIMITIVE_BY_NAME.get(name);
    if (!def?.catalog) throw new Error(`internal: ${name} is not a catalog primitive`);
    const full = def.params.map((q, i) => values[i] ?? q.default);
    k = elementwiseKernel(def.catalog.id, def.catalog.params(full));
    if (kernels.size > 500) kernels.clear();
    kernels.set(key, k);
  }
  return k;
}
