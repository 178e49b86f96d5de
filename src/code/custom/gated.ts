// Gated activations in the usual module patterns: a Module whose forward multiplies an
// activation of one projection of its input by another projection —
// `F.silu(self.w1(x)) * self.w3(x)` (LLaMA), or the two halves of one projection,
// `h, gate = self.proj(x).chunk(2, dim=-1); h * self.act(gate)` (diffusers) — possibly
// inside an output projection and dropout. Recognition only: which gate (GLU, ReGLU, GeGLU,
// SwiGLU) and which projections are a (activated) and b.
import { matchBrackets, type Token } from '../tokens';
import { tokenizePython } from '../pyTokenizer';
import { logicalLines, nest, type Stmt } from './pyDefs';
import { parseExpression, type Node } from './syntax';

export type GateName = 'GLU' | 'ReGLU' | 'GeGLU' | 'SwiGLU';

export interface GatedMatch {
  /** The module's name. */
  readonly name: string;
  readonly gate: GateName;
  /** f(a, b) in the --expr syntax with a, b the two projections. */
  readonly expression: string;
  /** How the code computes a (the activated projection) and b. */
  readonly a: string;
  readonly b: string;
  /** Offsets of the class name. */
  readonly start: number;
  readonly end: number;
}

const GATES: Readonly<Record<string, { gate: GateName; expr: string }>> = {
  silu: { gate: 'SwiGLU', expr: 'silu(a) * b' },
  swish: { gate: 'SwiGLU', expr: 'silu(a) * b' },
  SiLU: { gate: 'SwiGLU', expr: 'silu(a) * b' },
  gelu: { gate: 'GeGLU', expr: 'gelu(a) * b' },
  GELU: { gate: 'GeGLU', expr: 'gelu(a) * b' },
  relu: { gate: 'ReGLU', expr: 'relu(a) * b' },
  ReLU: { gate: 'ReGLU', expr: 'relu(a) * b' },
  sigmoid: { gate: 'GLU', expr: 'sigmoid(a) * b' },
  Sigmoid: { gate: 'GLU', expr: 'sigmoid(a) * b' },
};
const PROJECTIONS = new Set(['Linear', 'LazyLinear', 'Dense', 'Conv1d', 'Conv2d']);
const IDENTITIES = new Set(['Dropout', 'Identity']);

/** Every gated-activation module in a Python file. */
export function gatedModules(text: string): GatedMatch[] {
  const toks = tokenizePython(text);
  const partner = matchBrackets(toks);
  const out: GatedMatch[] = [];
  const tk = (i: number): Token | undefined => toks[i];
  const isName = (i: number, s?: string): boolean => tk(i)?.kind === 'name' && (s === undefined || tk(i)?.text === s);
  const isOp = (i: number, s: string): boolean => tk(i)?.kind === 'op' && tk(i)?.text === s;
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (isName(s.from, 'class') && isName(s.from + 1)) {
        const m = matchClass(s);
        if (m) out.push(m);
      }
      visit(s.children);
    }
  };

  /** `self.NAME = <ctor>(…)` anywhere in __init__ → the constructor's last name. */
  function attrs(init: Stmt | undefined): Map<string, string> {
    const map = new Map<string, string>();
    const walk = (ss: readonly Stmt[]): void => {
      for (const s of ss) {
        const f = s.from;
        if (isName(f, 'self') && isOp(f + 1, '.') && isName(f + 2) && isOp(f + 3, '=')) {
          // the callee's last name before its `(`
          let i = f + 4;
          let last = '';
          while (i < s.to && (isName(i) || isOp(i, '.'))) {
            if (isName(i)) last = (tk(i) as Token).text;
            i++;
          }
          if (isOp(i, '(')) map.set((tk(f + 2) as Token).text, last);
        }
        walk(s.children);
      }
    };
    if (init) walk(init.children);
    return map;
  }

  function matchClass(cls: Stmt): GatedMatch | null {
    const nameTok = tk(cls.from + 1) as Token;
    let init: Stmt | undefined;
    let fwd: Stmt | undefined;
    const methods = new Map<string, Stmt>();
    for (const c of cls.children) {
      if (!isName(c.from, 'def') || !isName(c.from + 1)) continue;
      const n = (tk(c.from + 1) as Token).text;
      if (n === '__init__') init = c;
      else if (n === 'forward') fwd = c;
      else methods.set(n, c);
    }
    if (!fwd || !isOp(fwd.from + 2, '(') || !isName(fwd.from + 3, 'self') || !isOp(fwd.from + 4, ',') || !isName(fwd.from + 5)) return null;
    const input = (tk(fwd.from + 5) as Token).text;
    const a = attrs(init);
    const env = new Map<string, Term>([[input, { t: 'x' }]]);
    let result: Term | null = null;
    for (const s of fwd.children) {
      const f = s.from;
      if (tk(f)?.kind === 'str') continue;
      if (isName(f, 'return')) {
        result = term(parseExpression(toks, partner, f + 1, s.to, 'python'), env, a, methods);
        break;
      }
      // NAME = E  /  A, B = E.chunk(2, dim=-1)
      if (isName(f) && isOp(f + 1, '=')) {
        env.set((tk(f) as Token).text, term(parseExpression(toks, partner, f + 2, s.to, 'python'), env, a, methods) ?? { t: 'bad' });
        continue;
      }
      if (isName(f) && isOp(f + 1, ',') && isName(f + 2) && isOp(f + 3, '=')) {
        const rhs = parseExpression(toks, partner, f + 4, s.to, 'python');
        if (rhs?.t === 'call' && rhs.fn.t === 'attr' && rhs.fn.name === 'chunk' && rhs.args[0]?.t === 'num' && rhs.args[0].v === 2) {
          const whole = term(rhs.fn.obj, env, a, methods);
          if (whole?.t !== 'proj') return null;
          env.set((tk(f) as Token).text, { t: 'proj', name: `${whole.name}[0]` });
          env.set((tk(f + 2) as Token).text, { t: 'proj', name: `${whole.name}[1]` });
          continue;
        }
        return null;
      }
      return null;
    }
    if (!result || result.t !== 'gated') return null;
    const g = GATES[result.act];
    if (!g) return null;
    return { name: nameTok.text, gate: g.gate, expression: g.expr, a: result.a, b: result.b, start: nameTok.start, end: nameTok.end };
  }

  visit(nest(logicalLines(text, toks, partner)));
  return out;
}

