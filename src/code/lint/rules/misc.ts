// AI002 hand-written ReLU lookalikes (the scanner's lookalike rules decide the shape and the
// gradient at 0), AI006 Keras 2 → 3 changes, AI007 softmax without dim.
import { findAt } from '../../scanner';

import type { Arg } from '../../literals';
import type { Token } from '../../tokens';
import { argNamed, argText, kerasKey, tokSpan, type Call, type LintContext } from '../context';
import { bindingAt } from '../../docIndex';
import type { LintFinding, LintFix, Severity } from '../types';

// ---------------------------------------------------------------------------------------
// AI002

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
    if (m.path.startsWith('numpy.') && !ctx.ix.frameworks.has('jax')) continue;
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
    if (isArithmetic(ctx, input.first, input.last) && (/^\(?\s*[\d.]/.test(src) || /margin|delta/i.test(src) || !/@|\b(?:matmul|mm|bmm|dot|einsum|linear|conv\w*|dense)\(|self\.\w+\(/.test(src))) continue;
    const relu = reluSpelling(ctx, m.framework);
    const span = tokSpan(ctx, c.start, c.close);
    const fixes: LintFix[] = relu && !m.path.startsWith('numpy.') ? [{ title: `Use ${relu}`, edits: [{ ...span, newText: `${relu}(${src})` }], preferred: true }] : [];
    out.push({ code: 'AI002', severity: 'warning', ...span, fixes, target: { kind: 'explorer', id: 'relu', framework: m.framework }, message: `Hand-written ReLU: ${m.note ?? 'its gradient at 0 differs from the framework relu.'}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// AI006

const RENAMED_ALPHA = new Set(['keras.layers.LeakyReLU', 'keras.activations.relu', 'keras.activations.leaky_relu', 'keras.ops.leaky_relu', 'keras.ops.relu']);

export function kerasRule(ctx: LintContext): LintFinding[] {
  if (ctx.ix.lang !== 'python') return [];
  const out: LintFinding[] = [];
  const toks = ctx.ix.toks;
  const seen = new Set<number>();
  const push = (f: LintFinding): void => {
    if (!seen.has(f.start)) out.push(f);
    seen.add(f.start);
  };
  for (const c of ctx.calls) {
    const k = kerasKey(c.path);
    if (!k || c.method) continue;
    if (RENAMED_ALPHA.has(k)) {
      const a = c.args.find((x) => x.name === 'alpha');
      if (a) {
        const nameTok = a.first - 2;
        const span = tokSpan(ctx, nameTok, a.last);
        push({ code: 'AI006', severity: 'warning', ...span, target: { kind: 'explorer', id: k.includes('leaky') || k.endsWith('LeakyReLU') ? 'leaky_relu' : 'relu', framework: 'keras' }, fixes: [{ title: 'Rename alpha to negative_slope (Keras 3)', edits: [{ ...tokSpan(ctx, nameTok, nameTok), newText: 'negative_slope' }], preferred: true }], message: `Keras 3 renamed ${k.endsWith('LeakyReLU') ? 'LeakyReLU' : k.split('.').pop()}'s \`alpha\` to \`negative_slope\`: \`alpha\` is deprecated${k.includes('activations.relu') ? ' (keras.activations.relu no longer accepts it)' : ' and warns'}; negative_slope=${argText(ctx, a)} means the same.` });
      }
    }
    if (k === 'keras.layers.ThresholdedReLU') {
      push({ code: 'AI006', severity: 'warning', ...tokSpan(ctx, c.start, c.close), fixes: [], message: 'Keras 3 removed ThresholdedReLU: use keras.layers.ReLU(threshold=θ) (which keeps x ≥ θ and returns 0 below it).' });
    }
    if (k === 'keras.activations.hard_sigmoid' || k === 'keras.ops.hard_sigmoid') push(hardSigmoid(ctx, tokSpan(ctx, c.start, c.nameTok)));
    if (k === 'keras.ops.gelu' && !argNamed(c.args, ['approximate'], 1)) push(gelu(ctx, c, 'keras.ops.gelu', 'warning'));
  }
  // string identifiers and references: activation="hard_sigmoid", keras.activations.hard_sigmoid
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind === 'str' && t.value === 'hard_sigmoid') {
      const m = findAt(ctx.ix, t.start);
      if (m && m.kind === 'string' && (m.framework === 'keras' || m.framework === 'tf')) push(hardSigmoid(ctx, { start: t.start, end: t.end }));
    } else if (t.kind === 'name' && t.text === 'hard_sigmoid' && toks[i + 1]?.text !== '(') {
      const m = findAt(ctx.ix, t.start);
      if (m && (m.framework === 'keras' || m.framework === 'tf')) push(hardSigmoid(ctx, { start: m.start, end: m.end }));
    }
  }
  return out;
}

function hardSigmoid(_ctx: LintContext, span: { start: number; end: number }): LintFinding {
  return { code: 'AI006', severity: 'warning', ...span, fixes: [], target: { kind: 'explorer', id: 'hardsigmoid', framework: 'keras' }, message: "hard_sigmoid changed formula in Keras 3: Keras 2 computed clip(0.2·x + 0.5, 0, 1), Keras 3 computes relu6(x + 3)/6 = clip(x/6 + 0.5, 0, 1) (at x = 1: 0.7 vs 0.667), so weights trained under one differ under the other." };
}

function gelu(ctx: LintContext, c: Call, what: string, severity: Severity): LintFinding {
  const toks = ctx.ix.toks;
  const last = c.args[c.args.length - 1];
  const at = last ? (toks[last.last] as Token).end : (toks[c.close] as Token).start;
  const sep = last ? ', ' : '';
  return {
    code: 'AI006',
    severity,
    target: { kind: 'explorer', id: 'gelu', framework: what.startsWith('keras') ? 'keras' : 'jax' },
    ...tokSpan(ctx, c.start, c.nameTok),
    fixes: [
      { title: 'Make the tanh approximation explicit (approximate=True, same values)', edits: [{ start: at, end: at, newText: `${sep}approximate=True` }] },
      { title: 'Use the exact erf GELU (approximate=False, like PyTorch and keras.activations.gelu)', edits: [{ start: at, end: at, newText: `${sep}approximate=False` }] },
    ],
    message: `${what} defaults to the tanh approximation (approximate=True), while keras.activations.gelu / activation="gelu" and PyTorch's GELU default to the exact erf form: ported weights see slightly different activations (up to ~5e-4). Pass approximate explicitly.`,
  };
}

/** jax.nn.gelu / flax nn.gelu without approximate: a hint, or information when the file also uses torch/keras. */
export function jaxGeluRule(ctx: LintContext): LintFinding[] {
  const out: LintFinding[] = [];
  const porting = ctx.ix.frameworks.has('torch') || ctx.ix.frameworks.has('keras') || ctx.ix.frameworks.has('tf');
  for (const c of ctx.calls) {
    if (c.method || (c.path !== 'jax.nn.gelu' && c.path !== 'flax.linen.gelu')) continue;
    if (argNamed(c.args, ['approximate'], 1)) continue;
    const f = gelu(ctx, c, c.path === 'jax.nn.gelu' ? 'jax.nn.gelu' : 'flax.linen.gelu', porting ? 'information' : 'hint');
    out.push({ ...f, message: f.message.replace('keras.activations.gelu / activation="gelu" and PyTorch\'s GELU default to', 'PyTorch\'s GELU and keras.activations.gelu default to') });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// AI007

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
