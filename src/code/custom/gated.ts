// Gated activations in the usual module patterns: a Module whose forward multiplies an
// activation of one projection of its input by another projection —
// `F.silu(self.w1(x)) * self.w3(x)` (LLaMA), or the two halves of one projection,
// `h, gate = self.proj(x).chunk(2, dim=-1); h * self.act(gate)` (diffusers) — possibly
// inside an output projection and dropout. Recognition only: which gate (GLU, ReGLU, GeGLU,
// SwiGLU) and which projections are a and b, in the catalog's order f(a, b) = a·g(b)
// (docs/conventions.md, "Gated activations"): a is the value, b the gate — the projection
// the activation is applied to (LLaMA: a = w3(x), b = w1(x)).
import { matchBrackets, tokenAt, type Token } from '../tokens';
import { tokenizePython } from '../pyTokenizer';
import { logicalLines, nest, type Stmt } from './pySource';
import { parseExpression, type Node } from './syntax';

export type GateName = 'GLU' | 'ReGLU' | 'GeGLU' | 'SwiGLU';

export interface GatedMatch {
  /** The module's name. */
  readonly name: string;
  readonly gate: GateName;
  /** The catalog's gated entry (`engine/activations/defs/gated.ts`): glu_ab, reglu, geglu, swiglu. */
  readonly id: string;
  /** f(a, b) = a·g(b) in the --expr syntax, with a and b as parameters (`a * silu(b)`). */
  readonly expression: string;
  /** How the code computes a (the value) and b (the gate: the activated projection). */
  readonly a: string;
  readonly b: string;
  /** Offsets of the class name. */
  readonly start: number;
  readonly end: number;
}

const GATES: Readonly<Record<string, { gate: GateName; id: string; expr: string }>> = {
  silu: { gate: 'SwiGLU', id: 'swiglu', expr: 'a * silu(b)' },
  swish: { gate: 'SwiGLU', id: 'swiglu', expr: 'a * silu(b)' },
  SiLU: { gate: 'SwiGLU', id: 'swiglu', expr: 'a * silu(b)' },
  gelu: { gate: 'GeGLU', id: 'geglu', expr: 'a * gelu(b)' },
  GELU: { gate: 'GeGLU', id: 'geglu', expr: 'a * gelu(b)' },
  relu: { gate: 'ReGLU', id: 'reglu', expr: 'a * relu(b)' },
  ReLU: { gate: 'ReGLU', id: 'reglu', expr: 'a * relu(b)' },
  sigmoid: { gate: 'GLU', id: 'glu_ab', expr: 'a * sigmoid(b)' },
  Sigmoid: { gate: 'GLU', id: 'glu_ab', expr: 'a * sigmoid(b)' },
};
const PROJECTIONS = new Set(['Linear', 'LazyLinear', 'Dense', 'Conv1d', 'Conv2d']);
const IDENTITIES = new Set(['Dropout', 'Identity']);

/** A gated module at an offset: on its class name (the definition) or on a use of the name in the same file. */
export interface GatedAt extends GatedMatch {
  readonly at: 'definition' | 'use';
  /** Offsets of the hovered token (the class name itself, or the use). */
  readonly useStart: number;
  readonly useEnd: number;
}

/** The last few files scanned (hovers alternate between open documents). */
const scans = new Map<string, { toks: readonly Token[]; found: readonly GatedMatch[] }>();
const SCANS_MAX = 4;

function scan(text: string): { toks: readonly Token[]; found: readonly GatedMatch[] } {
  const hit = scans.get(text);
  if (hit) return hit;
  const toks = tokenizePython(text);
  const s = { toks, found: gatedModules(text, toks) };
  scans.set(text, s);
  while (scans.size > SCANS_MAX) scans.delete(scans.keys().next().value as string);
  return s;
}

/**
 * The gated module whose name is at `offset` — its `class` line, or a use such as
 * `self.mlp = FeedForward(…)` (not an attribute `x.FeedForward`) — or null. Never throws.
 */
export function gatedAt(text: string, offset: number): GatedAt | null {
  try {
    const { toks, found } = scan(text);
    if (!found.length) return null;
    const i = tokenAt(toks, offset);
    const t = toks[i];
    if (!t || t.kind !== 'name') return null;
    const m = found.find((g) => g.name === t.text);
    if (!m) return null;
    if (t.start === m.start) return { ...m, at: 'definition', useStart: t.start, useEnd: t.end };
    const prev = toks[i - 1];
    if (prev?.kind === 'op' && prev.text === '.') return null;
    if (prev?.kind === 'name' && (prev.text === 'def' || prev.text === 'class')) return null;
    return { ...m, at: 'use', useStart: t.start, useEnd: t.end };
  } catch (e) {
    if (e instanceof RangeError) return null;
    throw e;
  }
}

/** Every gated-activation module in a Python file. */
export function gatedModules(text: string, tokens?: readonly Token[]): GatedMatch[] {
  const toks = tokens ?? tokenizePython(text);
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
    return { name: nameTok.text, gate: g.gate, id: g.id, expression: g.expr, a: result.a, b: result.b, start: nameTok.start, end: nameTok.end };
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
  /** a = the value projection, b = the gate (the activated one): f(a, b) = a·act(b). */
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
    if (l?.t === 'act' && r?.t === 'proj' && l.of !== r.name) return { t: 'gated', act: l.act, a: r.name, b: l.of };
    if (r?.t === 'act' && l?.t === 'proj' && r.of !== l.name) return { t: 'gated', act: r.act, a: l.name, b: r.of };
    return null;
  }
  return null;
}
