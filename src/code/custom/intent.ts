// Whether a definition that computes an elementwise function of one input is meant as an
// activation. Real code is full of one-input numeric helpers that are not: a noise schedule
// (`lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2`), a resolution-dependent
// shift (`def calculate_shift(image_seq_len, …)`), a colour transfer curve
// (`def _convert_srgb_to_linear(u)`), a preconditioning (`def get_noise_preconditioning(sigmas)`).
// A hover calling those "custom activation" is wrong, so a definition is passed over when
// its name reads as a utility (a verb such as get_/calculate_/convert, or a schedule, shift,
// noise or colour word), is a plain math function's (`def cos(x)` in an array backend), or
// its input is named as a time step, noise level, length or count — unless the name itself
// says activation (relu, gelu, swish, act, nonlinearity, …), which wins over all but the
// math names. Pure; tokens only.
import type { Token } from '../tokens';
import type { CustomDef } from './pyDefs';

/** Words that make a name an activation's, wherever they appear in it. */
const ACTIVATION_WORDS = /relu|gelu|glu|swish|silu|mish|sigm(?!a)|tanh|elu|softplus|softsign|softmax|shrink|act|nonlin|snake|sine?\b|sinu|hard|gauss|erf|sqnl|isru|lisht|logish|smish|phish|squareplus|sparse_?plus|serf|rational|pau|aria|bent|gcu|quick|leaky|star|squared|gate|threshold/i;

/** Names that read as a utility: a leading verb, or a word of schedules, noise, colour or lengths. */
const UTILITY_VERB = /^_*(get|calc|calculate|compute|convert|make|build|load|save|init|initialize|create|sample|prepare|preprocess|postprocess|normalize|normalise|denormalize|rescale|adjust|update|set|parse|format|read|write|encode|decode|plot|draw|check|warmup|print|log_|count|estimate|interpolate|resize|pad|crop)(_|$|[A-Z])/;
const UTILITY_WORD = /schedul|shift|precondition|srgb|rgb|gamma_?correct|alpha_?bar|alphas|betas|noise|timestep|sigma|learning_?rate|(^|_)lr(_|$)|warmup|decay|loss|metric|psnr|ssim|seq_?len|resolution|cosine_?beta|cdf|pdf|kernel|interp|window|filter/i;

/** The name of a plain math function: a backend's `def cos(x)` or a `def log(t, eps=1e-20)` helper is no activation. */
const MATH_NAME = /^_*(abs|absolute|fabs|cos|cosh|sin|sinh|tan|arccos|arcsin|arctan|acos|asin|atan|log|log1p|log2|log10|exp|expm1|exp2|sqrt|rsqrt|square|reciprocal|sign|erf|erfc|erfinv|floor|ceil|round|negative|neg|cube|cbrt|power|pow)$/;

/** Input names that are not a tensor of pre-activations: time steps, noise levels, lengths, counts, progress. */
const NON_ACTIVATION_INPUT = /^(t|ts|step|steps|timestep|timesteps|epoch|epochs|iteration|iter|it|sigma|sigmas|noise_level|seq_len|\w+_seq_len|\w+_len|length|n|num_\w+|lr|progress|frac|ratio|alpha_bar|snr)$/;

/**
 * Why `d` is not meant as an activation, or undefined when nothing says so. `toks` are the
 * file's tokens (the definition's input name and, for a lambda passed positionally, the name of
 * the function it is passed to, are read from them).
 */
export function notAnActivation(d: CustomDef, toks: readonly Token[]): string | undefined {
  const name = d.name.replace(/^self\./, '').replace(/=lambda$/, '');
  if (d.name.endsWith('=lambda') && /^(act|activation|act_layer|act_fn|nonlinearity|activation_fn|act_func)$/i.test(name)) return undefined;
  if (MATH_NAME.test(name)) return `${name} is a math function, not an activation`;
  if (/^_*(inverse|inv)_/i.test(name)) return `${name} is the inverse of a function, not an activation`;
  if (name !== 'lambda' && ACTIVATION_WORDS.test(name)) return undefined;
  if (name !== 'lambda' && UTILITY_VERB.test(name)) return `its name (${name}) reads as a utility, not an activation`;
  if (name !== 'lambda' && UTILITY_WORD.test(name)) return `its name (${name}) is a schedule, noise, colour or length word, not an activation`;
  const input = inputName(d, toks);
  if (input !== undefined && NON_ACTIVATION_INPUT.test(input)) return `its input is named ${input} (a step, noise level, length or count), not a pre-activation`;
  if (name === 'lambda') {
    const callee = calleeOf(toks, d.tok);
    if (callee !== undefined && !ACTIVATION_WORDS.test(callee) && (UTILITY_WORD.test(callee) || UTILITY_VERB.test(callee))) return `a lambda passed to ${callee}, not an activation`;
  }
  return undefined;
}

/** The name of the definition's input: a def's or lambda's first parameter (after self). */
function inputName(d: CustomDef, toks: readonly Token[]): string | undefined {
  let i = d.tok;
  if (d.kind === 'module') return undefined;
  if (d.kind === 'lambda') {
    while (i < toks.length && toks[i]?.text !== 'lambda') i++;
    i++;
  } else {
    while (i < toks.length && toks[i]?.text !== '(') {
      if (toks[i]?.kind === 'nl') return undefined;
      i++;
    }
    i++;
  }
  if (toks[i]?.text === 'self' && toks[i + 1]?.text === ',') i += 2;
  const t = toks[i];
  return t?.kind === 'name' ? t.text : undefined;
}

/** For a token inside a call's argument list: the called function's last name (`betas_for_alpha_bar`). */
function calleeOf(toks: readonly Token[], k: number): string | undefined {
  let depth = 0;
  for (let j = k - 1; j >= 0 && j > k - 200; j--) {
    const t = toks[j] as Token;
    if (t.kind === 'nl' && depth === 0) return undefined;
    if (t.text === ')' || t.text === ']' || t.text === '}') depth++;
    else if (t.text === '(' || t.text === '[' || t.text === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const f = toks[j - 1];
      return t.text === '(' && f?.kind === 'name' ? f.text : undefined;
    }
  }
  return undefined;
}
