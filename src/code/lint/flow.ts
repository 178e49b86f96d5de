// Data flow for the loss rules: which activation (if any) produced the value a loss receives.
// Follows, within one Python file: local variables (`label = self.head(x)`), tuple unpacking
// (`score, cls = critic(x)`) against tuple returns (`return validity, label`), reshaping
// methods (`out.view(-1)`), module attributes (`self.head = nn.Sequential(..., nn.Softmax())`),
// methods of the same class (`self.decode(z)`), and instances of the file's own classes
// (`model = Net().to(device)` … `model(x)` → `Net.forward`'s return). Pure; no I/O.
import type { Token } from '../tokens';
import { bindingAt } from '../docIndex';
import type { Call, LintContext } from './calls';
import { indentOf, lineOf } from './sourceLines';

/** What the rule knows how to read: activation calls and the last layer of a Sequential. */
export interface FlowProbe<S> {
  /** `F.softmax(x)`, `torch.sigmoid(h)`, `self.act(x)`: the activation a call applies. */
  readonly activation: (c: Call) => S | undefined;
  /** `nn.Sequential(...)` constructor call: its last activation layer, if it ends in one. */
  readonly sequentialEnd: (ctor: Call) => S | undefined;
}

export interface ClassInfo {
  readonly name: string;
  /** Offsets of the class statement and the end of its body. */
  readonly start: number;
  readonly end: number;
  /** Method name → token index of its `def`. */
  readonly methods: ReadonlyMap<string, number>;
}

const SHAPE_METHODS = new Set(['squeeze', 'unsqueeze', 'view', 'reshape', 'flatten', 'float', 'double', 'half', 'contiguous', 'permute', 'transpose', 't', 'to', 'type', 'view_as', 'reshape_as', 'cpu', 'cuda', 'squeeze_', 'unsqueeze_']);
// `Net().to(device)`, `Net().cuda().eval()`: still the Net
const MODEL_METHODS = new Set(['to', 'cuda', 'cpu', 'eval', 'train', 'float', 'double', 'half', 'requires_grad_']);
const FORWARDS = ['forward', '__call__', 'call'];
const MAX_DEPTH = 10;

const classCache = new WeakMap<LintContext, ClassInfo[]>();

/** Offset just past the indented block whose header line holds token `tok`. */
export function blockEnd(ctx: LintContext, tok: number): number {
  const toks = ctx.ix.toks;
  const line = lineOf(ctx, (toks[tok] as Token).start);
  const ind = indentOf(ctx, line);
  // the header may span lines (`def f(\n a,\n b):`): continue after its logical end
  let k = tok;
  while (k < toks.length && toks[k]?.kind !== 'nl') k++;
  for (k = k + 1; k < toks.length; k++) {
    const t = toks[k] as Token;
    if (t.kind === 'nl') continue;
    if (toks[k - 1]?.kind === 'nl' && indentOf(ctx, lineOf(ctx, t.start)) <= ind) return t.start;
    while (k + 1 < toks.length && toks[k + 1]?.kind !== 'nl') k++;
  }
  return ctx.ix.text.length;
}

/** The file's classes with their methods (Python only). */
export function classesOf(ctx: LintContext): ClassInfo[] {
  const hit = classCache.get(ctx);
  if (hit) return hit;
  const out: ClassInfo[] = [];
  const toks = ctx.ix.toks;
  if (ctx.ix.lang === 'python') {
    for (let i = 0; i < toks.length - 1; i++) {
      const t = toks[i] as Token;
      if (t.text !== 'class' || t.kind !== 'name' || toks[i + 1]?.kind !== 'name' || (i > 0 && toks[i - 1]?.kind !== 'nl')) continue;
      const end = blockEnd(ctx, i);
      const methods = new Map<string, number>();
      let bodyIndent = -1;
      for (let k = i + 2; k < toks.length && (toks[k] as Token).start < end; k++) {
        const u = toks[k] as Token;
        if (u.text !== 'def' || toks[k - 1]?.kind !== 'nl' && toks[k - 1]?.text !== 'async') continue;
        const ind = indentOf(ctx, lineOf(ctx, u.start));
        if (bodyIndent < 0) bodyIndent = ind;
        if (ind === bodyIndent && toks[k + 1]?.kind === 'name' && !methods.has((toks[k + 1] as Token).text)) methods.set((toks[k + 1] as Token).text, k);
      }
      out.push({ name: (toks[i + 1] as Token).text, start: t.start, end, methods });
    }
  }
  classCache.set(ctx, out);
  return out;
}

