// Evaluating an expression fast and stably. Two back ends with the same semantics:
//
// - `compileClosure`: a tree of closures built once; each call runs straight-line closure
//   calls, no dispatch on node kinds. Works everywhere, including webviews whose CSP has no
//   'unsafe-eval'.
// - `compileCode`: JavaScript source with common subexpressions hoisted into locals, turned
//   into a function with `new Function`. Several times faster; only where eval is allowed
//   (Node: the CLI, the training worker). `compileScalar` picks it when it can.
//
// Both evaluate the stable forms: σ and softplus never overflow (math/logistic), and a few
// spellings that cancel are evaluated by the function they equal:
//   1 − σ(u) → σ(−u)      1 − tanh²(u) → sech²(u)      u − tanh(u) → tanhshrink(u)
// (the simplifier has already turned log(1 + e^u), 1/(1 + e^−u), e^u − 1, log(1 + u) into
// softplus, σ, expm1, log1p).
import type { Cond, Expr } from './ast';
import { bindParams, children, paramNames, withChildren } from './ast';
import { erf, erfc } from '../math/erf';
import { logcosh, sech2, tanhshrink } from '../math/hyperbolic';
import { sigmoid, softplus } from '../math/logistic';
import { UNARY_FLOAT64 } from '../math/unary';
import { liftZeros } from './diff';
import { expandPrimitive } from './primitives';
import { equal, key, simplify, splitCoef } from './simplify';

export type ScalarFn = (x: number) => number;

/** A parameter the expression uses has no value. */
export class UnboundParameterError extends Error {
  readonly names: readonly string[];
  constructor(names: readonly string[]) {
    super(`no value for parameter${names.length > 1 ? 's' : ''} ${names.map((n) => `"${n}"`).join(', ')}`);
    this.name = 'UnboundParameterError';
    this.names = names;
  }
}

/** Binds parameters, expands primitives and simplifies: the tree both back ends evaluate. */
export function prepare(e: Expr, params: Readonly<Record<string, number>> = {}): Expr {
  const bound = bindParams(e, params);
  const missing = paramNames(bound);
  if (missing.length) throw new UnboundParameterError(missing);
  return liftZeros(simplify(expandAll(bound)));
}

function expandAll(e: Expr): Expr {
  return e.kind === 'act' ? expandAll(expandPrimitive(e.name, e.arg, e.params)) : withChildren(e, children(e).map(expandAll));
}

// ---------------------------------------------------------------------------------------
// Peepholes shared by both back ends: a sum that is one of the cancelling forms.

type Special = { fn: 'sigmoid' | 'sech2' | 'tanhshrink'; arg: Expr };

function special(e: Expr & { kind: 'add' }): Special | undefined {
  if (e.terms.length !== 2) return undefined;
  const [a, b] = e.terms as [Expr, Expr];
  const [cb, rb] = splitCoef(b);
  if (a.kind === 'num' && a.value === 1 && cb === -1) {
    if (rb.kind === 'fn' && rb.name === 'sigmoid') return { fn: 'sigmoid', arg: { kind: 'mul', factors: [{ kind: 'num', value: -1 }, rb.arg] } };
    if (rb.kind === 'pow' && rb.exp.kind === 'num' && rb.exp.value === 2 && rb.base.kind === 'fn' && rb.base.name === 'tanh') return { fn: 'sech2', arg: rb.base.arg };
  }
  for (const [u, t] of [[a, b], [b, a]] as const) {
    const [c, r] = splitCoef(t);
    if (c === -1 && r.kind === 'fn' && r.name === 'tanh' && equal(r.arg, u)) return { fn: 'tanhshrink', arg: u };
  }
  return undefined;
}

const SPECIAL_FNS = { sigmoid, sech2, tanhshrink } as const;

/** log(cosh(u)): evaluated by logcosh, finite where cosh overflows. */
function isLogCosh(e: Expr): e is Expr & { kind: 'fn'; arg: Expr & { kind: 'fn'; arg: Expr } } {
  return e.kind === 'fn' && e.name === 'log' && e.arg.kind === 'fn' && e.arg.name === 'cosh';
}

const UNARY: Readonly<Record<string, ScalarFn>> = UNARY_FLOAT64;

// ---------------------------------------------------------------------------------------
// Closure tree

/** f as a closure tree. `e` may contain primitives and parameters (bound from `params`). */
export function compileClosure(e: Expr, params: Readonly<Record<string, number>> = {}): ScalarFn {
  return closure(prepare(e, params));
}

