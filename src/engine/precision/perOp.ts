// A formula written as several PyTorch ops, evaluated op by op the way PyTorch runs it in
// float16: each op computes in float32 ("opmath") and stores its result in its output dtype,
// so an intermediate can overflow to ±inf although the formula's value is small
// (log(1 + exp(x)) for x ≥ 11.09). Two float16 regimes:
//   - 'float16': a `.half()` model (or float16 tensors): every op's output is float16;
//   - 'autocast': CUDA autocast to float16: the input is float16 (a linear/conv output), ops
//     on autocast's float32 list (exp, expm1, log, log1p, sinh, cosh, tan, softplus, pow,
//     scalar / tensor = reciprocal; aten/src/ATen/autocast_mode.h AT_FORALL_FP32) output
//     float32, every other op takes the promoted dtype of its tensor operands (float16 with
//     float32 → float32); Python scalars never promote.
// 'float32' runs every op in float32 (what the same code does without reduced precision) and
// 'float64' is the exact reference. Pure.
import { elementwiseKernel } from '../activations/registry';
import { UNARY_FLOAT64, type UnaryName } from '../math/unary';
import { PRIMITIVE_BY_NAME } from '../symbolic/primitives';
import { roundF16 } from './round';

export type OpUnary = UnaryName;

/**
 * A formula as the code spells it, one node per library op. The code front end's
 * custom-activation trees (src/code/custom/cexpr.ts CE) are this type, evaluated as is.
 */
export type OpExpr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'x' }
  | { readonly k: 'param'; readonly name: string }
  | { readonly k: 'const'; readonly name: 'pi' | 'e' }
  | { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '/' | '**'; readonly a: OpExpr; readonly b: OpExpr }
  | { readonly k: 'neg'; readonly a: OpExpr }
  | { readonly k: 'fn'; readonly name: OpUnary; readonly a: OpExpr }
  | { readonly k: 'minmax'; readonly op: 'min' | 'max'; readonly a: OpExpr; readonly b: OpExpr }
  | { readonly k: 'clamp'; readonly a: OpExpr; readonly lo: OpExpr; readonly hi: OpExpr }
  | { readonly k: 'where'; readonly op: '<' | '<=' | '>' | '>='; readonly l: OpExpr; readonly r: OpExpr; readonly a: OpExpr; readonly b: OpExpr }
  /** A catalog activation called as one library op (F.gelu, F.silu): one native kernel. */
  | { readonly k: 'prim'; readonly name: string; readonly a: OpExpr; readonly p: readonly OpExpr[] };

export type PerOpRegime = 'float64' | 'float32' | 'float16' | 'autocast';

/** Ops that CUDA autocast runs in float32 (AT_FORALL_FP32, elementwise ones). */
export const AUTOCAST_FP32: ReadonlySet<string> = new Set(['exp', 'expm1', 'log', 'log1p', 'sinh', 'cosh', 'tan', 'softplus', 'pow', 'reciprocal']);


/** Storage dtype of a value: a Python scalar (never promotes), or a tensor's dtype. */
type Kind = 'scalar' | 'f16' | 'f32' | 'f64';

export interface PerOpResult {
  readonly value: number;
  /** The first op (in evaluation order) whose finite inputs gave a ±inf output (no pole). */
  readonly overflow?: OpExpr;
}

const kernels = new Map<string, (x: number) => number>();

function primFn(name: string, values: readonly number[]): (x: number) => number {
  const key = `${name}(${values.join(',')})`;
  let f = kernels.get(key);
  if (!f) {
    const def = PRIMITIVE_BY_NAME.get(name);
    if (!def?.catalog) return () => NaN;
    const full = def.params.map((q, i) => values[i] ?? q.default);
    f = elementwiseKernel(def.catalog.id, def.catalog.params(full)).f;
    if (kernels.size > 500) kernels.clear();
    kernels.set(key, f);
  }
  return f;
}