/** The innermost class whose body holds `offset`. */
export function classAt(ctx: LintContext, offset: number): ClassInfo | undefined {
  let best: ClassInfo | undefined;
  for (const c of classesOf(ctx)) if (c.start < offset && offset < c.end && (!best || c.start > best.start)) best = c;
  return best;
}

const defCache = new WeakMap<LintContext, { tok: number; start: number; end: number }[]>();

/** Every `def` of the file with the offsets its block spans. */
function defsOf(ctx: LintContext): { tok: number; start: number; end: number }[] {
  const hit = defCache.get(ctx);
  if (hit) return hit;
  const toks = ctx.ix.toks;
  const out: { tok: number; start: number; end: number }[] = [];
  if (ctx.ix.lang === 'python') {
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (t.text !== 'def' || t.kind !== 'name' || toks[i + 1]?.kind !== 'name') continue;
      if (toks[i - 1] && toks[i - 1]?.kind !== 'nl' && toks[i - 1]?.text !== 'async') continue;
      out.push({ tok: i, start: t.start, end: blockEnd(ctx, i) });
    }
  }
  defCache.set(ctx, out);
  return out;
}

/** Token index of the innermost `def` whose body holds `offset`, or −1. */
export function defAt(ctx: LintContext, offset: number): number {
  let best = -1;
  for (const d of defsOf(ctx)) {
    if (d.start >= offset) break;
    if (d.end > offset) best = d.tok;
  }
  return best;
}

/**
 * Whether a binding made at `bound` is visible at `use` under Python's scoping: made in the
 * same function, in an enclosing one, or at module level (unless a parameter of the using
 * function shadows it). A local of another function is not.
 */
export function visibleFrom(ctx: LintContext, name: string, bound: number, use: number): boolean {
  if (ctx.ix.lang !== 'python') return true;
  const db = defAt(ctx, bound);
  const du = defAt(ctx, use);
  if (db === du) return true;
  if (db >= 0) {
    const d = defsOf(ctx).find((x) => x.tok === db);
    if (!d || !(d.start < use && use < d.end)) return false;
  }
  if (du < 0) return true;
  // a parameter of the using function shadows the outer binding
  const toks = ctx.ix.toks;
  const open = du + 2;
  if (toks[open]?.text !== '(') return true;
  const close = ctx.ix.partner[open] as number;
  for (let k = open + 1; k < close; k++) {
    const t = toks[k] as Token;
    if (t.kind === 'name' && t.text === name && (toks[k - 1]?.text === '(' || toks[k - 1]?.text === ',' || toks[k - 1]?.text === '*' || toks[k - 1]?.text === '**')) return false;
  }
  return true;
}

/**
 * `self.X` where the class body itself assigns `X = Ctor(...)` (a class attribute): the
 * constructor call, or undefined.
 */
