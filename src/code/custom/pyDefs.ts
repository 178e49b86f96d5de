// Python front end: finds the definitions in a file that may be elementwise activations —
// a `def` with one tensor argument (further parameters need defaults), a method of that
// shape, an nn.Module whose forward computes one expression of its input, a lambda — and
// evaluates them (interp.ts) into formulas; pyExec.ts runs the statements of their bodies.
// A @staticmethod is a def of its class; a @classmethod's first parameter is the class, whose
// body-level assignments (`beta: float = 1.5`, a flax field) are attributes like __init__'s.
import { matchBrackets, type Token } from '../tokens';
import { tokenizePython } from '../pyTokenizer';
import { builtin, evalNode, lambdaVal, recognition, type FnVal, type Scope } from './interp';
import { X } from './cexpr';
import { Locals, setAttr, statementRunner } from './pyExec';
import { logicalLines, nameUses, nest, readImport, type Stmt } from './pySource';
import { parseExpression, ExprParser, type Node } from './syntax';
import { ex, reject, Reject, type Val } from './values';

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
    for (const [si, s] of stmts.entries()) {
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
          const deco = decorators(stmts, si);
          if (!NOT_ACTIVATION_METHODS.has(name)) {
            const info = cls;
            const value = deco.has('staticmethod') ? () => defVal(s, scope, null) : () => methodVal(info, s, scope, deco.has('classmethod'));
            defs.push({ kind: 'method', name: `self.${name}`, tok: d + 1, uses: [], value });
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

  /** The names of the decorators on the statement at stmts[i] (`staticmethod`, `nn.compact` → `compact`). */
  const decorators = (stmts: readonly Stmt[], i: number): Set<string> => {
    const out = new Set<string>();
    for (let j = i - 1; j >= 0 && isOp((stmts[j] as Stmt).from, '@'); j--) {
      let k = (stmts[j] as Stmt).from + 1;
      while (isName(k) && isOp(k + 1, '.')) k += 2;
      if (isName(k)) out.add((tk(k) as Token).text);
    }
    return out;
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
        // a bare `*` or `/` marker, or *args / **kwargs (left unbound: a body that reads them rejects)
        i = j + 1;
        continue;
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
    if (self && !params[0]) return reject('method without self');
    const selfName = params[0]?.name;
    const withSelf: Scope = self ? { lookup: (n) => (n === selfName ? self : outer.lookup(n)) } : outer;
    return lambdaVal(ps, bodyOf(s), withSelf);
  };

  const methodVal = (cls: ClassInfo, s: Stmt, outer: Scope, classmethod: boolean): Val => {
    // `self` is built (its __init__ run) only if the method reads it; a classmethod's `cls` has the class-level attributes.
    let inst: Val | undefined;
    const self: Val = {
      v: 'dict',
      entries: {
        get: (k) => {
          inst ??= classmethod ? { v: 'dict', entries: classAttrs(cls, outer, null) } : instantiate(cls, [], new Map(), outer, null).self;
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
    const attrs = classAttrs(cls, outer, symbolic);
    const self: Val = { v: 'dict', entries: attrs };
    let forwardStmt: Stmt | undefined;
    let initStmt: Stmt | undefined;
    for (const [ci, c] of cls.stmt.children.entries()) {
      let d = c.from;
      if (isName(d, 'async')) d++;
      if (!isName(d, 'def') || !isName(d + 1)) continue;
      const name = (tk(d + 1) as Token).text;
      if (name === 'forward' || name === '__call__' || name === 'call') forwardStmt = c;
      else if (name === '__init__') initStmt = c;
      else {
        const isStatic = decorators(cls.stmt.children, ci).has('staticmethod');
        attrs.set(name, () => defVal(c, outer, isStatic ? null : self));
      }
    }
    if (initStmt) {
      const { params } = defParams(initStmt);
      if (params[0]?.name !== 'self') reject('__init__ without self');
      const locals = new Map<string, Val>([['self', self]]);
      params.slice(1).forEach((p, i) => {
        const v = kw.get(p.name) ?? args[i] ?? (p.def ? evalNode(p.def, outer) : reject(`${cls.name}(${p.name}) has no default`));
        locals.set(p.name, v);
      });
      execBlock(bodyStmts(initStmt), new Locals({ lookup: (n: string) => locals.get(n) ?? outer.lookup(n) }), { attrs, symbolic });
    } else if (args.length || kw.size) reject('arguments to a class without __init__');
    if (!forwardStmt) return reject('no forward');
    const fwd = defVal(forwardStmt, outer, self);
    return { self, forward: fwd.call };
  };

  const { execBlock, headerColon, expr } = statementRunner(toks, partner);

  /** Class-body assignments (`scale = 2.0`, a flax/dataclass field `beta: float = 1.5`) as attributes. */
  function classAttrs(cls: ClassInfo, outer: Scope, symbolic: Map<string, number> | null): Map<string, () => Val> {
    const attrs = new Map<string, () => Val>();
    const init = { attrs, symbolic };
    for (const c of cls.stmt.children) {
      if (!isName(c.from) || !(isOp(c.from + 1, '=') || isOp(c.from + 1, ':'))) continue;
      let eq = c.from + 1;
      if (isOp(eq, ':')) while (eq < c.to && !isOp(eq, '=')) eq++;
      if (eq >= c.to) continue;
      try {
        setAttr(init, (tk(c.from) as Token).text, expr(eq + 1, c.to, outer));
      } catch (e) {
        // a class attribute we cannot evaluate is left out (reading it rejects)
        if (!(e instanceof Reject)) throw e;
      }
    }
    return attrs;
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
