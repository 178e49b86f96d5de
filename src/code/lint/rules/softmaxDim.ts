// AI007 softmax without dim: PyTorch's implicit dim choice (deprecated) picks the batch axis
// for 0-, 1- and 3-dimensional inputs.
import type { Token } from '../../tokens';
import { argNamed, tokSpan } from '../arguments';
import type { LintContext } from '../calls';
import type { LintFinding } from '../types';

const SOFTMAX_MODULES = new Set(['torch.nn.Softmax', 'torch.nn.LogSoftmax', 'torch.nn.Softmin']);
const SOFTMAX_FUNCTIONS = new Set(['torch.nn.functional.softmax', 'torch.nn.functional.log_softmax', 'torch.nn.functional.softmin', 'torch.softmax', 'torch.log_softmax', 'torch.special.softmax', 'torch.special.log_softmax']);

export function softmaxDimRule(ctx: LintContext): LintFinding[] {
  if (ctx.ix.lang !== 'python') return [];
  const out: LintFinding[] = [];
  const toks = ctx.ix.toks;
  for (const c of ctx.calls) {
    let dimPos: number;
    let label: string;
    if (!c.method && c.path && SOFTMAX_MODULES.has(c.path)) {
      dimPos = 0;
      label = `nn.${c.path.split('.').pop() as string}()`;
    } else if (!c.method && c.path && SOFTMAX_FUNCTIONS.has(c.path)) {
      dimPos = 1;
      label = `${c.path.replace('torch.nn.functional.', 'F.')}(x)`;
    } else if (c.method && (c.name === 'softmax' || c.name === 'log_softmax') && c.args.length === 0 && (ctx.ix.frameworks.has('torch') && !ctx.ix.frameworks.has('jax') && !ctx.ix.frameworks.has('tf'))) {
      dimPos = 0;
      label = `Tensor.${c.name}()`;
    } else continue;
    if (c.args.some((a) => a.spread)) continue;
    const dimArg = argNamed(c.args, ['dim'], dimPos);
    if (dimArg && dimArg.value.kind === 'value' && dimArg.value.value === null) {
      const span = tokSpan(ctx, dimArg.first, dimArg.last);
      out.push({ code: 'AI007', severity: 'warning', ...tokSpan(ctx, c.start, c.close), fixes: [{ title: 'Use dim=-1 (normalize over the last axis)', edits: [{ ...span, newText: '-1' }], preferred: true }], message: `${label.replace('()', '(dim=None)').replace('(x)', '(x, dim=None)')}: dim=None makes PyTorch pick the axis from the input's number of dimensions (dim 0 for 0-, 1- and 3-D inputs, dim 1 otherwise), which is deprecated. Pass the axis explicitly.` });
      continue;
    }
    if (dimArg) continue;
    if (dimPos === 1 && c.args.filter((a) => !a.name).length === 0 && !argNamed(c.args, ['input'])) continue;
    const last = c.args[c.args.length - 1];
    const trailingComma = toks[c.close - 1]?.text === ',';
    const at = trailingComma ? (toks[c.close - 1] as Token).end : last ? (toks[last.last] as Token).end : (toks[c.close] as Token).start;
    const insert = last && !trailingComma ? ', dim=-1' : trailingComma ? ' dim=-1' : 'dim=-1';
    out.push({
      code: 'AI007',
      severity: 'warning',
      ...tokSpan(ctx, c.start, c.close),
      fixes: [{ title: 'Add dim=-1 (normalize over the last axis)', edits: [{ start: at, end: at, newText: insert }], preferred: true }],
      message: `${label} without dim: PyTorch picks the axis from the input's number of dimensions (dim 0 for 0-, 1- and 3-D inputs, dim 1 otherwise) and warns that this is deprecated; for batched (N, T, C) inputs that normalizes over the batch. Pass dim explicitly.`,
    });
  }


  return out;
}
