// Evaluates an expression's syntax tree to a Val (values.ts): formulas in x are built,
// static values (booleans, strings, None) are computed, library calls go through ops.ts.
// Shared by the Python and JS/TS front ends; names are looked up in a Scope the front end
// provides (locals, then the file's imports, definitions and assignments).
import { bin, type CE, type CmpOp, evaluate, minmax, neg, num, paramsOf, dependsOnX, where } from './cexpr';
import { callLibrary, callMethod, constructLibrary, libAttribute, tensorAttribute } from './ops';
import type { Node } from './syntax';
import { asBool, asExpr, ex, NONE, reject, trace, type Val } from './values';

export interface Scope {
  /** A local or file-level name; rejects when unknown. */
  lookup(name: string): Val;
  /** Runs a JS arrow function's block body (token range) in a scope. */
  readonly block?: (from: number, to: number) => (scope: Scope) => Val;
}

/** What a callable computes when applied to x with its numeric parameters kept symbolic. */
export interface Recognition {
  readonly expr: CE;
  /** Parameter defaults, by name. */
  readonly params: Readonly<Record<string, number>>;
}

/** A callable value that also knows how to show itself with symbolic parameters. */
export type FnVal = Extract<Val, { v: 'fn' }> & { readonly recognise?: () => Recognition };

export function lambdaVal(params: readonly { name: string; def?: Node }[], bodyOf: (scope: Scope) => Val, outer: Scope): FnVal {
  const bind = (args: readonly Val[], kw: ReadonlyMap<string, Val>, symbolic: Map<string, number> | null): Scope => {
    const locals = new Map<string, Val>();
    params.forEach((p, i) => {
      let v = kw.get(p.name) ?? args[i];
      if (v === undefined) {
        if (!p.def) return reject(`parameter ${p.name} has no default`);
        v = evalNode(p.def, outer);
        if (symbolic && v.v === 'e' && !dependsOnX(v.e) && paramsOf(v.e).size === 0) {
          symbolic.set(p.name, constantValue(v.e));
          v = ex({ k: 'param', name: p.name });
        }
      }
      locals.set(p.name, v);
    });
    for (const k of kw.keys()) if (!params.some((p) => p.name === k)) reject(`unexpected keyword ${k}`);
    if (args.length > params.length) reject('too many arguments');
    return { lookup: (n) => locals.get(n) ?? outer.lookup(n), ...(outer.block ? { block: outer.block } : {}) };
  };
  return {
    v: 'fn',
    call: (args, kw) => bodyOf(bind(args, kw, null)),
    recognise: () => {
      if (params.length === 0) return reject('no argument');
      const defaults = new Map<string, number>();
      const r = bodyOf(bind([ex({ k: 'x' })], new Map(), defaults));
      return recognition(r, defaults);
    },
  };
}

export function recognition(r: Val, defaults: ReadonlyMap<string, number>): Recognition {
  const e = asExpr(r, 'result');
  const used = paramsOf(e);
  const params: Record<string, number> = {};
  for (const p of [...used].sort()) {
    const d = defaults.get(p);
    if (d === undefined) return reject(`parameter ${p} has no numeric default`);
    params[p] = d;
  }
  return { expr: e, params };
}

export function constantValue(e: CE): number {
  const v = evaluate(e, NaN, {});
  if (!Number.isFinite(v)) return reject('constant is not a finite number');
  return v;
}

const CMP = new Set(['<', '<=', '>', '>=']);