function closure(e: Expr): ScalarFn {
  switch (e.kind) {
    case 'num': {
      const v = e.value;
      return () => v;
    }
    case 'x':
      return (x) => x;
    case 'const': {
      const v = e.name === 'pi' ? Math.PI : Math.E;
      return () => v;
    }
    case 'param':
      throw new UnboundParameterError([e.name]);
    case 'add': {
      const sp = special(e);
      if (sp) {
        const g = SPECIAL_FNS[sp.fn];
        const u = closure(simplify(sp.arg));
        return (x) => g(u(x));
      }
      const fs = e.terms.map(closure);
      if (fs.length === 2) {
        const [a, b] = fs as [ScalarFn, ScalarFn];
        return (x) => a(x) + b(x);
      }
      if (fs.length === 3) {
        const [a, b, c] = fs as [ScalarFn, ScalarFn, ScalarFn];
        return (x) => a(x) + b(x) + c(x);
      }
      return (x) => {
        let s = 0;
        for (const f of fs) s += f(x);
        return s;
      };
    }
    case 'mul': {
      const fs = e.factors.map(closure);
      if (fs.length === 2) {
        const [a, b] = fs as [ScalarFn, ScalarFn];
        return (x) => a(x) * b(x);
      }
      if (fs.length === 3) {
        const [a, b, c] = fs as [ScalarFn, ScalarFn, ScalarFn];
        return (x) => a(x) * b(x) * c(x);
      }
      return (x) => {
        let p = 1;
        for (const f of fs) p *= f(x);
        return p;
      };
    }
    case 'pow': {
      const b = closure(e.base);
      if (e.exp.kind === 'num') {
        const n = e.exp.value;
        if (n === 2) return (x) => {
          const v = b(x);
          return v * v;
        };
        if (n === 3) return (x) => {
          const v = b(x);
          return v * v * v;
        };
        if (n === -1) return (x) => 1 / b(x);
        if (n === 0.5) return (x) => Math.sqrt(b(x));
        if (n === -0.5) return (x) => 1 / Math.sqrt(b(x));
        return (x) => Math.pow(b(x), n);
      }
      const p = closure(e.exp);
      return (x) => Math.pow(b(x), p(x));
    }
    case 'fn': {
      if (isLogCosh(e)) {
        const v = closure(e.arg.arg);
        return (x) => logcosh(v(x));
      }
      const g = UNARY[e.name] as ScalarFn;
      const u = closure(e.arg);
      return (x) => g(u(x));
    }
    case 'minmax': {
      const a = closure(e.a);
      const b = closure(e.b);
      return e.op === 'max' ? (x) => Math.max(a(x), b(x)) : (x) => Math.min(a(x), b(x));
    }
    case 'clamp': {
      const u = closure(e.arg);
      const lo = closure(e.lo);
      const hi = closure(e.hi);
      return (x) => Math.min(Math.max(u(x), lo(x)), hi(x));
    }
    case 'where': {
      const c = condClosure(e.cond);
      const t = closure(e.then);
      const f = closure(e.else);
      // NaN input: every comparison is false, so the else branch decides (NaN for any formula of x)
      return (x) => (c(x) ? t(x) : f(x));
    }
    case 'act':
      return closure(simplify(expandAll(e)));
  }
}

function condClosure(c: Cond): (x: number) => boolean {
  const l = closure(c.left);
  const r = closure(c.right);
  switch (c.op) {
    case '<': return (x) => l(x) < r(x);
    case '<=': return (x) => l(x) <= r(x);
    case '>': return (x) => l(x) > r(x);
    case '>=': return (x) => l(x) >= r(x);
    case '==': return (x) => l(x) === r(x);
  }
}

// ---------------------------------------------------------------------------------------
// Code generation

/** True where `new Function` may run: Node (CLI, worker). Webviews forbid eval by CSP. */
export function canGenerateCode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  return typeof g.process?.versions?.node === 'string';
}

export const HELPERS = { sigmoid, softplus, erf, erfc, sech2, tanhshrink, logcosh } as const;
const HELPER_NAMES = Object.keys(HELPERS);

/**
 * JavaScript statements computing the prepared expressions `es` of a variable `x` into
 * `const` locals; returns the statements and the expression for each output. Shared
 * subexpressions (σ(x) in f and f′) are computed once.
 */
export function generateCode(es: readonly Expr[], prefix = 't'): { statements: string[]; outputs: string[] } {
  const count = new Map<string, number>();
  const visit = (e: Expr): void => {
    if (e.kind === 'num' || e.kind === 'x' || e.kind === 'const') return;
    const k = key(e);
    const n = (count.get(k) ?? 0) + 1;
    count.set(k, n);
    if (n > 1) return;
    for (const c of childrenForCode(e)) visit(c);
  };
  es.forEach(visit);
  const names = new Map<string, string>();
  const statements: string[] = [];
  const emit = (e: Expr): string => {
    if (e.kind === 'num') return numLit(e.value);
    if (e.kind === 'x') return 'x';
    if (e.kind === 'const') return e.name === 'pi' ? 'Math.PI' : 'Math.E';
    const k = key(e);
    const have = names.get(k);
    if (have) return have;
    const src = gen(e, emit);
    if ((count.get(k) ?? 0) > 1 || e.kind === 'where') {
      const name = `${prefix}${names.size}`;
      names.set(k, name);
      statements.push(`const ${name} = ${src};`);
      return name;
    }
    return src;
  };
  const outputs = es.map(emit);
  return { statements, outputs };
}

