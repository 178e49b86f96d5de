// AI009: F.binary_cross_entropy / nn.BCELoss called inside a CUDA autocast region. PyTorch
// registers binary_cross_entropy on the CUDA (and XPU) autocast dispatch key as a function that
// raises "torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to
// autocast" (aten/src/ATen/autocast_mode.cpp, binary_cross_entropy_banned; 1.6 to 2.x,
// whatever the autocast dtype), so the first batch fails. CPU autocast runs it in float32
// (checked with torch 1.13: the loss comes back float32), so `torch.autocast("cpu")` is
// not reported. A warning when the region certainly is CUDA/XPU autocast and enabled; when
// the device or `enabled=` is an expression, information ("if it runs on CUDA").
// The region is the innermost with-block (src/code/lint/autocast.ts), so an inner
// `with torch.autocast("cuda", enabled=False):` around the loss — the usual fix — is clean.
// AI008 marks the sigmoid before a BCELoss; this rule marks the loss call itself.
import type { Token } from '../../tokens';
import { tokSpan } from '../arguments';
import { autocastAt, type AutocastRegion } from '../autocast';
import type { Call, LintContext } from '../calls';
import { classAttrCtor } from '../flow';
import type { LintFinding } from '../types';

const FN = 'torch.nn.functional.binary_cross_entropy';
const CLS = 'torch.nn.BCELoss';

function bceLabel(ctx: LintContext, c: Call): string | undefined {
  if (c.method) return undefined;
  if (c.path === FN) return 'F.binary_cross_entropy';
  if (c.instanceOf === CLS || classAttrCtor(ctx, c)?.path === CLS) return 'nn.BCELoss';
  return undefined;
}

function message(label: string, r: AutocastRegion, certain: boolean): string {
  const where = `\`${r.evidence}\`, line ${r.line + 1}`;
  const when = certain ? 'raises a RuntimeError here' : r.enabled === 'maybe' && (r.device === 'cuda' || r.device === 'xpu') ? 'raises a RuntimeError here whenever this autocast is enabled' : 'raises a RuntimeError here if this autocast runs on CUDA';
  return `${label} ${when} (${where}): PyTorch refuses binary_cross_entropy and BCELoss under CUDA autocast as unsafe, whatever the autocast dtype (CPU autocast runs them in float32). Compute the loss from the logits with nn.BCEWithLogitsLoss / F.binary_cross_entropy_with_logits (autocast runs it in float32), or call ${label} outside the region (inside \`with torch.autocast("cuda", enabled=False):\`, on .float() inputs).`;
}

export function bceAutocastRule(ctx: LintContext): LintFinding[] {
  if (ctx.ix.lang !== 'python') return [];
  const toks = ctx.ix.toks;
  const out: LintFinding[] = [];
  for (const c of ctx.calls) {
    const label = bceLabel(ctx, c);
    if (!label) continue;
    const r = autocastAt(ctx, (toks[c.start] as Token).start);
    if (!r || r.enabled === false || r.device === 'cpu' || r.device === 'other') continue;
    const certain = (r.device === 'cuda' || r.device === 'xpu') && r.enabled === true;
    out.push({
      code: 'AI009',
      severity: certain ? 'warning' : 'information',
      ...tokSpan(ctx, c.start, c.close),
      fixes: [],
      target: { kind: 'explorer', id: 'sigmoid', framework: 'torch' },
      message: message(label, r, certain),
    });
  }
  return out;
}