export function classAttrCtor(ctx: LintContext, c: Call): Call | undefined {
  const toks = ctx.ix.toks;
  if (c.method === false && c.instanceOf) return undefined;
  if (toks[c.start]?.text !== 'self' || c.nameTok !== c.start + 2) return undefined;
  const cls = classAt(ctx, (toks[c.start] as Token).start);
  if (!cls) return undefined;
  const name = (toks[c.nameTok] as Token).text;
  const list = ctx.ix.names.get(name) ?? [];
  for (const b of list) {
    if (b.offset <= cls.start || b.offset >= cls.end || b.target.kind !== 'expr') continue;
    if (defAt(ctx, b.offset) >= 0 && defAt(ctx, b.offset) !== defAt(ctx, cls.start)) continue;
    const k = b.target.tok;
    let j = k;
    while (toks[j + 1]?.text === '.' && toks[j + 2]?.kind === 'name') j += 2;
    if (toks[j + 1]?.text !== '(') continue;
    const ctor = ctx.byOpen.get(j + 1);
    if (ctor?.path) return ctor;
  }
  return undefined;
}

/** Token indices of the `return`s in the body of the `def` at `def` (nested defs excluded). */
export function returnsOf(ctx: LintContext, def: number): number[] {
  const toks = ctx.ix.toks;
  const end = blockEnd(ctx, def);
  const out: number[] = [];
  for (let k = def + 2; k < toks.length && (toks[k] as Token).start < end; k++) {
    const t = toks[k] as Token;
    if (toks[k - 1]?.kind !== 'nl') continue;
    if (t.text === 'def' || t.text === 'class') {
      const e = blockEnd(ctx, k);
      while (k + 1 < toks.length && (toks[k + 1] as Token).start < e) k++;
      continue;
    }
    if (t.text === 'return') out.push(k);
  }
  return out;
}

