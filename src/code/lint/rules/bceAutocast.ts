// AI009: F.binary_cross_entropy / nn.BCELoss called inside a CUDA autocast region. PyTorch
// registers binary_cross_entropy on the CUDA (and XPU) autocast dispatch key as a function that
// raises "torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to
// autocast" (aten/src/ATen/autocast_mode.cpp, binary_cross_entropy_banned; 1.6 to 2.x,
// whatever the autocast dtype), so the first batch fails. CPU autocast runs it in float32
// (checked with torch 1.13: the loss comes back float32), so `torch.autocast("cpu")` is
// not reported. Information, as issue 14 specifies (the setting
// activationInspector.lint.bceUnderAutocast raises it); when the device or `enabled=` is an
// expression, the message says "if it runs on CUDA".
// The region is the innermost with-block (src/code/lint/autocast.ts), so an inner
// `with torch.autocast("cuda", enabled=False):` around the loss — the usual fix — is clean.
// Most real failures are one call away (a loss method or a model's forward that calls BCE,
// invoked inside the training loop's autocast block), so functions of the same file called in
// the region are followed (3 levels): a BCE call found there is information, "called under
// autocast at line N". AI008 marks the sigmoid before a BCELoss; this rule marks the loss call.
import type { Token } from '../../tokens';
import { tokSpan } from '../arguments';
import { autocastAt, type AutocastRegion } from '../autocast';
import type { Call, LintContext } from '../calls';
import { blockEnd, classAt, classAttrCtor, classesOf, type ClassInfo } from '../flow';
import { lineOf } from '../sourceLines';
import type { LintFinding } from '../types';

const FN = 'torch.nn.functional.binary_cross_entropy';
const CLS = 'torch.nn.BCELoss';

function bceLabel(ctx: LintContext, c: Call): string | undefined {
  if (c.method) return undefined;
  if (c.path === FN) return 'F.binary_cross_entropy';
  if (c.instanceOf === CLS || classAttrCtor(ctx, c)?.path === CLS) return 'nn.BCELoss';
  return undefined;
}

function message(label: string, r: AutocastRegion): string {
  const where = `\`${r.evidence}\`, line ${r.line + 1}`;
  const gpu = r.device === 'cuda' || r.device === 'xpu';
  const when = !gpu ? 'raises a RuntimeError here if this autocast runs on CUDA' : r.enabled === true ? 'raises a RuntimeError here' : 'raises a RuntimeError here whenever this autocast is enabled';
  return `${label} ${when} (${where}): PyTorch refuses binary_cross_entropy and BCELoss under CUDA autocast as unsafe, whatever the autocast dtype (CPU autocast runs them in float32). Compute the loss from the logits with nn.BCEWithLogitsLoss / F.binary_cross_entropy_with_logits (autocast runs it in float32), or call ${label} outside the region (inside \`with torch.autocast("cuda", enabled=False):\`, on .float() inputs).`;
}

interface Body {
  readonly start: number;
  readonly end: number;
}

