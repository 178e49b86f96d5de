// Runs the statements of a Python definition's body for the custom-activation front end:
// docstrings, `pass`, local assignments (also annotated and augmented), `return`, `if` on
// values known statically, and in __init__ `self.attr = …`, `self.register_buffer(…)`,
// `self.register_parameter(…)` and `super().__init__(…)`. An in-place op written as a
// statement rebinds its tensor (`y.mul_(s)`, `torch.sigmoid_(y)`, `F.relu(y, inplace=True)`:
// y = the op's result). Anything else (loops, other calls for their effect, tuple unpacking)
// rejects: the definition is then not an activation.
import type { Token } from '../tokens';
import { bin, dependsOnX, paramsOf } from './cexpr';
import { constantValue, evalNode, type Scope } from './interp';
import type { Stmt } from './pySource';
import { parseExpression, type Node } from './syntax';
import { asExpr, ex, reject, type Val } from './values';

const AUG_OPS: ReadonlySet<string> = new Set(['+=', '-=', '*=', '/=', '**=']);

export class Locals implements Scope {
  readonly vars = new Map<string, Val>();
  constructor(readonly outer: Scope) {}
  lookup(n: string): Val {
    return this.vars.get(n) ?? this.outer.lookup(n);
  }
}

/** __init__'s context: the instance's attributes; with `symbolic`, numeric ones become parameters. */
export interface InitCtx {
  readonly attrs: Map<string, () => Val>;
  readonly symbolic: Map<string, number> | null;
}

/** Sets an attribute; with symbolic parameters, a number becomes the parameter `attr` (its value the default). */
export function setAttr(init: InitCtx, attr: string, v: Val): void {
  let val = v;
  if (init.symbolic && v.v === 'e' && !dependsOnX(v.e) && paramsOf(v.e).size === 0) {
    init.symbolic.set(attr, constantValue(v.e));
    val = ex({ k: 'param', name: attr });
  }
  init.attrs.set(attr, () => val);
}

export interface Runner {
  execBlock(stmts: readonly Stmt[], sc: Locals, init: InitCtx | null): Val | undefined;
  headerColon(s: Stmt): number;
  expr(from: number, to: number, sc: Scope): Val;
}

export function statementRunner(toks: readonly Token[], partner: Int32Array): Runner {
  const tk = (i: number): Token | undefined => toks[i];
  const isOp = (i: number, s: string): boolean => tk(i)?.kind === 'op' && tk(i)?.text === s;
  const isName = (i: number, s?: string): boolean => tk(i)?.kind === 'name' && (s === undefined || tk(i)?.text === s);
  const skip = (i: number): number => {
    const c = partner[i] as number;
    return c < 0 ? toks.length : c + 1;
  };

  const expr = (from: number, to: number, sc: Scope): Val => {
    const n = parseExpression(toks, partner, from, to, 'python');
    if (!n) return reject('unparsed expression');
    return evalNode(n, sc);
  };

  /** A call written as a statement: the name it rebinds (an in-place op) or an __init__ registration. */
  function callStatement(n: Node, sc: Locals, init: InitCtx | null): boolean {
    if (n.t !== 'call') return false;
    const f = n.fn;
    const first = n.args[0];
    if (init && f.t === 'attr' && f.obj.t === 'name' && f.obj.id === 'self' && (f.name === 'register_buffer' || f.name === 'register_parameter')) {
      const key = first ? evalNode(first, sc) : undefined;
      const value = n.args[1] ?? n.kw.find(([k]) => k === 'tensor' || k === 'param')?.[1];
      if (key?.v !== 'str' || !value) return reject(`${f.name} without a name and a value`);
      const v = evalNode(value, sc);
      if (v.v === 'none') return true;
      setAttr(init, key.s, v);
      return true;
    }
    const inplaceName = (m: string): boolean => /^[a-z]\w*[a-z0-9]_$/.test(m);
    let target: string | undefined;
    const isTensor = (id: string): boolean => sc.lookup(id).v === 'e';
    // y.mul_(s): a method of a local tensor
    if (f.t === 'attr' && f.obj.t === 'name' && inplaceName(f.name) && isTensor(f.obj.id)) target = f.obj.id;
    // torch.sigmoid_(y) / F.relu_(y) / F.relu(y, inplace=True)
    else if (first?.t === 'name' && ((f.t === 'attr' && inplaceName(f.name)) || n.kw.some(([k, v]) => k === 'inplace' && v.t === 'lit' && v.v === true))) target = first.id;
    if (target === undefined) return false;
    const old = sc.lookup(target);
    if (old.v !== 'e') return reject(`in-place op on ${target}, which is not a tensor`);
    sc.vars.set(target, evalNode(n, sc));
    return true;
  }

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
      // self.attr = value / self.attr: T = value (only in __init__)
      if (init && isName(f, 'self') && isOp(f + 1, '.') && isName(f + 2) && (isOp(f + 3, '=') || isOp(f + 3, ':'))) {
        let eq = f + 3;
        if (isOp(eq, ':')) while (eq < s.to && !isOp(eq, '=')) eq++;
        if (eq >= s.to) return reject('annotation without value');
        setAttr(init, (tk(f + 2) as Token).text, expr(eq + 1, s.to, sc));
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
      const call = parseExpression(toks, partner, f, s.to, 'python');
      if (call && callStatement(call, sc, init)) continue;
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

  return { execBlock, headerColon, expr };
}
