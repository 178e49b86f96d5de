// Where a Python file says which reduced precision its activations run in: torch.autocast
// (and its CUDA/CPU defaults), .half() / .bfloat16() / .to(torch.float16), Keras mixed-precision
// policies, JAX/Flax dtype=jnp.bfloat16. Pure text scanning, comments skipped.
import type { SweepDtype } from '../engine/precision/tables';

export interface DtypeHint {
  readonly dtype: SweepDtype;
  /** 0-based line of the evidence. */
  readonly line: number;
  /** The matched code, for the hover ("torch.autocast(…, dtype=torch.bfloat16)"). */
  readonly evidence: string;
}

const NAME: Record<string, SweepDtype> = {
  float16: 'float16',
  half: 'float16',
  bfloat16: 'bfloat16',
};

interface Rule {
  readonly re: RegExp;
  readonly dtype: (m: RegExpExecArray) => SweepDtype | undefined;
}

const RULES: readonly Rule[] = [
  // torch.autocast("cuda", dtype=torch.bfloat16) / torch.cuda.amp.autocast(dtype=torch.float16)
  { re: /\b(?:torch\.)?(?:cuda\.amp\.|cpu\.amp\.|amp\.)?autocast\s*\(([^)]*)\)/, dtype: (m) => autocastDtype(m[0] as string, m[1] ?? '') },
  { re: /\.\s*(half|bfloat16)\s*\(\s*\)/, dtype: (m) => NAME[m[1] as string] },
  { re: /\.\s*to\s*\([^)]*\b(?:torch|jnp|np)\.(float16|half|bfloat16)\b/, dtype: (m) => NAME[m[1] as string] },
  { re: /\bset_default_dtype\s*\(\s*torch\.(float16|half|bfloat16)\b/, dtype: (m) => NAME[m[1] as string] },
  // Keras: mixed_precision.set_global_policy("mixed_float16"), keras.config.set_dtype_policy("bfloat16")
  { re: /\b(?:set_global_policy|set_dtype_policy|Policy)\s*\(\s*["'](?:mixed_)?(float16|bfloat16)["']/, dtype: (m) => NAME[m[1] as string] },
  // Flax / JAX: dtype=jnp.bfloat16
  { re: /\bdtype\s*=\s*(?:jnp|jax\.numpy)\.(float16|bfloat16)\b/, dtype: (m) => NAME[m[1] as string] },
];

function autocastDtype(call: string, args: string): SweepDtype | undefined {
  const explicit = /\bdtype\s*=\s*torch\.(float16|half|bfloat16)\b/.exec(args);
  if (explicit) return NAME[explicit[1] as string];
  if (/\bdtype\s*=/.test(args)) return undefined; // a variable: unknown
  if (/enabled\s*=\s*False/.test(args)) return undefined;
  // defaults: CUDA autocast → float16, CPU autocast → bfloat16
  if (/cpu\.amp\.|["']cpu["']|device_type\s*=\s*["']cpu["']/.test(call)) return 'bfloat16';
  return 'float16';
}

/** The match, extended to the `)` that closes its last open call (for display). */
function closeParens(text: string, at: number, match: string): string {
  let open = 0;
  for (const ch of match) open += ch === '(' ? 1 : ch === ')' ? -1 : 0;
  let end = at + match.length;
  while (open > 0 && end < text.length) {
    const ch = text[end++];
    if (ch === '(') open++;
    else if (ch === ')') open--;
  }
  return text.slice(at, end);
}

/** Every reduced-precision hint in a Python source, in line order. */
export function findDtypeHints(source: string): DtypeHint[] {
  const out: DtypeHint[] = [];
  const lines = source.split(/\r?\n/);
  lines.forEach((raw, line) => {
    const hash = raw.indexOf('#');
    const text = hash >= 0 ? raw.slice(0, hash) : raw;
    for (const rule of RULES) {
      const m = rule.re.exec(text);
      if (!m) continue;
      const dtype = rule.dtype(m);
      if (dtype) out.push({ dtype, line, evidence: closeParens(text, m.index, m[0]).trim() });
      break;
    }
  });
  return out;
}

/**
 * The hint that applies at 0-based `line`: the nearest one above it (autocast blocks and
 * policies come before the model runs), else the first below (`model.half()` after the class).
 */
export function dtypeHintAt(source: string, line: number): DtypeHint | undefined {
  const hints = findDtypeHints(source);
  let best: DtypeHint | undefined;
  for (const h of hints) if (h.line <= line) best = h;
  return best ?? hints[0];
}
