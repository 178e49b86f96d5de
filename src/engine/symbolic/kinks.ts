// Kinks: the points where a where/max/min/clamp/abs/sign switches and the first derivative
// (or the function itself) jumps. Each comes with both one-sided derivatives and the value
// the compiled derivative returns exactly there (what autograd returns at the tie).
import type { Expr } from './ast';
import { children } from './ast';
import { compileClosure, prepare } from './compile';
import type { ScalarFn } from './compile';
import { derivative } from './diff';
import { simplify } from './simplify';

export interface SymbolicKink {
  readonly x: number;
  /** lim f′(t) as t → x from below / above. */
  readonly left: number;
  readonly right: number;
  /** f′(x) as evaluated: the tie-breaking the expression's comparisons imply. */
  readonly at: number;
  /** False when f itself jumps at x (a step, not a kink). */
  readonly continuous: boolean;
}

/** The expressions whose sign change switches a branch of a prepared tree (see `prepare`). */
export function switchingFunctions(e: Expr): Expr[] {
  const out: Expr[] = [];
  switches(e, out);
  return out;
}

function switches(e: Expr, out: Expr[]): void {
  switch (e.kind) {
    case 'where': out.push(simplify({ kind: 'add', terms: [e.cond.left, { kind: 'mul', factors: [{ kind: 'num', value: -1 }, e.cond.right] }] })); break;
    case 'minmax': out.push(simplify({ kind: 'add', terms: [e.a, { kind: 'mul', factors: [{ kind: 'num', value: -1 }, e.b] }] })); break;
    case 'clamp':
      out.push(simplify({ kind: 'add', terms: [e.arg, { kind: 'mul', factors: [{ kind: 'num', value: -1 }, e.lo] }] }));
      out.push(simplify({ kind: 'add', terms: [e.arg, { kind: 'mul', factors: [{ kind: 'num', value: -1 }, e.hi] }] }));
      break;
    case 'fn': if (e.name === 'abs' || e.name === 'sign') out.push(e.arg); break;
    default: break;
  }
  for (const c of children(e)) switches(c, out);
}

/** Zeros of g on [lo, hi]: exact for linear g, else sign changes refined by bisection. */
function zeros(g: Expr, lo: number, hi: number): number[] {
  if (g.kind === 'num') return [];
  const dg = derivative(g);
  const ddg = derivative(dg);
  const gf = compileClosure(g);
  if (dg.kind === 'num' && ddg.kind === 'num' && ddg.value === 0) {
    if (dg.value === 0) return [];
    const r = -gf(0) / dg.value;
    return Number.isFinite(r) && r >= lo && r <= hi ? [r] : [];
  }
  const n = 4000;
  const out: number[] = [];
  let xa = lo;
  let ya = gf(xa);
  for (let i = 1; i <= n; i++) {
    const xb = lo + ((hi - lo) * i) / n;
    const yb = gf(xb);
    if (ya === 0) out.push(xa);
    else if (Number.isFinite(ya) && Number.isFinite(yb) && ya * yb < 0) out.push(bisect(gf, xa, xb, ya));
    xa = xb;
    ya = yb;
  }
  if (ya === 0) out.push(xa);
  return out;
}

function bisect(g: ScalarFn, a: number, b: number, ga: number): number {
  for (let i = 0; i < 200 && b - a > 0; i++) {
    const m = a + (b - a) / 2;
    if (m === a || m === b) break;
    const gm = g(m);
    if (gm === 0) return m;
    if (gm * ga < 0) b = m;
    else {
      a = m;
      ga = gm;
    }
  }
  return Math.abs(g(a)) <= Math.abs(g(b)) ? a : b;
}

/** Limit of h at x from one side (side = ±1), by linear extrapolation of two nearby values. */
function oneSided(h: ScalarFn, x: number, side: number): number {
  const d = 1e-6 * Math.max(1, Math.abs(x));
  const v = 2 * h(x + side * d) - h(x + 2 * side * d);
  return roundTo(v, 10);
}

function roundTo(v: number, digits: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const r = Number(v.toPrecision(digits));
  return Math.abs(r) < 1e-12 ? 0 : r;
}

/**
 * The kinks of f (parameters bound) within [lo, hi], sorted. A switching point where f′ is
 * continuous (e.g. ELU with α = 1 at 0) is not a kink and is left out.
 */
export function findKinks(e: Expr, params: Readonly<Record<string, number>> = {}, range: readonly [number, number] = [-20, 20]): SymbolicKink[] {
  const f = prepare(e, params);
  const sw: Expr[] = [];
  switches(f, sw);
  if (!sw.length) return [];
  const fx = compileClosure(f);
  const df = derivative(f);
  const dfx = compileClosure(df);
  const xs = [...new Set(sw.flatMap((g) => zeros(g, range[0], range[1])))].sort((a, b) => a - b);
  const out: SymbolicKink[] = [];
  for (const x of xs) {
    if (out.length && Math.abs((out[out.length - 1] as SymbolicKink).x - x) <= 1e-12 * Math.max(1, Math.abs(x))) continue;
    const left = oneSided(dfx, x, -1);
    const right = oneSided(dfx, x, 1);
    const fl = oneSided(fx, x, -1);
    const fr = oneSided(fx, x, 1);
    const continuous = Math.abs(fl - fr) <= 1e-8 * Math.max(1, Math.abs(fl), Math.abs(fr)) || (fl === fr);
    const derivativeJumps = !(Math.abs(left - right) <= 1e-8 * Math.max(1, Math.abs(left), Math.abs(right))) && !(left === right);
    if (!continuous || derivativeJumps) out.push({ x: roundTo(x, 15), left, right, at: dfx(x), continuous });
  }
  return out;
}