function childrenForCode(e: Expr): Expr[] {
  if (e.kind === 'add') {
    const sp = special(e);
    if (sp) return [simplify(sp.arg)];
    return [...e.terms];
  }
  switch (e.kind) {
    case 'mul': return [...e.factors];
    case 'pow': return [e.base, e.exp];
    case 'fn': return isLogCosh(e) ? [e.arg.arg] : [e.arg];
    case 'minmax': return [e.a, e.b];
    case 'clamp': return [e.arg, e.lo, e.hi];
    case 'where': return [e.cond.left, e.cond.right, e.then, e.else];
    default: return [];
  }
}

function numLit(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  return v < 0 || Object.is(v, -0) ? `(${String(v)})` : String(v);
}

const JS_UNARY: Readonly<Record<string, string>> = {
  exp: 'Math.exp', log: 'Math.log', log1p: 'Math.log1p', expm1: 'Math.expm1', abs: 'Math.abs', sign: 'Math.sign',
  sin: 'Math.sin', cos: 'Math.cos', tan: 'Math.tan', tanh: 'Math.tanh', sinh: 'Math.sinh', cosh: 'Math.cosh',
  sigmoid: 'sigmoid', softplus: 'softplus', erf: 'erf', erfc: 'erfc',
};

function gen(e: Expr, emit: (e: Expr) => string): string {
  switch (e.kind) {
    case 'num': case 'x': case 'const': return emit(e);
    case 'param': throw new UnboundParameterError([e.name]);
    case 'add': {
      const sp = special(e);
      if (sp) return `${sp.fn}(${emit(simplify(sp.arg))})`;
      return `(${e.terms.map(emit).join(' + ')})`;
    }
    case 'mul': return `(${e.factors.map(emit).join(' * ')})`;
    case 'pow': {
      const b = emit(e.base);
      if (e.exp.kind === 'num') {
        const n = e.exp.value;
        if (n === 2) return `(${b} * ${b})`;
        if (n === 3) return `(${b} * ${b} * ${b})`;
        if (n === -1) return `(1 / ${b})`;
        if (n === 0.5) return `Math.sqrt(${b})`;
        if (n === -0.5) return `(1 / Math.sqrt(${b}))`;
      }
      return `Math.pow(${b}, ${emit(e.exp)})`;
    }
    case 'fn': return isLogCosh(e) ? `logcosh(${emit(e.arg.arg)})` : `${JS_UNARY[e.name] as string}(${emit(e.arg)})`;
    case 'minmax': return `Math.${e.op}(${emit(e.a)}, ${emit(e.b)})`;
    case 'clamp': return `Math.min(Math.max(${emit(e.arg)}, ${emit(e.lo)}), ${emit(e.hi)})`;
    case 'where': {
      const op = e.cond.op === '==' ? '===' : e.cond.op;
      // branches are cheap to evaluate both ways; a conditional expression keeps NaN semantics
      return `((${emit(e.cond.left)} ${op} ${emit(e.cond.right)}) ? ${emit(e.then)} : ${emit(e.else)})`;
    }
    case 'act': return emit(simplify(expandAll(e)));
  }
}

/** Builds a function from generated statements; `body` may use x, the HELPERS and the outputs. */
export function makeFunction<T>(params: string[], body: string): T {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(...HELPER_NAMES, `"use strict"; return function (${params.join(', ')}) {\n${body}\n};`) as (...h: unknown[]) => T;
  return factory(...HELPER_NAMES.map((n) => (HELPERS as Record<string, unknown>)[n]));
}

/** f compiled to JavaScript (Node only; see canGenerateCode). */
export function compileCode(e: Expr, params: Readonly<Record<string, number>> = {}): ScalarFn {
  const { statements, outputs } = generateCode([prepare(e, params)]);
  return makeFunction<ScalarFn>(['x'], `${statements.join('\n')}\nreturn ${outputs[0] as string};`);
}

/** The fastest evaluator the context allows: generated code in Node, a closure tree elsewhere. */
export function compileScalar(e: Expr, params: Readonly<Record<string, number>> = {}, mode: 'auto' | 'closure' | 'code' = 'auto'): ScalarFn {
  if (mode === 'code' || (mode === 'auto' && canGenerateCode())) return compileCode(e, params);
  return compileClosure(e, params);
}