/** Index of the token starting at `offset` (binary search), or −1. */
function tokAt(ctx: LintContext, offset: number): number {
  const toks = ctx.ix.toks;
  let lo = 0;
  let hi = toks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = (toks[mid] as Token).start;
    if (s === offset) return mid;
    if (s < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function stmtEnd(ctx: LintContext, k: number): number {
  const toks = ctx.ix.toks;
  while (k < toks.length && toks[k]?.kind !== 'nl') k++;
  return k;
}

function stmtStart(ctx: LintContext, k: number): number {
  const toks = ctx.ix.toks;
  while (k > 0 && toks[k - 1]?.kind !== 'nl') k--;
  return k;
}

/** Top-level comma-separated parts of tokens [first, last]. */
function parts(ctx: LintContext, first: number, last: number): [number, number][] {
  const toks = ctx.ix.toks;
  const out: [number, number][] = [];
  let s = first;
  for (let k = first; k <= last; k++) {
    const t = toks[k] as Token;
    if (t.text === '(' || t.text === '[' || t.text === '{') {
      const p = ctx.ix.partner[k] as number;
      if (p > k) k = p;
      continue;
    }
    if (t.text === ',') {
      out.push([s, k - 1]);
      s = k + 1;
    }
  }
  if (s <= last) out.push([s, last]);
  return out;
}

/** `a, (b, c) = rhs` / `a, b = rhs`: the right-hand side and the position of `name` among the targets. */
function unpacking(ctx: LintContext, name: string, at: number): { first: number; last: number; index: number; at: number } | undefined {
  const list = ctx.ix.names.get(name);
  if (!list) return undefined;
  let b: (typeof list)[number] | undefined;
  for (const x of list) if (x.offset <= at) b = x;
  if (!b || b.target.kind !== 'local') return undefined;
  const k = tokAt(ctx, b.offset);
  if (k < 0) return undefined;
  const toks = ctx.ix.toks;
  const s = stmtStart(ctx, k);
  const e = stmtEnd(ctx, k);
  let eq = -1;
  for (let j = s; j < e; j++) {
    const t = toks[j] as Token;
    if (t.text === '(' || t.text === '[') {
      const p = ctx.ix.partner[j] as number;
      if (p > j && !(j <= k && k <= p)) j = p;
      continue;
    }
    if (t.text === '=' && t.kind === 'op') {
      eq = j;
      break;
    }
  }
  if (eq < 0 || k > eq) return undefined;
  let a = s;
  let z = eq - 1;
  if ((toks[a]?.text === '(' || toks[a]?.text === '[') && ctx.ix.partner[a] === z) {
    a++;
    z--;
  }
  const ts = parts(ctx, a, z);
  const index = ts.findIndex(([p, q]) => p === k && q === k);
  if (index < 0 || ts.length < 2) return undefined;
  return { first: eq + 1, last: e - 1, index, at: (toks[s] as Token).start - 1 };
}

/** The class a callee name or `self.attr` is an instance of: `m = Net(...)` / `self.m = Net(...).to(d)`. */
function instanceClass(ctx: LintContext, key: string, at: number): { cls?: ClassInfo; ctor?: Call } | undefined {
  const b = bindingAt(ctx.ix, key, at);
  if (b?.kind !== 'expr') return undefined;
  const toks = ctx.ix.toks;
  const e = stmtEnd(ctx, b.tok);
  // the constructor call: the first call of the statement, possibly followed by `.to(device)`…
  let k = b.tok;
  while (toks[k + 1]?.text === '.' && toks[k + 2]?.kind === 'name') k += 2;
  if (toks[k]?.kind !== 'name' || toks[k + 1]?.text !== '(') return undefined;
  const close = ctx.ix.partner[k + 1] as number;
  let j = close + 1;
  while (toks[j]?.text === '.' && MODEL_METHODS.has(toks[j + 1]?.text ?? '') && toks[j + 2]?.text === '(') j = (ctx.ix.partner[j + 2] as number) + 1;
  if (j !== e) return undefined;
  const ctor = ctx.byOpen.get(k + 1);
  if (b.tok === k) {
    const name = (toks[k] as Token).text;
    const cls = classesOf(ctx).find((c) => c.name === name);
    if (cls) return { cls };
  }
  return ctor ? { ctor } : undefined;
}

/**
 * The activation that produced the value of tokens [first, last] (read at offset `at`), or
 * undefined when none can be shown. `index`: the element wanted when the value is a tuple.
 */
export function traceValue<S>(ctx: LintContext, probe: FlowProbe<S>, first: number, last: number, at: number, index?: number, depth = 0, seen: Set<number> = new Set()): S | undefined {
  if (depth > MAX_DEPTH || first > last) return undefined;
  const toks = ctx.ix.toks;
  while ((toks[first]?.text === '(' && ctx.ix.partner[first] === last && last > first + 1)) {
    first++;
    last--;
  }
  const ps = parts(ctx, first, last);
  if (ps.length > 1) {
    if (index === undefined) return undefined;
    const p = ps[index];
    return p ? traceValue(ctx, probe, p[0], p[1], at, undefined, depth + 1, seen) : undefined;
  }
  const t = toks[first] as Token;
  if (first === last && t.kind === 'name') {
    const b = bindingAt(ctx.ix, t.text, at);
    if (b?.kind === 'expr' && !visibleFrom(ctx, t.text, (toks[b.tok] as Token).start, at)) return undefined;
    if (b?.kind === 'expr') {
      if (seen.has(b.tok)) return undefined;
      seen.add(b.tok);
      const e = stmtEnd(ctx, b.tok);
      return traceValue(ctx, probe, b.tok, e - 1, (toks[stmtStart(ctx, b.tok)] as Token).start - 1, index, depth + 1, seen);
    }
    const u = unpacking(ctx, t.text, at);
    if (u && !seen.has(u.first)) {
      seen.add(u.first);
      return traceValue(ctx, probe, u.first, u.last, u.at, u.index, depth + 1, seen);
    }
    return undefined;
  }
  if (toks[last]?.text !== ')') return undefined;
  const c = ctx.byOpen.get(ctx.ix.partner[last] as number);
  if (!c || c.start !== first) return undefined;
  const act = probe.activation(c);
  if (act !== undefined) return act;
  if (c.method && SHAPE_METHODS.has(c.name) && c.nameTok - 2 >= c.start) return traceValue(ctx, probe, c.start, c.nameTok - 2, at, index, depth + 1, seen);
  const offset = (toks[c.start] as Token).start;
  const self = toks[c.start]?.text === 'self' && c.nameTok === c.start + 2;
  // `self.decode(z)`: a method of the enclosing class
  if (self) {
    const name = (toks[c.nameTok] as Token).text;
    const cls = classAt(ctx, offset);
    const def = cls?.methods.get(name);
    if (def !== undefined) return traceReturns(ctx, probe, def, index, depth + 1, seen);
  }
  // `self.head(x)` / `model(x)` / `model.forward(x)`: an attribute or a variable holding a module
  let key: string | undefined;
  if (self) key = `self.${(toks[c.nameTok] as Token).text}`;
  else if (c.nameTok === c.start && t.kind === 'name') key = t.text;
  else if (c.nameTok === c.start + 2 && t.kind === 'name' && FORWARDS.includes(toks[c.nameTok]?.text ?? '')) key = t.text;
  if (!key) return undefined;
  const named = classesOf(ctx).find((k) => k.name === key);
  const inst = named ? { cls: named } : instanceClass(ctx, key, offset);
  if (!inst) return undefined;
  if (inst.cls) {
    const def = FORWARDS.map((f) => inst.cls?.methods.get(f)).find((d) => d !== undefined);
    return def === undefined ? undefined : traceReturns(ctx, probe, def, index, depth + 1, seen);
  }
  if (inst.ctor) {
    const a = probe.activation(inst.ctor);
    if (a !== undefined) return undefined; // an activation module: the call is already an activation call
    return probe.sequentialEnd(inst.ctor);
  }
  return undefined;
}

function traceReturns<S>(ctx: LintContext, probe: FlowProbe<S>, def: number, index: number | undefined, depth: number, seen: Set<number>): S | undefined {
  if (seen.has(def)) return undefined;
  seen.add(def);
  const toks = ctx.ix.toks;
  for (const r of returnsOf(ctx, def)) {
    const e = stmtEnd(ctx, r);
    if (e <= r + 1) continue;
    const s = traceValue(ctx, probe, r + 1, e - 1, (toks[r] as Token).start, index, depth, seen);
    if (s !== undefined) return s;
  }
  return undefined;
}

/**
 * Whether class `name` is built as a part of another module of the file: made inside another
 * class (`self.attn = Attention(…)`), or made and passed to another class's constructor
 * (`attn = Attention(…)`; `dec = Decoder(…, attn)`).
 */
export function componentClass(ctx: LintContext, name: string | undefined): boolean {
  if (!name) return false;
  const toks = ctx.ix.toks;
  const classes = classesOf(ctx);
  const own = classes.find((k) => k.name === name);
  const others = new Set(classes.filter((k) => k.name !== name).map((k) => k.name));
  for (const c of ctx.calls) {
    const open = toks[c.nameTok + 1];
    if (c.method || (toks[c.nameTok] as Token).text !== name || open?.text !== '(') continue;
    const at = (toks[c.start] as Token).start;
    const inside = classAt(ctx, at);
    if (inside && inside.name !== name && inside !== own) return true;
    // `v = Name(…)` then `Other(…, v, …)`
    const v = toks[c.start - 1]?.text === '=' && toks[c.start - 2]?.kind === 'name' && (c.start < 3 || toks[c.start - 3]?.kind === 'nl') ? (toks[c.start - 2] as Token).text : undefined;
    if (!v) continue;
    for (const d of ctx.calls) {
      if (d.method || !others.has((toks[d.nameTok] as Token).text) || (toks[d.start] as Token).start <= at) continue;
      if (d.args.some((a) => a.first === a.last && toks[a.first]?.text === v)) return true;
    }
  }
  return false;
}
