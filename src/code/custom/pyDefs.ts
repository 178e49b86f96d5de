// Python front end: finds the definitions in a file that may be elementwise activations —
// a `def` with one tensor argument (further parameters need defaults), a method of that
// shape, an nn.Module whose forward computes one expression of its input, a lambda — and
// evaluates them (interp.ts) into formulas. Statements allowed in a body: docstrings,
// `pass`, local assignments, `return`, and `if` on values known statically (an `inplace`
// flag's default). Anything else (loops, attribute writes outside __init__, calls for
// their effect, tuple unpacking) means "not an activation".
import { matchBrackets, type Token } from '../tokens';
import { tokenizePython } from '../pyTokenizer';
import { builtin, constantValue, evalNode, lambdaVal, recognition, type FnVal, type Scope } from './interp';
import { bin, dependsOnX, paramsOf, X } from './cexpr';
import { logicalLines, nameUses, nest, readImport, type Stmt } from './pySource';
import { parseExpression, ExprParser, type Node } from './syntax';
import { asExpr, ex, reject, type Val } from './values';

const AUG_OPS: ReadonlySet<string> = new Set(['+=', '-=', '*=', '/=', '**=']);

export type CustomKind = 'def' | 'method' | 'module' | 'lambda';

export interface CustomDef {
  readonly kind: CustomKind;
  /** How uses refer to it: `swish`, `QuickGELU`, `self.act`. */
  readonly name: string;
  /** The token that names it (def/class name, lambda's assignment target or `lambda`). */
  readonly tok: number;
  /** Tokens that use it in this file. */
  readonly uses: readonly number[];
  readonly value: () => Val;
}

export interface PyFile {
  readonly text: string;
  readonly toks: readonly Token[];
  readonly partner: Int32Array;
  readonly defs: readonly CustomDef[];
  readonly scope: Scope;
  /** Module-level dicts by name (for `ACT2FN["gelu"]`). */
  readonly dicts: ReadonlySet<string>;
}

const CONVENTIONAL: Readonly<Record<string, string>> = {
  torch: 'torch',
  F: 'torch.nn.functional',
  nn: 'torch.nn',
  np: 'numpy',
  numpy: 'numpy',
  jnp: 'jax.numpy',
  jax: 'jax',
  tf: 'tensorflow',
  math: 'math',
};

const NOT_ACTIVATION_METHODS = new Set(['__init__', 'forward', '__call__', 'call', 'backward', 'symbolic', 'extra_repr', '__repr__']);