type Term =
  | { t: 'x' }
  | { t: 'bad' }
  /** A projection of the input: `self.w1(x)`, or half of one (`proj[0]`). */
  | { t: 'proj'; name: string }
  | { t: 'act'; act: string; of: string }
  | { t: 'gated'; act: string; a: string; b: string };

/** The shape of an expression in a gated forward; null when it is none of them. */
function term(n: Node | null, env: ReadonlyMap<string, Term>, attrs: ReadonlyMap<string, string>, methods: ReadonlyMap<string, Stmt>): Term | null {
  if (!n) return null;
  if (n.t === 'name') return env.get(n.id) ?? null;
  if (n.t === 'call') {
    const arg = n.args.length >= 1 ? term(n.args[0] as Node, env, attrs, methods) : null;
    // self.NAME(E)
    if (n.fn.t === 'attr' && n.fn.obj.t === 'name' && n.fn.obj.id === 'self') {
      const attr = n.fn.name;
      const ctor = attrs.get(attr);
      if (ctor && PROJECTIONS.has(ctor)) {
        if (arg?.t === 'x') return { t: 'proj', name: `self.${attr}(x)` };
        return arg?.t === 'gated' ? arg : null; // the output projection
      }
      if (ctor && IDENTITIES.has(ctor)) return arg;
      if (ctor && GATES[ctor] && arg?.t === 'proj') return { t: 'act', act: ctor, of: arg.name };
      // a method such as diffusers' `def gelu(self, gate): return F.gelu(gate)`
      if (methods.has(attr) && arg?.t === 'proj' && GATES[attr]) return { t: 'act', act: attr, of: arg.name };
      return null;
    }
    // F.silu(E) / torch.sigmoid(E) / E.float() / E.to(dtype)
    if (n.fn.t === 'attr') {
      const last = n.fn.name;
      if (['float', 'to', 'type', 'contiguous'].includes(last)) return term(n.fn.obj, env, attrs, methods);
      if (GATES[last] && arg?.t === 'proj') return { t: 'act', act: last, of: arg.name };
    }
    if (n.fn.t === 'name' && GATES[n.fn.id] && arg?.t === 'proj') return { t: 'act', act: n.fn.id, of: arg.name };
    return null;
  }
  if (n.t === 'bin' && n.op === '*') {
    const l = term(n.a, env, attrs, methods);
    const r = term(n.b, env, attrs, methods);
    if (l?.t === 'act' && r?.t === 'proj' && l.of !== r.name) return { t: 'gated', act: l.act, a: l.of, b: r.name };
    if (r?.t === 'act' && l?.t === 'proj' && r.of !== l.name) return { t: 'gated', act: r.act, a: r.of, b: l.name };
    return null;
  }
  return null;
}