function store(v: number, t: Kind): number {
  switch (t) {
    case 'f16': return roundF16(Math.fround(v));
    case 'f32': return Math.fround(v);
    default: return v;
  }
}

function promote(...ts: Kind[]): Kind {
  if (ts.includes('f64')) return 'f64';
  if (ts.includes('f32')) return 'f32';
  if (ts.includes('f16')) return 'f16';
  return 'scalar';
}

export interface PerOpOptions {
  /** Values of named parameters (Python scalars). */
  readonly params?: Readonly<Record<string, number>>;
  /**
   * CPU semantics for Python scalars: TensorIterator casts a scalar operand to the tensor's
   * dtype on the CPU only (`x * 0.044715` multiplies by 0.044708 in float16); CUDA kernels read
   * it at opmath precision (float32). Default: CUDA.
   */
  readonly cpuScalars?: boolean;
}

/** A formula compiled for one regime: its value at x and the first op that overflowed there. */
export type PerOpFn = (x: number) => PerOpResult;

/** A compiled node: its (static) storage dtype and its value at the current x. */
interface Node {
  readonly t: Kind;
  readonly f: (x: number) => number;
}

/**
 * Compiles the formula for a regime: every node's dtype is fixed by the tree (the input's
 * dtype, promotion, autocast's list), so only values flow at run time.
 */
