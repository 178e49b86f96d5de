// Autocast regions as written: `with torch.autocast("cuda"):`, `with torch.cuda.amp.autocast():`,
// a decorated function (`@torch.amp.autocast("cuda", enabled=False)` covers its body),
// `with torch.amp.autocast(device_type=..., dtype=..., enabled=...)`, `from torch.cuda.amp
// import autocast` … `with autocast():`, and a context bound first (`ctx = nullcontext() if cpu
// else torch.amp.autocast(...)` … `with ctx:`). Each region is the with-block's body, with
// the device, dtype and enabled flag read from the literal arguments. Pure; Python only.
import type { Token } from '../tokens';
import { argNamed, argText, strValue } from './arguments';
import type { Call, LintContext } from './calls';
import { blockEnd } from './flow';
import { lineOf } from './sourceLines';

export interface AutocastRegion {
  /** Token index of the `with` (of the `def` for a decorator). */
  readonly withTok: number;
  /** Offsets of the block's body: from the end of the with-line to the block's end. */
  readonly start: number;
  readonly end: number;
  /** 'other': mps, hpu…; 'unknown': not a literal (`device_type=device.type`). */
  readonly device: 'cuda' | 'cpu' | 'xpu' | 'other' | 'unknown';
  readonly dtype: 'float16' | 'bfloat16' | 'unknown';
  /** `enabled=False` → false; absent or True → true; any other expression → 'maybe'. */
  readonly enabled: boolean | 'maybe';
  /** 0-based line of the autocast call, and its text. */
  readonly line: number;
  readonly evidence: string;
}

const CUDA = new Set(['torch.cuda.amp.autocast', 'torch.cuda.amp.autocast_mode.autocast']);
const CPU = new Set(['torch.cpu.amp.autocast', 'torch.cpu.amp.autocast_mode.autocast']);
const GENERIC = new Set(['torch.autocast', 'torch.amp.autocast', 'torch.amp.autocast_mode.autocast']);

/** What an autocast call says, or undefined when the call is not one. */
function readAutocast(ctx: LintContext, c: Call): Omit<AutocastRegion, 'withTok' | 'start' | 'end'> | undefined {
  if (c.method || !c.path) return undefined;
  const generic = GENERIC.has(c.path);
  if (!generic && !CUDA.has(c.path) && !CPU.has(c.path)) return undefined;
  const toks = ctx.ix.toks;
  let device: AutocastRegion['device'] = CUDA.has(c.path) ? 'cuda' : 'cpu';
  if (generic) {
    const d = argNamed(c.args, ['device_type'], 0);
    const s = strValue(d);
    device = s === undefined ? 'unknown' : s === 'cuda' || s === 'cpu' || s === 'xpu' ? s : 'other';
  }
  // torch.autocast(device_type, dtype, enabled, …); torch.cuda.amp.autocast(enabled, dtype, …)
  const dt = argNamed(c.args, ['dtype'], 1);
  const en = argNamed(c.args, ['enabled'], generic ? 2 : 0);
  let dtype: AutocastRegion['dtype'];
  // defaults (autocast_mode.cpp autocast_dtype): CUDA and XPU float16, CPU bfloat16
  if (!dt) dtype = device === 'cuda' || device === 'xpu' ? 'float16' : device === 'cpu' ? 'bfloat16' : 'unknown';
  else {
    const m = /^torch\.(float16|half|bfloat16)$/.exec(argText(ctx, dt).replace(/\s+/g, ''));
    dtype = m ? (m[1] === 'bfloat16' ? 'bfloat16' : 'float16') : 'unknown';
  }
  let enabled: AutocastRegion['enabled'] = true;
  if (en) enabled = en.value.kind === 'value' && typeof en.value.value === 'boolean' ? en.value.value : 'maybe';
  const open = toks[c.start] as Token;
  const close = toks[c.close] as Token;
  return { device, dtype, enabled, line: lineOf(ctx, open.start), evidence: ctx.ix.text.slice(open.start, close.end) };
}

const cache = new WeakMap<LintContext, AutocastRegion[]>();

