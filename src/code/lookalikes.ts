// Hand-written ReLUs: `torch.maximum(x, torch.zeros_like(x))`, `x.clamp(min=0)`,
// `jnp.maximum(x, 0)`, `np.maximum(0, x)`, `tf.maximum(x, 0.)`. Same values as the
// framework's ReLU, but not the same gradient at exactly 0:
// - torch.maximum / jnp.maximum split ties evenly: d/dx = 0.5 at x = 0.
// - torch.clamp(min=0) / clamp_min keep the boundary in the pass-through mask: 1 at 0.
// - tf.maximum(a, b) sends the tie's gradient to a (`a >= b`): 1 if x is first, 0 if second.
// - NumPy has no autodiff: np.maximum on a traced or grad-tracking value breaks the graph.
import type { Framework } from '../engine/activations/types';
import type { Arg } from './literals';

export interface LookalikeRule {
  readonly framework: Framework | 'numpy';
  readonly kind: 'maximum' | 'clamp';
}

export const LOOKALIKE_FUNCTIONS: Readonly<Record<string, LookalikeRule>> = {
  'torch.maximum': { framework: 'torch', kind: 'maximum' },
  'torch.max': { framework: 'torch', kind: 'maximum' },
  'torch.clamp': { framework: 'torch', kind: 'clamp' },
  'torch.clip': { framework: 'torch', kind: 'clamp' },
  'torch.clamp_min': { framework: 'torch', kind: 'clamp' },
  'jax.numpy.maximum': { framework: 'jax', kind: 'maximum' },
  'jax.numpy.clip': { framework: 'jax', kind: 'clamp' },
  'jax.lax.max': { framework: 'jax', kind: 'maximum' },
  'numpy.maximum': { framework: 'numpy', kind: 'maximum' },
  'numpy.clip': { framework: 'numpy', kind: 'clamp' },
  'tf.maximum': { framework: 'tf', kind: 'maximum' },
  'tf.math.maximum': { framework: 'tf', kind: 'maximum' },
  'keras.ops.maximum': { framework: 'keras', kind: 'maximum' },
  'tf.clip_by_value': { framework: 'tf', kind: 'clamp' },
};

/** Tensor methods that clamp at a minimum (`x.clamp(min=0)`, `x.clamp_min_(0)`). */
export const LOOKALIKE_METHODS = new Set(['clamp', 'clamp_', 'clip', 'clip_', 'clamp_min', 'clamp_min_']);