export function compilePerOp(e: OpExpr, regime: PerOpRegime, opts: PerOpOptions = {}): PerOpFn {
  const params = opts.params ?? {};
  const input: Kind = regime === 'float64' ? 'f64' : regime === 'float32' ? 'f32' : 'f16';
  const autocast = regime === 'autocast';
  // the first overflow at the current x (a holder: the node functions update it)
  const st: { overflow?: OpExpr } = {};
  /** A Python scalar as a tensor op of dtype t reads it. */
  const scalarIn = (v: number, t: Kind): number => (t === 'f64' ? v : opts.cpuScalars ? store(v, t) : Math.fround(v));
  /**
   * Stores an op's result in dtype t; notes the first op that overflowed: finite inputs, a
   * ±inf result, and no pole (an infinite result from a zero input: log(0), 1/0, 0**-1).
   */
  const stored = (node: OpExpr, raw: number, t: Kind, a: number, b = 1): number => {
    const v = store(raw, t);
    if ((v === Infinity || v === -Infinity) && !st.overflow && Number.isFinite(a) && Number.isFinite(b) && !(!Number.isFinite(raw) && (a === 0 || b === 0))) st.overflow = node;
    return v;
  };
  const constant = (v: number): Node => ({ t: 'scalar', f: () => v });
  const build = (n: OpExpr): Node => {
    switch (n.k) {
      case 'num': return constant(n.v);
      case 'param': return constant(params[n.name] ?? NaN);
      case 'const': return constant(n.name === 'pi' ? Math.PI : Math.E);
      case 'x': return { t: input, f: (x) => store(x, input) };
      case 'neg': {
        const a = build(n.a);
        return { t: a.t, f: (x) => -a.f(x) };
      }
      case 'fn': {
        const a = build(n.a);
        const g = UNARY_FLOAT64[n.name];
        if (a.t === 'scalar') return { t: 'scalar', f: (x) => g(a.f(x)) };
        const t = autocast && AUTOCAST_FP32.has(n.name) ? 'f32' : a.t;
        return { t, f: (x) => {
          const v = store(a.f(x), t);
          return stored(n, g(v), t, v);
        } };
      }
      case 'prim': {
        const a = build(n.a);
        const p = n.p.map(build);
        const t = a.t === 'scalar' ? 'scalar' : autocast && AUTOCAST_FP32.has(n.name) ? 'f32' : a.t;
        return { t, f: (x) => {
          const g = primFn(n.name, p.map((c) => c.f(x)));
          if (t === 'scalar') return g(a.f(x));
          const v = store(a.f(x), t);
          return stored(n, g(v), t, v);
        } };
      }
      case 'bin': {
        const a = build(n.a);
        const b = build(n.b);
        const op = n.op;
        if (a.t === 'scalar' && b.t === 'scalar') return { t: 'scalar', f: (x) => arith(op, a.f(x), b.f(x)) };
        if (op === '**') {
          // pow (Tensor_Scalar, Scalar, Tensor_Tensor) is on autocast's float32 list
          const t = autocast ? 'f32' : promote(a.t, b.t);
          const rd = (c: Node, x: number): number => (c.t === 'scalar' ? scalarIn(c.f(x), t) : store(c.f(x), t));
          return { t, f: (x) => {
            const u = rd(a, x);
            const w = rd(b, x);
            return stored(n, u ** w, t, u, w);
          } };
        }
        if (op === '/' && a.t === 'scalar') {
          // s / tensor is Tensor.__rtruediv__: reciprocal (float32 under autocast), then · s
          const t = autocast ? 'f32' : b.t;
          return { t, f: (x) => {
            const w = store(b.f(x), t);
            const r = stored(n, 1 / w, t, w);
            return stored(n, scalarIn(a.f(x), t) * r, t, r);
          } };
        }
        const t = promote(a.t, b.t);
        const ra = a.t === 'scalar' ? (x: number): number => scalarIn(a.f(x), t) : a.f;
        const rb = b.t === 'scalar' ? (x: number): number => scalarIn(b.f(x), t) : b.f;
        return { t, f: (x) => {
          const u = ra(x);
          const w = rb(x);
          return stored(n, arith(op, u, w), t, u, w);
        } };
      }
      case 'minmax': {
        const a = build(n.a);
        const b = build(n.b);
        const t = promote(a.t, b.t);
        const min = n.op === 'min';
        return { t, f: (x) => {
          const p = a.t === 'scalar' ? scalarIn(a.f(x), t) : a.f(x);
          const q = b.t === 'scalar' ? scalarIn(b.f(x), t) : b.f(x);
          return store(p !== p || q !== q ? NaN : min ? Math.min(p, q) : Math.max(p, q), t);
        } };
      }
      case 'clamp': {
        const a = build(n.a);
        const lo = build(n.lo);
        const hi = build(n.hi);
        const t = promote(a.t, lo.t, hi.t);
        const rd = (c: Node, x: number): number => (c.t === 'scalar' ? scalarIn(c.f(x), t) : c.f(x));
        return { t, f: (x) => {
          const v = a.f(x);
          return store(v !== v ? NaN : Math.min(Math.max(v, rd(lo, x)), rd(hi, x)), t);
        } };
      }
      case 'where': {
        // torch.where computes both branches; the unselected one's overflow does not reach
        // the output (it matters for the gradient only)
        const l = build(n.l);
        const r = build(n.r);
        const a = build(n.a);
        const b = build(n.b);
        const t = promote(a.t, b.t);
        const cmp = n.op;
        return { t, f: (x) => {
          const lv = l.f(x);
          const rv = r.f(x);
          const c = cmp === '<' ? lv < rv : cmp === '<=' ? lv <= rv : cmp === '>' ? lv > rv : lv >= rv;
          const before = st.overflow;
          st.overflow = undefined;
          const av = a.f(x);
          const oa = st.overflow;
          st.overflow = undefined;
          const bv = b.f(x);
          const ob = st.overflow;
          st.overflow = before ?? (c ? oa : ob);
          return store(c ? av : bv, t);
        } };
      }
    }
  };
  const root = build(e);
  return (x) => {
    st.overflow = undefined;
    const value = root.f(x);
    return st.overflow ? { value, overflow: st.overflow } : { value };
  };
}

/** The formula at x (x is first stored in the regime's input dtype), op by op. */
export function evalPerOp(e: OpExpr, x: number, regime: PerOpRegime, opts: PerOpOptions = {}): PerOpResult {
  return compilePerOp(e, regime, opts)(x);
}