export function indexPythonDefs(text: string): PyFile {
  const toks = tokenizePython(text);
  const partner = matchBrackets(toks);
  /** The index after the bracket closing the one at i (the end when unbalanced). */
  const skip = (i: number): number => {
    const c = partner[i] as number;
    return c < 0 ? toks.length : c + 1;
  };
  const lines = logicalLines(text, toks, partner);
  const top = nest(lines);

  const imports = new Map<string, string>();
  const moduleNames = new Map<string, () => Val>();
  const dicts = new Set<string>();
  const defs: CustomDef[] = [];
  const tk = (i: number): Token | undefined => toks[i];
  const isOp = (i: number, s: string): boolean => tk(i)?.kind === 'op' && tk(i)?.text === s;
  const isName = (i: number, s?: string): boolean => tk(i)?.kind === 'name' && (s === undefined || tk(i)?.text === s);

  // ----- file scope ----------------------------------------------------------------------
  const resolving = new Set<string>();
  const cache = new Map<string, Val>();
  const scope: Scope = {
    lookup(name: string): Val {
      const hit = cache.get(name);
      if (hit) return hit;
      const lazy = moduleNames.get(name);
      if (lazy) {
        if (resolving.has(name)) return reject(`recursive ${name}`);
        resolving.add(name);
        try {
          const v = lazy();
          cache.set(name, v);
          return v;
        } finally {
          resolving.delete(name);
        }
      }
      const imp = imports.get(name);
      if (imp !== undefined) return { v: 'path', path: imp };
      const b = builtin(name);
      if (b) return b;
      const conv = CONVENTIONAL[name];
      if (conv) return { v: 'path', path: conv };
      return reject(`unknown name ${name}`);
    },
  };

  // ----- walk the statements ---------------------------------------------------------------
  const walk = (stmts: readonly Stmt[], cls: ClassInfo | null, inFunction: boolean): void => {
    for (const s of stmts) {
      const f = s.from;
      const first = tk(f);
      if (!first) continue;
      if (first.text === 'import' || first.text === 'from') {
        readImport(toks, f, s.to, imports);
        continue;
      }
      let d = f;
      if (isName(d, 'async')) d++;
      if (isName(d, 'def') && isName(d + 1)) {
        const name = (tk(d + 1) as Token).text;
        if (cls) {
          if (!NOT_ACTIVATION_METHODS.has(name)) {
            const info = cls;
            defs.push({ kind: 'method', name: `self.${name}`, tok: d + 1, uses: [], value: () => methodVal(info, s, scope) });
          }
        } else if (!inFunction) {
          const v = (): Val => defVal(s, scope, null);
          moduleNames.set(name, v);
          defs.push({ kind: 'def', name, tok: d + 1, uses: [], value: v });
        }
        walk(s.children, null, true);
        continue;
      }
      if (isName(f, 'class') && isName(f + 1)) {
        const name = (tk(f + 1) as Token).text;
        const info: ClassInfo = { stmt: s, name };
        if (!inFunction && !cls) {
          const v = (): Val => classVal(info, scope);
          moduleNames.set(name, v);
          if (isModuleClass(s)) defs.push({ kind: 'module', name, tok: f + 1, uses: [], value: v });
        }
        walk(s.children, info, inFunction);
        continue;
      }
      // NAME = expr at module level (constants, dicts, aliases)
      if (!cls && !inFunction && isName(f) && isOp(f + 1, '=')) {
        const name = first.text;
        const from = f + 2;
        const to = s.to;
        moduleNames.set(name, () => {
          const n = parseExpression(toks, partner, from, to, 'python');
          return n ? evalNode(n, scope) : reject('unparsed assignment');
        });
        if (isOp(from, '{')) dicts.add(name);
      }
      walk(s.children, cls, inFunction);
    }
  };

  const isModuleClass = (s: Stmt): boolean => {
    const open = s.from + 2;
    if (!isOp(open, '(')) return false;
    const close = partner[open] as number;
    for (let i = open + 1; i < close; i++) {
      const t = tk(i) as Token;
      if (t.kind === 'name' && (t.text === 'Module' || t.text === 'Layer') && !isOp(i + 1, '.')) return true;
    }
    return false;
  };

  interface ClassInfo {
    readonly stmt: Stmt;
    readonly name: string;
  }

  // ----- values of definitions ---------------------------------------------------------------
  const defParams = (s: Stmt): { params: { name: string; def?: Node }[]; tokOfParams: number } => {
    let d = s.from;
    if (isName(d, 'async')) d++;
    const open = d + 2;
    if (!isOp(open, '(')) return reject('def without parameters');
    const close = partner[open] as number;
    const params: { name: string; def?: Node }[] = [];
    let i = open + 1;
    while (i < close) {
      let j = i;
      // one parameter: up to the next comma at this depth
      while (j < close && !isOp(j, ',')) {
        const t = tk(j) as Token;
        j = t.kind === 'op' && '([{'.includes(t.text) ? skip(j) : j + 1;
      }
      if (isOp(i, '*') || isOp(i, '**') || isOp(i, '/')) {
        if (j === i + 1) {
          i = j + 1;
          continue; // bare `*` or `/` marker
        }
        return reject('*args');
      }
      if (!isName(i)) return reject('odd parameter');
      const name = (tk(i) as Token).text;
      let eq = -1;
      for (let k = i + 1; k < j; k++) if (isOp(k, '=')) (eq = eq < 0 ? k : eq);
      let def: Node | undefined;
      if (eq >= 0) {
        const n = parseExpression(toks, partner, eq + 1, j, 'python');
        if (!n) return reject('unparsed default');
        def = n;
      }
      params.push({ name, ...(def ? { def } : {}) });
      i = j + 1;
    }
    return { params, tokOfParams: open };
  };

  const bodyOf = (s: Stmt) => (sc: Scope): Val => {
    const r = execBlock(bodyStmts(s), new Locals(sc), null);
    if (!r) return reject('no return');
    return r;
  };

  const defVal = (s: Stmt, outer: Scope, self: Val | null): FnVal => {
    const { params } = defParams(s);
    const ps = self ? params.slice(1) : params;
    if (self && params[0]?.name !== 'self') return reject('method without self');
    const withSelf: Scope = self ? { lookup: (n) => (n === 'self' ? self : outer.lookup(n)) } : outer;
    return lambdaVal(ps, bodyOf(s), withSelf);
  };

  const methodVal = (cls: ClassInfo, s: Stmt, outer: Scope): Val => {
    // `self` is built (its __init__ run) only if the method reads it.
    let inst: Val | undefined;
    const self: Val = {
      v: 'dict',
      entries: {
        get: (k) => {
          inst ??= instantiate(cls, [], new Map(), outer, null).self;
          return inst.v === 'dict' ? inst.entries.get(k) : undefined;
        },
      },
    };
    return defVal(s, outer, self);
  };

  const bodyStmts = (s: Stmt): readonly Stmt[] => s.children;

  const classVal = (cls: ClassInfo, outer: Scope): FnVal => {
    const make = (args: readonly Val[], kw: ReadonlyMap<string, Val>): FnVal => {
      const inst = instantiate(cls, args, kw, outer, null);
      return {
        v: 'fn',
        call: inst.forward,
        recognise: () => {
          if (args.length || kw.size) return recognition(inst.forward([ex(X)], new Map()), new Map());
          const defaults = new Map<string, number>();
          const sym = instantiate(cls, [], new Map(), outer, defaults);
          return recognition(sym.forward([ex(X)], new Map()), defaults);
        },
      };
    };
    return {
      v: 'fn',
      call: (args, kw) => make(args, kw),
      recognise: () => {
        const r = make([], new Map()).recognise;
        return r ? r() : reject('no forward');
      },
    };
  };

  const instantiate = (
    cls: ClassInfo,
    args: readonly Val[],
    kw: ReadonlyMap<string, Val>,
    outer: Scope,
    symbolic: Map<string, number> | null,
  ): { self: Val; forward: (a: readonly Val[], k: ReadonlyMap<string, Val>) => Val } => {
    const attrs = new Map<string, () => Val>();
    const self: Val = { v: 'dict', entries: attrs };
    let forwardStmt: Stmt | undefined;
    let initStmt: Stmt | undefined;
    for (const c of cls.stmt.children) {
      let d = c.from;
      if (isName(d, 'async')) d++;
      if (!isName(d, 'def') || !isName(d + 1)) continue;
      const name = (tk(d + 1) as Token).text;
      if (name === 'forward' || name === '__call__' || name === 'call') forwardStmt = c;
      else if (name === '__init__') initStmt = c;
      else attrs.set(name, () => defVal(c, outer, self));
    }
    if (initStmt) {
      const { params } = defParams(initStmt);
      if (params[0]?.name !== 'self') reject('__init__ without self');
      const locals = new Map<string, Val>([['self', self]]);
      params.slice(1).forEach((p, i) => {
        const v = kw.get(p.name) ?? args[i] ?? (p.def ? evalNode(p.def, outer) : reject(`${cls.name}(${p.name}) has no default`));
        locals.set(p.name, v);
      });
      execBlock(bodyStmts(initStmt), new Locals({ lookup: (n) => locals.get(n) ?? outer.lookup(n) }), { attrs, symbolic });
    } else if (args.length || kw.size) reject('arguments to a class without __init__');
    if (!forwardStmt) return reject('no forward');
    const fwd = defVal(forwardStmt, outer, self);
    return { self, forward: fwd.call };
  };

  // ----- statements ------------------------------------------------------------------------
  class Locals implements Scope {
    readonly vars = new Map<string, Val>();
    constructor(readonly outer: Scope) {}
    lookup(n: string): Val {
      return this.vars.get(n) ?? this.outer.lookup(n);
    }
  }

  interface InitCtx {
    readonly attrs: Map<string, () => Val>;
    readonly symbolic: Map<string, number> | null;
  }

  const expr = (from: number, to: number, sc: Scope): Val => {
    const n = parseExpression(toks, partner, from, to, 'python');
    if (!n) return reject('unparsed expression');
    return evalNode(n, sc);
  };

  /** Runs statements; returns the value of a `return`, undefined when the block falls through. */
  function execBlock(stmts: readonly Stmt[], sc: Locals, init: InitCtx | null): Val | undefined {
    for (let k = 0; k < stmts.length; k++) {
      const s = stmts[k] as Stmt;
      const f = s.from;
      const t = tk(f) as Token;
      if (t.kind === 'str' && s.to === f + 1) continue; // docstring
      if (isName(f, 'pass')) continue;
      if (isName(f, 'return')) return expr(f + 1, s.to, sc);
      if (isName(f, 'if')) {
        // if / elif / else chain
        let chosen: Stmt | null = null;
        let cur: Stmt | undefined = s;
        let first = true;
        while (cur) {
          const h = cur.from;
          if (first || isName(h, 'elif')) {
            const colon = headerColon(cur);
            if (!chosen && asBoolStrict(expr(h + 1, colon, sc))) chosen = cur;
          } else if (isName(h, 'else')) {
            if (!chosen) chosen = cur;
          } else break;
          first = false;
          const next = stmts[k + 1];
          if (next && (isName(next.from, 'elif') || isName(next.from, 'else'))) {
            k++;
            cur = next;
          } else cur = undefined;
        }
        if (chosen) {
          const r = execBlock(blockOf(chosen), sc, init);
          if (r) return r;
        }
        continue;
      }
      // super().__init__(...) / super(Cls, self).__init__(...)
      if (init && isName(f, 'super')) continue;
      // self.attr = value (only in __init__)
      if (init && isName(f, 'self') && isOp(f + 1, '.') && isName(f + 2) && isOp(f + 3, '=')) {
        const attr = (tk(f + 2) as Token).text;
        let v = expr(f + 4, s.to, sc);
        if (init.symbolic && v.v === 'e' && !dependsOnX(v.e) && paramsOf(v.e).size === 0) {
          init.symbolic.set(attr, constantValue(v.e));
          v = ex({ k: 'param', name: attr });
        }
        const fixed = v;
        init.attrs.set(attr, () => fixed);
        continue;
      }
      // NAME = value / NAME: T = value
      if (isName(f) && (isOp(f + 1, '=') || isOp(f + 1, ':'))) {
        let eq = f + 1;
        if (isOp(eq, ':')) while (eq < s.to && !isOp(eq, '=')) eq++;
        if (eq >= s.to) return reject('annotation without value');
        sc.vars.set(t.text, expr(eq + 1, s.to, sc));
        continue;
      }
      // NAME += value (also -= *= /= **=): y = y + value
      const aug = tk(f + 1);
      if (isName(f) && aug?.kind === 'op' && AUG_OPS.has(aug.text)) {
        const old = sc.lookup(t.text);
        const op = aug.text.slice(0, -1) as '+' | '-' | '*' | '/' | '**';
        sc.vars.set(t.text, ex(bin(op, asExpr(old, t.text), asExpr(expr(f + 2, s.to, sc)))));
        continue;
      }
      return reject(`statement "${t.text}" is not part of an activation`);
    }
    return undefined;
  }

  function asBoolStrict(v: Val): boolean {
    if (v.v === 'bool') return v.b;
    if (v.v === 'none') return false;
    if (v.v === 'str') return v.s.length > 0;
    if (v.v === 'e' && !dependsOnX(v.e) && paramsOf(v.e).size === 0) return constantValue(v.e) !== 0;
    return reject('if on a value not known statically');
  }

  function headerColon(s: Stmt): number {
    for (let i = s.from; i < s.to; ) {
      const t = tk(i) as Token;
      if (t.kind === 'op' && '([{'.includes(t.text)) {
        i = skip(i);
        continue;
      }
      if (t.kind === 'op' && t.text === ':') return i;
      i++;
    }
    return reject('header without colon');
  }

  /** The body of a compound statement: its indented children, or the rest of its line. */
  function blockOf(s: Stmt): readonly Stmt[] {
    const colon = headerColon(s);
    if (colon + 1 < s.to) return [{ from: colon + 1, to: s.to, indent: s.indent + 1, children: [] }];
    return s.children;
  }

  walk(top, null, false);

  // One-line defs (`def f(x): return x * 2`) keep their body on the header line.
  for (const l of lines) {
    let d = l.from;
    if (isName(d, 'async')) d++;
    if (!isName(d, 'def') && !isName(d, 'class')) continue;
    const colon = (() => {
      try {
        return headerColon(l);
      } catch {
        return -1;
      }
    })();
    if (colon >= 0 && colon + 1 < l.to && l.children.length === 0) l.children.push({ from: colon + 1, to: l.to, indent: l.indent + 1, children: [] });
  }

  // ----- lambdas ------------------------------------------------------------------------------
  for (let i = 0; i < toks.length; i++) {
    if (!isName(i, 'lambda')) continue;
    let name = 'lambda';
    let tok = i;
    if (isOp(i - 1, '=') && isName(i - 2)) {
      name = (tk(i - 2) as Token).text;
      tok = i - 2;
      if (isOp(i - 3, '.') && isName(i - 4, 'self')) name = `self.${name}`;
      else if (isOp(i - 3, '.')) continue;
      else if (!lineStartsAt(i - 2)) {
        // a keyword argument (`act=lambda x: …`): the lambda itself is what is hovered
        name = `${name}=lambda`;
        tok = i;
      }
    } else if (isOp(i - 1, ':') && tk(i - 2)?.kind === 'str') {
      name = (tk(i - 2) as Token).value ?? 'lambda';
      tok = i - 2;
    }
    const start = i;
    const end = enclosingEnd(i);
    const isTop = tok === i - 2 && !name.startsWith('self.') && lineStartsAt(i - 2);
    const v = (): Val => {
      const p = new ExprParser(toks, partner, start, end, 'python');
      const n = p.expr();
      if (n.t !== 'lambda') return reject('not a lambda');
      return evalNode(n, scope);
    };
    if (isTop && !moduleNames.has(name)) moduleNames.set(name, v);
    defs.push({ kind: 'lambda', name, tok, uses: [], value: v });
  }

  function lineStartsAt(i: number): boolean {
    const prev = tk(i - 1);
    return !prev || prev.kind === 'nl';
  }

  /** Where an expression starting at i must end: its enclosing bracket's close, or the line end. */
  function enclosingEnd(i: number): number {
    let depth = 0;
    for (let j = i; j < toks.length; j++) {
      const t = tk(j) as Token;
      if (t.kind === 'nl' && depth === 0) return j;
      if (t.kind === 'op') {
        if ('([{'.includes(t.text)) {
          j = partner[j] as number;
          if (j < 0) return toks.length;
          continue;
        }
        if (')]}'.includes(t.text)) return j;
      }
    }
    return toks.length;
  }

  // ----- uses ---------------------------------------------------------------------------------
  const count = new Map<string, number>();
  for (const d of defs) count.set(d.name, (count.get(d.name) ?? 0) + 1);
  // ambiguous names (defined twice) get no use hover
  const unique = new Map(defs.filter((d) => count.get(d.name) === 1).map((d) => [d.name, d.tok]));
  const found = nameUses(toks, unique);
  const withUses = defs.map((d) => ({ ...d, uses: found.get(d.name) ?? [] }));
  return { text, toks, partner, defs: withUses, scope, dicts };
}