/** Every with-block that enters an autocast context, in source order. */
export function autocastRegions(ctx: LintContext): AutocastRegion[] {
  const hit = cache.get(ctx);
  if (hit) return hit;
  const out: AutocastRegion[] = [];
  if (ctx.ix.lang === 'python') {
    const toks = ctx.ix.toks;
    const byStart = new Map<number, Call>();
    for (const c of ctx.calls) if (!c.method && c.path) byStart.set(c.start, c);
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (t.kind !== 'name' || t.text !== 'with' || (i > 0 && toks[i - 1]?.kind !== 'nl' && toks[i - 1]?.text !== 'async')) continue;
      // the with-items up to the `:` that ends the header (brackets skipped)
      let j = i + 1;
      let item = j;
      let found: Omit<AutocastRegion, 'withTok' | 'start' | 'end'> | undefined;
      const itemEnd = (k: number): void => {
        found ??= itemAutocast(ctx, byStart, item, k);
        item = k + 1;
      };
      for (; j < toks.length; j++) {
        const u = toks[j] as Token;
        if (u.kind === 'nl') break;
        if (u.text === '(' || u.text === '[' || u.text === '{') {
          const p = ctx.ix.partner[j] as number;
          if (p > j) j = p;
          continue;
        }
        if (u.text === ',') itemEnd(j);
        else if (u.text === ':') {
          itemEnd(j);
          break;
        }
      }
      if (!found || toks[j]?.text !== ':') continue;
      const bodyStart = (toks[j] as Token).end;
      out.push({ ...found, withTok: i, start: bodyStart, end: Math.max(bodyStart, blockEnd(ctx, i)) });
    }
  }
  // decorators: `@torch.autocast("cuda", enabled=False)` above a def covers its body
  if (ctx.ix.lang === 'python') {
    const toks = ctx.ix.toks;
    for (const c of ctx.calls) {
      if (toks[c.start - 1]?.text !== '@') continue;
      const r = readAutocast(ctx, c);
      if (!r) continue;
      let d = c.close + 1;
      while (d < toks.length && !(toks[d]?.text === 'def' && toks[d - 1]?.kind === 'nl') && toks[d]?.text !== 'class') d++;
      if (toks[d]?.text !== 'def') continue;
      let colon = d;
      while (colon < toks.length && toks[colon]?.kind !== 'nl') colon++;
      const start = (toks[colon - 1] as Token).end;
      out.push({ ...r, withTok: d, start, end: Math.max(start, blockEnd(ctx, d)) });
    }
    out.sort((a, b) => a.start - b.start);
  }
  cache.set(ctx, out);
  return out;
}

/** The with-item in tokens [a, b): an autocast call, or a name bound to an expression holding one. */
function itemAutocast(ctx: LintContext, byStart: ReadonlyMap<number, Call>, a: number, b: number): Omit<AutocastRegion, 'withTok' | 'start' | 'end'> | undefined {
  const toks = ctx.ix.toks;
  const direct = byStart.get(a);
  if (direct && direct.close < b) return readAutocast(ctx, direct);
  const t = toks[a] as Token | undefined;
  if (!t || t.kind !== 'name' || a + 1 !== b && toks[a + 1]?.text !== 'as') return undefined;
  // `with ctx:` where `ctx = … torch.amp.autocast(...) …` (the last binding before the with)
  const list = ctx.ix.names.get(t.text) ?? [];
  let bound: number | undefined;
  for (const x of list) if (x.offset < t.start && x.target.kind === 'expr') bound = x.target.tok;
  if (bound === undefined) return undefined;
  let e = bound;
  while (e < toks.length && toks[e]?.kind !== 'nl') e++;
  for (const c of ctx.calls) {
    if (c.start < bound || c.start >= e) continue;
    const r = readAutocast(ctx, c);
    if (r) return r;
  }
  return undefined;
}

/** The innermost autocast region whose body holds `offset`. */
export function autocastAt(ctx: LintContext, offset: number): AutocastRegion | undefined {
  let best: AutocastRegion | undefined;
  for (const r of autocastRegions(ctx)) if (r.start <= offset && offset < r.end && (!best || r.start >= best.start)) best = r;
  return best;
}