function arith(op: '+' | '-' | '*' | '/' | '**', a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '**': return a ** b;
  }
}

/** One side (x > 0 or x < 0) of the inputs where float16 gets the formula wrong. */
export interface OverflowRange {
  /** The input nearest 0 where it goes wrong, and the farthest one (a closed run of float16 values). */
  readonly from: number;
  readonly to: number;
  /** The op that overflowed first there. */
  readonly culprit: OpExpr;
  /** The formula at `from`: as float16 computes it, and exactly. */
  readonly y16: number;
  readonly y64: number;
}

/**
 * Where a float16 regime turns an intermediate into ±inf and the formula's result with it
 * (±inf, NaN, or off by more than 1%) although the exact value fits in float16 (|y| ≤ 65504;
 * the reference is the formula as written in float64, so inputs where that overflows as well
 * continue a run without starting one):
 * over the inputs `xs` (ascending: every finite float16, finiteValues), the run of such inputs
 * nearest 0 on each side. Only overflow that float16 causes counts: a side whose inputs all
 * overflow in float32 too (the same code without reduced precision) is left out. Empty when
 * float16 is harmless.
 */
export function float16Overflow(e: OpExpr, regime: 'float16' | 'autocast', xs: Float64Array, opts: PerOpOptions = {}): OverflowRange[] {
  const f16 = compilePerOp(e, regime, opts);
  const f64 = compilePerOp(e, 'float64', opts);
  const f32 = compilePerOp(e, 'float32', opts);
  /** The float16 result where it is wrong; 'float64' where float64 as written is not finite either (no reference). */
  const bad = (x: number): PerOpResult | 'float64' | undefined => {
    const r = f16(x);
    if (!r.overflow) return undefined;
    const y64 = f64(x).value;
    if (!Number.isFinite(y64) && !Number.isFinite(r.value)) return 'float64';
    if (!Number.isFinite(roundF16(y64))) return undefined;
    const wrong = !Number.isFinite(r.value) || Math.abs(r.value - y64) > 0.01 * Math.max(1, Math.abs(y64));
    return wrong ? r : undefined;
  };
  const out: OverflowRange[] = [];
  for (const side of [1, -1]) {
    // inputs of this side, from 0 outwards (xs ascending)
    let zero = 0;
    while (zero < xs.length && (xs[zero] as number) < 0) zero++;
    const idx: number[] = [];
    if (side > 0) for (let i = zero; i < xs.length; i++) (xs[i] as number) > 0 && idx.push(i);
    else for (let i = zero - 1; i >= 0; i--) idx.push(i);
    let first = -1;
    let last = -1;
    let hit: PerOpResult | undefined;
    let float16Only = false;
    for (const i of idx) {
      const x = xs[i] as number;
      const r = bad(x);
      if (r === 'float64') {
        // beyond float64's own overflow (log(1 + exp(x)) for x > 709.78): the run goes on
        if (first >= 0) last = i;
        continue;
      }
      if (r) {
        if (first < 0) {
          first = i;
          hit = r;
        }
        last = i;
        if (!float16Only && Number.isFinite(f32(x).value)) float16Only = true;
      } else if (first >= 0) break;
    }
    if (first >= 0 && hit?.overflow && float16Only) {
      const from = xs[first] as number;
      out.push({ from, to: xs[last] as number, culprit: hit.overflow, y16: hit.value, y64: f64(from).value });
    }
  }
  return out;
}

/**
 * The shortest decimal for a threshold t between float16 neighbours: a number p with
 * prev < p ≤ t (t > 0; mirrored for t < 0), so "x ≥ p" names exactly the float16 inputs x ≥ t.
 */
export function thresholdText(t: number, prev: number): string {
  for (let d = 1; d <= 8; d++) {
    const p = Number(t.toPrecision(d));
    if (t > 0 ? p > prev && p <= t : p < prev && p >= t) return String(p);
  }
  return String(t);
}