/** Bodies of the file's own functions that a call runs: `f(...)`, `self.m(...)`, an instance's forward. */
function calleeBodies(ctx: LintContext, c: Call): Body[] {
  const toks = ctx.ix.toks;
  if (c.path) return [];
  const name = (toks[c.nameTok] as Token).text;
  const at = (toks[c.start] as Token).start;
  const classes = classesOf(ctx);
  const body = (defTok: number): Body => ({ start: (toks[defTok] as Token).start, end: blockEnd(ctx, defTok) });
  const forwardOf = (k: ClassInfo): Body[] => {
    const d = k.methods.get('forward') ?? k.methods.get('__call__');
    return d === undefined ? [] : [body(d)];
  };
  /** A name bound (last, before the call) to `FileClass(...)`. */
  const instanceClass = (bindings: readonly { offset: number; target: { kind: string; tok?: number } }[], lo: number, hi: number): ClassInfo | undefined => {
    let hit: ClassInfo | undefined;
    for (const b of bindings) {
      if (b.offset < lo || b.offset >= hi || b.target.kind !== 'expr' || b.target.tok === undefined) continue;
      const t = toks[b.target.tok] as Token;
      const k = classes.find((x) => x.name === t.text);
      if (k && toks[b.target.tok + 1]?.text === '(') hit = k;
    }
    return hit;
  };
  const bindings = ctx.ix.names.get(name) ?? [];
  if (c.method) {
    // self.m(...) / self.attr(...) inside a class of this file
    if (toks[c.start]?.text !== 'self' || c.nameTok !== c.start + 2) return [];
    const k = classAt(ctx, at);
    if (!k) return [];
    const m = k.methods.get(name);
    if (m !== undefined) return [body(m)];
    const inst = instanceClass(bindings, k.start, k.end);
    return inst ? forwardOf(inst) : [];
  }
  if (c.instanceOf) return [];
  const k = classes.find((x) => x.name === name);
  if (k) return []; // constructing: __init__ does not compute a loss
  const inst = instanceClass(bindings.filter((b) => b.offset < at), 0, at);
  if (inst) return forwardOf(inst);
  // a function of this file: `def name(` at any level outside classes
  const d = functionsOf(ctx).get(name);
  return d === undefined ? [] : [body(d)];
}

const functionCache = new WeakMap<LintContext, Map<string, number>>();

/** The file's functions outside classes: name → token of the first `def name`. */
function functionsOf(ctx: LintContext): Map<string, number> {
  const hit = functionCache.get(ctx);
  if (hit) return hit;
  const toks = ctx.ix.toks;
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < toks.length; i++) {
    const n = toks[i + 1] as Token;
    if (toks[i]?.text !== 'def' || n.kind !== 'name' || out.has(n.text) || (i > 0 && toks[i - 1]?.kind !== 'nl' && toks[i - 1]?.text !== 'async')) continue;
    if (!classAt(ctx, (toks[i] as Token).start)) out.set(n.text, i);
  }
  functionCache.set(ctx, out);
  return out;
}

export function bceAutocastRule(ctx: LintContext): LintFinding[] {
  if (ctx.ix.lang !== 'python') return [];
  const toks = ctx.ix.toks;
  const out: LintFinding[] = [];
  const seen = new Set<number>();
  const live = (r: AutocastRegion | undefined): r is AutocastRegion => r !== undefined && r.enabled !== false && r.device !== 'cpu' && r.device !== 'other';
  const push = (c: Call, label: string, r: AutocastRegion, via?: Call): void => {
    if (seen.has(c.start)) return;
    seen.add(c.start);
    const called = via ? ` This code runs under the autocast: it is called at line ${lineOf(ctx, (toks[via.start] as Token).start) + 1} inside the region.` : '';
    out.push({
      code: 'AI009',
      severity: 'information',
      ...tokSpan(ctx, c.start, c.close),
      fixes: [],
      target: { kind: 'explorer', id: 'sigmoid', framework: 'torch' },
      message: message(label, r) + called,
    });
  };
  const inRegion: { c: Call; r: AutocastRegion }[] = [];
  for (const c of ctx.calls) {
    const r = autocastAt(ctx, (toks[c.start] as Token).start);
    if (!live(r)) continue;
    const label = bceLabel(ctx, c);
    if (label) push(c, label, r);
    else inRegion.push({ c, r });
  }
  // one to three calls away: the file's own functions called inside a live region
  const visited = new Set<number>();
  let frontier = inRegion.map(({ c, r }) => ({ c, r, via: c }));
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { c, r, via } of frontier) {
      for (const b of calleeBodies(ctx, c)) {
        if (visited.has(b.start)) continue;
        visited.add(b.start);
        for (const d of ctx.calls) {
          const s = (toks[d.start] as Token).start;
          if (s < b.start || s >= b.end) continue;
          // a region inside the callee decides for itself (enabled=False around the loss)
          const inner = autocastAt(ctx, s);
          if (inner && inner.start >= b.start) continue;
          const label = bceLabel(ctx, d);
          if (label) push(d, label, r, via);
          else next.push({ c: d, r, via });
        }
      }
    }
    frontier = next;
  }
  return out;
}
