// AI008 (information): a sigmoid's output fed to nn.BCELoss / F.binary_cross_entropy.
// Correct in exact arithmetic, but BCELoss takes log(p) and log(1 − p) of the rounded sigmoid:
// once p rounds to exactly 1 (x ≳ 17 in float32) or 0, the log is clamped at −100 and the
// gradient of a confidently wrong output is exactly 0 (checked against PyTorch: BCELoss of
// sigmoid(20) with target 0 gives loss 100 and gradient 0; BCEWithLogitsLoss gives 20 and 1).
// BCEWithLogitsLoss on the logits computes the same loss in log-sum-exp form, and PyTorch
// refuses BCELoss under CUDA autocast. Found by data flow from the loss's input; when that
// input cannot be followed (a loss helper, a training function taking the criterion), a
// model whose output ends in a sigmoid in a file that uses BCELoss.
import type { Token } from '../../tokens';
import type { Architecture } from '../architecture';
import { argNamed } from '../arguments';
import type { Call, LintContext } from '../calls';
import { classAttrCtor, classesOf, returnsOf, traceValue } from '../flow';
import type { LintFinding, LintFix, TextEdit } from '../types';
import { actProbe, lastLayerAct, layerFix, type ActSite } from './logits';

const FN = 'torch.nn.functional.binary_cross_entropy';
const CLS = 'torch.nn.BCELoss';
// Sequentials and classes whose sigmoid is a gate or an image, not a probability for the loss
const NOT_OUTPUT = /gate|attn|attention|\bse\b|squeeze|excit|gen|feature|backbone|block|mask|stem|body/i;

function message(label: string): string {
  return `The sigmoid's output goes into ${label}, which takes log(p) and log(1 − p): once the sigmoid saturates (p rounds to exactly 1 for x ≳ 17 in float32, or to 0), the log is clamped at −100 and a confidently wrong output gets exactly zero gradient. BCEWithLogitsLoss on the logits computes the same loss stably (and is allowed under CUDA autocast, where BCELoss is refused).`;
}

export function bceRule(ctx: LintContext, archs: readonly Architecture[]): LintFinding[] {
  if (ctx.ix.lang !== 'python') return [];
  const toks = ctx.ix.toks;
  const apps: Call[] = [];
  const made: Call[] = [];
  for (const c of ctx.calls) {
    if (c.method) continue;
    if (c.path === FN || c.instanceOf === CLS || classAttrCtor(ctx, c)?.path === CLS) apps.push(c);
    else if (c.path === CLS) made.push(c);
  }
  if (apps.length === 0 && made.length === 0) return [];
  const probe = actProbe(ctx, archs);
  const out: LintFinding[] = [];
  const seen = new Set<number>();
  /** Edit turning the loss into its logits form (the function or the constructor's name). */
  const rename = (c: Call | undefined): TextEdit | undefined => {
    if (!c) return undefined;
    if (c.path === FN) {
      const t = toks[c.nameTok] as Token;
      return t.text === 'binary_cross_entropy' ? { start: t.start, end: t.end, newText: 'binary_cross_entropy_with_logits' } : undefined;
    }
    const ctor = c.path === CLS ? c : c.ctorOpen !== undefined ? ctx.byOpen.get(c.ctorOpen) : classAttrCtor(ctx, c);
    const t = ctor ? (toks[ctor.nameTok] as Token) : undefined;
    return t?.text === 'BCELoss' ? { start: t.start, end: t.end, newText: 'BCEWithLogitsLoss' } : undefined;
  };
  const push = (site: ActSite, loss: Call | undefined, label: string): void => {
    if (seen.has(site.start)) return;
    seen.add(site.start);
    const remove = site.fixes[0]?.edits ?? [];
    const r = rename(loss);
    const fixes: LintFix[] = remove.length > 0 && r ? [{ title: 'Use BCEWithLogitsLoss on the logits (remove the sigmoid)', edits: [...remove, r].sort((a, b) => a.start - b.start) }] : [];
    out.push({ code: 'AI008', severity: 'information', start: site.start, end: site.end, fixes, target: { kind: 'explorer', id: 'sigmoid', framework: 'torch' }, message: message(label) });
  };
  for (const c of apps) {
    const a = argNamed(c.args, ['input'], 0);
    if (!a) continue;
    const site = traceValue(ctx, probe, a.first, a.last, (toks[a.first] as Token).start);
    if (site?.id === 'sigmoid') push(site, c, c.path === FN ? 'F.binary_cross_entropy' : 'nn.BCELoss');
  }
  if (out.length > 0) return out;
  // The loss's input could not be followed: the model's own output ending in a sigmoid.
  const label = made.length > 0 || apps.some((c) => c.instanceOf === CLS) ? 'nn.BCELoss' : 'F.binary_cross_entropy';
  const only = made.length === 1 && !apps.some((c) => c.path === FN) ? made[0] : apps.length === 1 ? apps[0] : undefined;
  for (const arch of archs) {
    if (arch.framework !== 'torch' || NOT_OUTPUT.test(arch.name ?? '')) continue;
    const owner = classesOf(ctx).find((k) => k.start < arch.start && arch.start < k.end);
    if (owner && NOT_OUTPUT.test(owner.name)) continue;
    const l = lastLayerAct(arch.layers);
    if (l?.activation?.id === 'sigmoid') push({ start: l.start, end: l.end, id: 'sigmoid', fixes: layerFix(ctx, l) }, only, label);
  }
  for (const k of classesOf(ctx)) {
    if (NOT_OUTPUT.test(k.name)) continue;
    for (const m of ['forward', 'decode', '__call__']) {
      const def = k.methods.get(m);
      if (def === undefined) continue;
      for (const r of returnsOf(ctx, def)) {
        let e = r + 1;
        while (e < toks.length && toks[e]?.kind !== 'nl') e++;
        if (e <= r + 1) continue;
        const site = traceValue(ctx, probe, r + 1, e - 1, (toks[r] as Token).start, 0);
        if (site?.id === 'sigmoid') push(site, only, label);
      }
    }
  }
  return out;
}