export function evalNode(n: Node, scope: Scope): Val {
  switch (n.t) {
    case 'num': return ex(num(n.v));
    case 'str': return { v: 'str', s: n.v };
    case 'lit': return n.v === null ? NONE : { v: 'bool', b: n.v };
    case 'name': return scope.lookup(n.id);
    case 'attr': {
      const o = evalNode(n.obj, scope);
      if (o.v === 'path') {
        const p = `${o.path}.${n.name}`;
        return libAttribute(p) ?? { v: 'path', path: p };
      }
      if (o.v === 'dict') {
        const th = o.entries.get(n.name);
        return th ? th() : reject(`.${n.name} is unknown`);
      }
      if (o.v === 'e') return tensorAttribute(n.name);
      if (o.v === 'opaque') return o;
      return reject(`.${n.name}`);
    }
    case 'call': {
      const args = n.args.map((a) => evalNode(a, scope));
      const kw = new Map(n.kw.map(([k, v]) => [k, evalNode(v, scope)] as [string, Val]));
      if (n.fn.t === 'attr') {
        const o = evalNode(n.fn.obj, scope);
        if (o.v === 'e') return callMethod(o.e, n.fn.name, args, kw);
        // (x > 0).float(), (x > 0).to(x.dtype): the comparison as 0/1
        if (o.v === 'cond') return callMethod(asExpr(o), n.fn.name, args, kw);
      }
      const f = evalNode(n.fn, scope);
      if (f.v === 'fn') return f.call(args, kw);
      if (f.v === 'path') return constructLibrary(f.path, args, kw) ?? callLibrary(f.path, args, kw);
      return reject('call of something that is not a function');
    }
    case 'sub': {
      const o = evalNode(n.obj, scope);
      const k = evalNode(n.idx, scope);
      if (o.v === 'dict' && k.v === 'str') {
        const th = o.entries.get(k.s);
        return th ? th() : reject(`no key "${k.s}"`);
      }
      return reject('indexing is not elementwise');
    }
    case 'bin': {
      const a = evalNode(n.a, scope);
      const b = evalNode(n.b, scope);
      if (n.op === '&' || n.op === '|') {
        if (a.v === 'bool' && b.v === 'bool') return { v: 'bool', b: n.op === '&' ? a.b && b.b : a.b || b.b };
        return reject(`${n.op} of conditions`);
      }
      if (n.op === '+' || n.op === '-' || n.op === '*' || n.op === '/' || n.op === '**') {
        if (a.v === 'str' || b.v === 'str') return reject('string arithmetic');
        return ex(bin(n.op, asExpr(a), asExpr(b)));
      }
      return reject(`operator ${n.op} is not elementwise arithmetic`);
    }
    case 'un': {
      const a = evalNode(n.a, scope);
      if (n.op === '-') return ex(neg(asExpr(a)));
      if (n.op === '+') return ex(asExpr(a));
      if (n.op === 'not') return { v: 'bool', b: !asBool(a) };
      return reject(`unary ${n.op}`);
    }
    case 'cmp': {
      const a = evalNode(n.a, scope);
      const b = evalNode(n.b, scope);
      return compare(n.op, a, b);
    }
    case 'bool': {
      const a = asBool(evalNode(n.a, scope));
      if (n.op === 'and' ? !a : a) return { v: 'bool', b: a };
      return { v: 'bool', b: asBool(evalNode(n.b, scope)) };
    }
    case 'if': {
      const c = evalNode(n.cond, scope);
      // `a if x > 0 else b` on a number x (math.* scalar code): the branch per element
      if (c.v === 'cond') {
        if (dependsOnX(c.l) || dependsOnX(c.r)) trace.branchOnX = true;
        return ex(where(c.op, c.l, c.r, asExpr(evalNode(n.a, scope)), asExpr(evalNode(n.b, scope))));
      }
      return asBool(c) ? evalNode(n.a, scope) : evalNode(n.b, scope);
    }
    case 'seq': return { v: 'seq', items: n.items.map((i) => evalNode(i, scope)) };
    case 'dict': {
      const entries = new Map<string, () => Val>();
      for (const [k, v] of n.entries) {
        if (k.t !== 'str') return reject('dict with computed keys');
        entries.set(k.v, () => evalNode(v, scope));
      }
      return { v: 'dict', entries };
    }
    case 'lambda': {
      const body = n.body;
      const ps = n.params.map((p) => ({ name: p.name, ...(p.def ? { def: p.def } : {}) }));
      if ('t' in body) return lambdaVal(ps, (s) => evalNode(body, s), scope);
      if (!scope.block) return reject('block body');
      return lambdaVal(ps, scope.block(body.from, body.to), scope);
    }
    case 'bad': return reject('unsupported syntax');
  }
}

function compare(op: string, a: Val, b: Val): Val {
  const isStatic = (v: Val): boolean => v.v === 'bool' || v.v === 'none' || v.v === 'str' || (v.v === 'e' && !dependsOnX(v.e) && paramsOf(v.e).size === 0);
  if (isStatic(a) && isStatic(b)) {
    const key = (v: Val): unknown => (v.v === 'e' ? constantValue(v.e) : v.v === 'bool' ? v.b : v.v === 'str' ? v.s : null);
    const ka = key(a);
    const kb = key(b);
    switch (op) {
      case '==': case 'is': return { v: 'bool', b: ka === kb };
      case '!=': case 'is not': return { v: 'bool', b: ka !== kb };
      default:
        if (typeof ka === 'number' && typeof kb === 'number') {
          return { v: 'bool', b: op === '<' ? ka < kb : op === '<=' ? ka <= kb : op === '>' ? ka > kb : ka >= kb };
        }
        return reject('comparison of non-numbers');
    }
  }
  if (!CMP.has(op)) return reject(`${op} on a tensor`);
  return { v: 'cond', op: op as CmpOp, l: asExpr(a), r: asExpr(b) };
}

/** Python's min/max/abs/pow/float builtins on numbers (min/max) and tensors (abs, pow, float). */
export function builtin(name: string): Val | undefined {
  switch (name) {
    case 'min':
    case 'max':
      return {
        v: 'fn',
        call: (a) => {
          if (a.length !== 2) return reject(`${name} of ${a.length} arguments`);
          const [l, r] = [asExpr(a[0]), asExpr(a[1])];
          // Python's max(a, b) compares with `>`: a branch, per element only on numbers
          if (dependsOnX(l) || dependsOnX(r)) trace.branchOnX = true;
          return ex(minmax(name, l, r));
        },
      };
    case 'abs': return { v: 'fn', call: (a) => ex({ k: 'fn', name: 'abs', a: asExpr(a[0]) }) };
    case 'pow': return { v: 'fn', call: (a) => ex(bin('**', asExpr(a[0]), asExpr(a[1]))) };
    case 'float':
      return {
        v: 'fn',
        call: (a) => {
          // float('inf') / float('-inf'); any other string is not a number we model
          const s = a[0];
          if (s?.v === 'str' && /^\s*[+-]?inf(inity)?\s*$/i.test(s.s)) return ex(num(s.s.trim().startsWith('-') ? -Infinity : Infinity));
          return ex(asExpr(s));
        },
      };
    default: return undefined;
  }
}
