// AI006 Keras 2 → 3 changes (hard_sigmoid's formula, LeakyReLU's alpha) and GELU defaults
// that differ between frameworks (jax.nn.gelu / keras.ops.gelu: tanh approximation).
import { findAt } from '../../scanner';
import type { Token } from '../../tokens';
import { argNamed, argText, tokSpan } from '../arguments';
import { kerasKey } from '../calleePaths';
import type { Call, LintContext } from '../calls';
import type { LintFinding, Severity } from '../types';
import { kerasMajor } from '../position';

const RENAMED_ALPHA = new Set(['keras.layers.LeakyReLU', 'keras.activations.relu', 'keras.activations.leaky_relu', 'keras.ops.leaky_relu', 'keras.ops.relu']);

export function kerasRule(ctx: LintContext): LintFinding[] {
  if (ctx.ix.lang !== 'python') return [];
  const out: LintFinding[] = [];
  const toks = ctx.ix.toks;
  const seen = new Set<number>();
  // Keras 3 files mean the Keras 3 behaviour; tf.keras 2 (or unknown) files get porting notes
  const major = kerasMajor(ctx);
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
        // keras.activations.relu(alpha=) fails in Keras 3; LeakyReLU(alpha=) still works there (with a warning)
        const broken = major === 3 && k.includes('activations.relu');
        push({ code: 'AI006', severity: broken ? 'warning' : 'information', ...span, target: { kind: 'explorer', id: k.includes('leaky') || k.endsWith('LeakyReLU') ? 'leaky_relu' : 'relu', framework: 'keras' }, fixes: [{ title: 'Rename alpha to negative_slope (Keras 3)', edits: [{ ...tokSpan(ctx, nameTok, nameTok), newText: 'negative_slope' }], preferred: true }], message: `Keras 3 renamed ${k.endsWith('LeakyReLU') ? 'LeakyReLU' : k.split('.').pop()}'s \`alpha\` to \`negative_slope\`: \`alpha\` is deprecated${k.includes('activations.relu') ? ' (keras.activations.relu no longer accepts it)' : ' and warns'}; negative_slope=${argText(ctx, a)} means the same.` });
      }
    }
    if (k === 'keras.layers.ThresholdedReLU') {
      push({ code: 'AI006', severity: major === 3 ? 'warning' : 'information', ...tokSpan(ctx, c.start, c.close), fixes: [], message: 'Keras 3 removed ThresholdedReLU: use keras.layers.ReLU(threshold=θ) (which keeps x ≥ θ and returns 0 below it).' });
    }
    if (k === 'keras.activations.hard_sigmoid' || k === 'keras.ops.hard_sigmoid') push(hardSigmoid(ctx, tokSpan(ctx, c.start, c.nameTok)));
    if (k === 'keras.ops.gelu' && !argNamed(c.args, ['approximate'], 1)) push(gelu(ctx, c, 'keras.ops.gelu', 'information'));
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

function hardSigmoid(ctx: LintContext, span: { start: number; end: number }): LintFinding {
  // in a Keras 3 file the Keras 3 formula is the one meant: an editor hint only
  return { code: 'AI006', severity: kerasMajor(ctx) === 3 ? 'hint' : 'information', ...span, fixes: [], target: { kind: 'explorer', id: 'hardsigmoid', framework: 'keras' }, message: "hard_sigmoid changed formula in Keras 3: Keras 2 computed clip(0.2·x + 0.5, 0, 1), Keras 3 computes relu6(x + 3)/6 = clip(x/6 + 0.5, 0, 1) (at x = 1: 0.7 vs 0.667), so weights trained under one differ under the other." };
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