const ZERO_EXPR = /^(?:[\w.]+\.)?(?:zeros_like|zeros)\(|^(?:[\w.]+\.)?(?:tensor|asarray|array|constant|convert_to_tensor)\(\s*0(?:\.0*)?\s*[,)]/;

function isZero(a: Arg | undefined): boolean {
  if (!a) return false;
  if (a.value.kind === 'value') return a.value.value === 0;
  return ZERO_EXPR.test(a.value.text);
}

function isNoMax(a: Arg | undefined): boolean {
  if (!a) return true;
  return a.value.kind === 'value' && (a.value.value === null || a.value.value === Infinity);
}

/**
 * Whether a call is ReLU written by hand. `method`: args exclude the receiver (the input).
 * Returns the position of the input among the two `maximum` operands (0 or 1), or 0 for
 * clamps; undefined when the call is something else.
 */
export function lookalikeShape(kind: LookalikeRule['kind'], args: readonly Arg[], method: boolean): { inputFirst: boolean } | undefined {
  if (args.some((a) => a.spread)) return undefined;
  const pos = args.filter((a) => !a.name);
  const kw = (names: readonly string[]): Arg | undefined => args.find((a) => a.name !== undefined && names.includes(a.name));
  if (kind === 'maximum') {
    if (method || pos.length !== 2 || args.length !== 2) return undefined;
    const [a, b] = pos;
    if (isZero(b) && !isZero(a)) return { inputFirst: true };
    if (isZero(a) && !isZero(b)) return { inputFirst: false };
    return undefined;
  }
  const lo = kw(['min', 'a_min', 'clip_value_min', 'x_min']) ?? (method ? pos[0] : pos[1]);
  const hi = kw(['max', 'a_max', 'clip_value_max', 'x_max']) ?? (method ? pos[1] : pos[2]);
  if (!method && pos.length === 0) return undefined;
  return isZero(lo) && isNoMax(hi) ? { inputFirst: true } : undefined;
}

/** The gradient the lookalike returns at x = 0, and the note shown in the hover. */
export function lookalikeNote(path: string, rule: LookalikeRule, inputFirst: boolean): { grad: number | undefined; note: string } {
  const what = '`' + path + '`';
  if (rule.framework === 'numpy') {
    return { grad: undefined, note: `${what} is NumPy: it has no gradient at all — under jax.grad or with tensors that require grad it breaks the graph. Use the framework's relu (gradient 0 at x = 0).` };
  }
  if (rule.kind === 'clamp') {
    if (rule.framework === 'torch') return { grad: 1, note: `${what} with min=0 has gradient 1 at x = 0 (the boundary is kept), while torch's relu has 0 there.` };
    return { grad: undefined, note: `${what} with a lower bound of 0 computes ReLU's values, but its gradient at x = 0 is the clip's convention, not relu's 0.` };
  }
  if (rule.framework === 'tf' || rule.framework === 'keras') {
    const g = inputFirst ? 1 : 0;
    return { grad: g, note: `${what} sends a tie's gradient to its first operand: here ${g} at x = 0${g === 0 ? ' (same as tf.nn.relu by luck of the argument order)' : ', while tf.nn.relu gives 0'}.` };
  }
  return { grad: 0.5, note: `${what} splits the gradient of a tie: 0.5 at x = 0, while ${rule.framework === 'torch' ? 'torch.relu' : 'jax.nn.relu'} gives 0.` };
}

/** A layer's output: a matmul, a linear/conv/dense call, or a call on a module attribute. */
const AFFINE = /@|\b(?:matmul|mm|bmm|dot|einsum|linear|conv(?:[123]d)?|conv_general_dilated|dense|addmm)\s*\(|\bself\.\w+\s*\(/;
/** Names of values that are clamped at 0 but are no pre-activation: positions, sizes, counts, schedules, distances. */
const NOT_PRE_ACTIVATION = /(?:^|_|\b)(?:pos|position|positions|idx|index|indices|ind|offset|offsets|len|length|lengths|count|counts|num|step|steps|epoch|progress|lr|learning_rate|size|sizes|width|height|box|boxes|coord|coords|time|seq|target|targets|label|labels|mask|eps|var|variance|std|norm|dist|distance|distances|distribution|prob|probs|probability|probabilities|weight|weights|loss|margin|delta|diff|shift|pad|padding|start|end|begin|stop|k|n|i|j)(?:$|_|s\b|\d)/i;

/**
 * Whether the clamped operand (`x` of `maximum(x, 0)`, the receiver of `x.clamp(min=0)`) can be a
 * pre-activation. Arithmetic that is not a layer's output (`(step - warmup) / cycle`,
 * `1 - y * s`) and values named as positions, sizes, counts or schedules
 * (`seq_positions.clamp(min=0)`, `progress`) are clamps, not ReLUs.
 */
export function plausibleInput(src: string): boolean {
  const text = src.trim().replace(/^\((.*)\)$/s, '$1');
  if (/[-+*/]/.test(text.replace(/\*\*/g, '^').replace(/\be[-+]\d/gi, '')) && !AFFINE.test(text)) return false;
  // the value's own name: the last attribute of a plain reference (`self.seq_positions` → seq_positions)
  const name = /^[A-Za-z_][\w.]*$/.test(text) ? (text.split('.').pop() as string) : undefined;
  return !(name !== undefined && NOT_PRE_ACTIVATION.test(name));
}
