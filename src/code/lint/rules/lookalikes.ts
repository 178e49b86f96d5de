// AI002 hand-written ReLU lookalikes: the scanner's lookalike rules decide the shape and the
// gradient at 0.
import { findAt } from '../../scanner';
import type { Arg } from '../../literals';
import type { Token } from '../../tokens';
import { bindingAt } from '../../docIndex';
import { argNamed, argText, tokSpan } from '../arguments';
import type { LintContext } from '../calls';
import type { LintFinding, LintFix } from '../types';
import { activationPosition, CONV } from '../position';

const AFFINE = new RegExp(`@|\\b(?:matmul|mm|bmm|dot|einsum|linear|${CONV}|dense)\\(|self\\.\\w+\\(`);
/** Evidence that the file computes gradients. */
const DIFFERENTIATES = /\b(?:grad|value_and_grad|vjp|jvp|jacfwd|jacrev|hessian)\s*\(|\.backward\s*\(|GradientTape|autograd/;

/** An operand written as arithmetic (`1 - y * out`, `margin - d`): a hinge, not an activation. */
function isArithmetic(ctx: LintContext, first: number, last: number): boolean {
  const toks = ctx.ix.toks;
  for (let i = first; i <= last; i++) {
    const t = toks[i] as Token;
    if (t.text === '(' || t.text === '[') {
      i = Math.max(i, ctx.ix.partner[i] as number);
      continue;
    }
    if (t.kind === 'op' && ['+', '-', '*', '/', '@', '**', '//'].includes(t.text) && i > first) return true;
  }
  return false;
}

function reluSpelling(ctx: LintContext, fw: string): string | undefined {
  const at = ctx.ix.text.length;
  const bound = (name: string, prefix: string): boolean => {
    const b = bindingAt(ctx.ix, name, at);
    return b?.kind === 'path' && b.path.startsWith(prefix);
  };
  if (fw === 'torch') return bound('torch', 'torch') ? 'torch.relu' : bound('F', 'torch.nn.functional') ? 'F.relu' : undefined;
  if (fw === 'jax') return bound('jax', 'jax') ? 'jax.nn.relu' : bound('nn', 'flax.linen') || bound('nn', 'jax.nn') ? 'nn.relu' : undefined;
  if (fw === 'tf') return bound('tf', 'tensorflow') || bound('tf', 'tf') ? 'tf.nn.relu' : undefined;
  if (fw === 'keras') return bound('keras', 'keras') ? 'keras.ops.relu' : undefined;
  return undefined;
}

export function lookalikeRule(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  const toks = ctx.ix.toks;
  const autodiff = (['torch', 'jax', 'tf', 'keras'] as const).some((f) => ctx.ix.frameworks.has(f));
  for (const c of ctx.calls) {
    if (c.method ? !/^(?:clamp|clip|clamp_min)_?$/.test(c.name) : !/maximum|max|clamp|clip|clip_by_value|clamp_min/.test(c.name)) continue;
    const m = findAt(ctx.ix, (toks[c.nameTok] as Token).start);
    if (!m || m.kind !== 'lookalike') continue;
    // tf.maximum(0, x) happens to give relu's gradient (0) at 0; NumPy only matters under autodiff
    if (m.lookalikeGrad === 0) continue;
    // … and only where this file differentiates (an array backend importing jax for one op does not)
    if (m.path.startsWith('numpy.') && (!ctx.ix.frameworks.has('jax') || !DIFFERENTIATES.test(ctx.ix.text))) continue;
    // without imports, the call itself says the framework (`torch.maximum`, `jnp.maximum`)
    if (!autodiff && ctx.ix.frameworks.size > 0 && !m.path.startsWith('Tensor.')) continue;
    // `.clip(min=0)` is also NumPy's; only a torch file makes it a tensor method
    if (c.method && /^clip_?$/.test(c.name) && !ctx.ix.frameworks.has('torch')) continue;
    if (c.method && ctx.ix.frameworks.size > 0 && !ctx.ix.frameworks.has('torch')) continue;
    // the input operand: the non-zero one of maximum, or the clamped value
    let input: Arg | { first: number; last: number } | undefined;
    if (c.method) input = { first: c.start, last: c.nameTok - 2 };
    else if (/maximum|max$/.test(m.path)) input = c.args.find((a) => !/^(?:0(?:\.0*)?|0\.|.*zeros(?:_like)?\(.*|.*tensor\(\s*0.*)$/.test(argText(ctx, a)));
    else input = argNamed(c.args, ['input', 'x', 'a', 't'], 0);
    if (!input) continue;
    // clamping before sqrt/log is numerical safety (a variance, a count), not an activation
    const after = toks[c.close + 2];
    const outer = toks[c.start - 1]?.text === '(' ? ctx.byOpen.get(c.start - 1) : undefined;
    if ((toks[c.close + 1]?.text === '.' && after && /^(?:sqrt|rsqrt|log|log1p|log2|pow|sqrt_)$/.test(after.text)) || (outer?.path && /\.(?:sqrt|rsqrt|log|log1p|log2)$/.test(outer.path))) continue;
    // `(pos - window).clamp(min=0)`: look inside the parentheses
    while (toks[input.first]?.text === '(' && ctx.ix.partner[input.first] === input.last && input.last > input.first + 1) input = { first: input.first + 1, last: input.last - 1 };
    const src = ctx.ix.text.slice((toks[input.first] as Token).start, (toks[input.last] as Token).end);
    // hinge/margin losses (`clamp(1 - y * s, min=0)`, `clamp(margin - d, min=0)`) are not activations
    // arithmetic counts as a pre-activation only when affine (`x @ w + b`, `F.linear(...)`, `self.fc(x) + b`)
    if (isArithmetic(ctx, input.first, input.last) && (/^\(?\s*[\d.]/.test(src) || /margin|delta/i.test(src) || !AFFINE.test(src))) continue;
    // a squared distance or a variance clamped at 0 (`norm_u - 2 * U @ V.T + norm_v`) is no activation
    if (/norm|dist|square|\bsum\b|reduce_sum|\bvar\b|variance/i.test(src)) continue;
    // only where an activation would stand: not positions, box sizes, heatmaps, hook gradients
    if (!activationPosition(ctx, c, input)) continue;
    const relu = reluSpelling(ctx, m.framework);
    const span = tokSpan(ctx, c.start, c.close);
    const fixes: LintFix[] = relu && !m.path.startsWith('numpy.') ? [{ title: `Use ${relu}`, edits: [{ ...span, newText: `${relu}(${src})` }], preferred: true }] : [];
    out.push({ code: 'AI002', severity: 'information', ...span, fixes, target: { kind: 'explorer', id: 'relu', framework: m.framework }, message: `Hand-written ReLU: ${m.note ?? 'its gradient at 0 differs from the framework relu.'}` });
  }
  return out;
}
