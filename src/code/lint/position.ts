// Context the rules read from where a call stands: whether a clamp/maximum sits where an
// activation would (AI002), and which Keras a Python file is written for (AI006).
import { enclosingOpeners, type Token } from '../tokens';
import { bindingAt } from '../docIndex';
import type { Call, LintContext } from './calls';
import { classAt, defAt, blockEnd } from './flow';

// a pre-activation: the output of a matmul / linear / conv / a layer of the model
// (`conv1d(`, `conv_transpose2d(`, `conv_general_dilated(` — not `convert_to_tensor(`)
export const CONV = 'conv(?:[123]d)?(?:_transpose(?:[123]d)?)?|convolution\\w*|conv_general_dilated';
const PRE_ACTIVATION = new RegExp(`@|\\b(?:matmul|mm|bmm|dot|einsum|linear|${CONV}|dense|addmm)\\s*\\(|\\bself\\.\\w+\\s*\\(`);
const ACT_NAME = /(?:^|_)(?:relu|act|activation|nonlin(?:earity)?)(?:$|_|\d)/i;
const ACT_CLASS = /relu|activation|(?:^|[a-z])Act(?:$|[A-Z])/;

/** Source of the statement that last assigned `name` before `at` (followed up to `depth` times). */
function assignedText(ctx: LintContext, name: string, at: number): string | undefined {
  const b = bindingAt(ctx.ix, name, at);
  if (b?.kind !== 'expr') return undefined;
  const toks = ctx.ix.toks;
  let j = b.tok;
  while (j < toks.length && toks[j]?.kind !== 'nl') j++;
  return ctx.ix.text.slice((toks[b.tok] as Token).start, (toks[j - 1] as Token).end);
}

/**
 * Whether a clamp/maximum stands where an activation would: its input is a pre-activation
 * (`x @ w + b`, `self.fc(x)`, a variable assigned one), its result feeds a layer or a matmul,
 * it is the body of a function or module named like an activation, or its input is a leaf that
 * requires grad (the gradient at 0 is the point). Clamps of positions, box sizes, heatmaps,
 * gradients in a hook are none of these.
 */
export function activationPosition(ctx: LintContext, c: Call, input: { first: number; last: number }): boolean {
  const toks = ctx.ix.toks;
  const text = ctx.ix.text;
  const at = (toks[c.start] as Token).start;
  const src = text.slice((toks[input.first] as Token).start, (toks[input.last] as Token).end);
  // a product with a registered buffer is a fixed transform (a mel pseudo-inverse), not a layer
  const fixed = /self\.(\w+)\s*(?:\.(?:matmul|mm)\s*\(|@)|@\s*self\.(\w+)/.exec(src);
  if (fixed && new RegExp(`register_buffer\\(\\s*["']${fixed[1] ?? fixed[2]}["']`).test(text)) return false;
  if (PRE_ACTIVATION.test(src)) return true;
  if (input.first === input.last && toks[input.first]?.kind === 'name') {
    let name = (toks[input.first] as Token).text;
    let where = at;
    for (let d = 0; d < 3; d++) {
      const rhs = assignedText(ctx, name, where);
      if (rhs === undefined) break;
      if (PRE_ACTIVATION.test(rhs) || /requires_grad\s*=\s*True|\bParameter\s*\(/.test(rhs)) return true;
      const m = /^\s*(\w+)\s*$/.exec(rhs);
      if (!m) break;
      name = m[1] as string;
      const b = bindingAt(ctx.ix, name, where);
      if (b?.kind !== 'expr') break;
      where = (toks[b.tok] as Token).start;
    }
  }
  // the result goes straight into a matmul or a layer
  if (toks[c.close + 1]?.text === '@' || toks[c.start - 1]?.text === '@') return true;
  const outer = toks[c.start - 1]?.text === '(' || toks[c.start - 1]?.text === ',' ? enclosingCall(ctx, c.start) : undefined;
  if (outer) {
    const callee = text.slice((toks[outer.start] as Token).start, (toks[outer.nameTok] as Token).end);
    if (PRE_ACTIVATION.test(`${callee}(`)) return true;
  }
  // `h = clamp(...)` … `h @ w2` / `self.fc2(h)` later in the same function
  const def = defAt(ctx, at);
  const assigned = toks[c.start - 1]?.text === '=' && toks[c.start - 2]?.kind === 'name' && (c.start - 2 === 0 || toks[c.start - 3]?.kind === 'nl') ? (toks[c.start - 2] as Token).text : undefined;
  if (assigned) {
    const end = def >= 0 ? blockEnd(ctx, def) : text.length;
    const from = def >= 0 ? (toks[def] as Token).start : (toks[c.close] as Token).end;
    const body = text.slice(from, end);
    const v = assigned.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`\\b${v}\\s*@|@\\s*${v}\\b|\\b(?:matmul|mm|bmm|dot|linear|einsum|${CONV})\\s*\\([^)]*\\b${v}\\b|\\bself\\.\\w+\\s*\\(\\s*${v}\\b`).test(body)) return true;
  }
  // `def relu(x): return torch.maximum(x, 0)`, `class MyReLU(nn.Module)`
  // (gradient hooks such as guided backprop's clamp gradients, not activations)
  const fn = def >= 0 ? toks[def + 1]?.text ?? '' : '';
  const cls = classAt(ctx, at)?.name ?? '';
  if (/hook|grad|backward|backprop/i.test(fn) || /hook|grad|backward|backprop/i.test(cls)) return false;
  if (ACT_NAME.test(fn) || ACT_CLASS.test(cls)) return true;
  return false;
}

/** The call whose argument list holds token `k` directly. */
function enclosingCall(ctx: LintContext, k: number): Call | undefined {
  const [j] = enclosingOpeners(ctx.ix.toks, k, 400, true);
  return j !== undefined && ctx.ix.toks[j]?.text === '(' ? ctx.byOpen.get(j) : undefined;
}

/**
 * Which Keras a Python file is written for, from its imports and the APIs it uses: 3 (Keras 3:
 * `keras.ops`, `keras.src`, `keras.config`, `keras_core`), 2 (tf.keras / standalone Keras 2
 * APIs such as `keras.backend` functions), or undefined when it cannot be told.
 */
export function kerasMajor(ctx: LintContext): 2 | 3 | undefined {
  if (ctx.ix.lang !== 'python') return undefined;
  const paths: string[] = [];
  for (const bs of ctx.ix.names.values()) for (const b of bs) if (b.target.kind === 'path') paths.push(b.target.path);
  const text = ctx.ix.text;
  if (paths.some((p) => /^(?:keras\.(?:src|ops|config|random|saving)|keras_core)(?:\.|$)/.test(p)) || /\bkeras\.(?:ops|config|src)\./.test(text)) return 3;
  if (paths.some((p) => /^(?:tensorflow\.keras|tensorflow\.python\.keras|tf_keras)(?:\.|$)/.test(p)) || /\btf\.keras\./.test(text) || /\bkeras\.backend\.\w+\(/.test(text)) return 2;
  return undefined;
}
