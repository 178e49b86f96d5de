// AI010 (information): an activation the file defines itself (src/code/custom), written as
// several ops, that overflows in float16 where its value would fit — in a file that states
// float16 (src/code/dtype.ts: `.half()`, `.to(torch.float16)`, CUDA autocast, Keras
// mixed_float16, dtype=jnp.float16). Each op is evaluated as PyTorch runs it
// (src/engine/precision/perOp.ts) at every finite float16 input:
//   - `.half()` and the other float16 statements: every op stores float16, so
//     log(1 + exp(x)) is inf for x ≥ 11.09 (exp(x) > 65504);
//   - CUDA autocast: exp, log, softplus, pow… run in float32 (autocast's float32 list), so the
//     same code is fine there; ops off the list stay float16 (x * x for |x| ≥ 256).
// Reported only where float16 causes it (the same code in float32 is finite there) and the
// exact value fits in float16. Library activations (F.silu, F.softplus…) are one native op
// computed in float32 and rounded once: none overflows in float16 where its value fits
// (docs/precision-tables.md; checked by test/unit/lint.float16.test.ts), so they are not
// reported. The finding sits on the definition's name.
import { customDefinitions } from '../../custom/index';
import { catalogRelation } from '../../custom/relation';
import { print, type CE } from '../../custom/cexpr';
import { Reject } from '../../custom/values';
import { findDtypeHints, type DtypeHint } from '../../dtype';
import { tokenizePython } from '../../pyTokenizer';
import type { Token } from '../../tokens';
import { float16Overflow, thresholdText, type OverflowRange } from '../../../engine/precision/perOp';
import { f16Bits, f16FromBits } from '../../../engine/precision/round';
import { finiteValues } from '../../../engine/precision/tables';
import { parseExpr, stabilityNotes } from '../../../engine/symbolic';
import type { LintContext } from '../calls';
import type { LintFinding } from '../types';

type Regime = 'float16' | 'autocast';

/**
 * Inputs beyond this never reach an activation of a network that still trains (a softmax or a
 * norm would have overflowed first); overflow that starts farther out (x·relu6(x + 3) at
 * x ≥ 10920) is not reported.
 */
export const PLAUSIBLE_INPUT = 1000;

// A one-argument function the file defines is reported as an activation when it is one: it
// equals or approximates a catalog activation, or its name says so. Noise schedules
// (`alpha_cosine_log_snr(t)`) and helpers (`log(t, eps)`) are elementwise too, but their
// inputs are not a float16 layer's outputs.
const ACTIVATION_NAME = /(?:^|_)act(?:$|_|\d|ivation)|activation|elu|silu|swish|mish|softplus|sigmoid|tanh|softsign|squareplus|isru|sqnl|snake|gauss|serf|logish|nonlin/i;
const ACTIVATION_CLASS = /Act(?:$|[A-Z])/;

function isActivation(name: string, expr: CE, params: Readonly<Record<string, number>>): boolean {
  const n = name.replace(/^self\./, '');
  if (ACTIVATION_NAME.test(n) || ACTIVATION_CLASS.test(n)) return true;
  try {
    const r = catalogRelation(expr, params);
    return r.kind === 'identical' || r.kind === 'approximates';
  } catch (e) {
    if (e instanceof Reject || e instanceof RangeError) return false;
    throw e;
  }
}

/** The float16 statements of the file, by how PyTorch runs the ops (first evidence of each). */
function regimes(text: string): { regime: Regime; hint: DtypeHint }[] {
  const out: { regime: Regime; hint: DtypeHint }[] = [];
  for (const h of findDtypeHints(text)) {
    if (h.dtype !== 'float16') continue;
    const regime: Regime = /autocast\s*\(/.test(h.evidence) ? 'autocast' : 'float16';
    if (!out.some((r) => r.regime === regime)) out.push({ regime, hint: h });
  }
  // the broader one first: in a .half() model every op overflows that would under autocast
  return out.sort((a, b) => (a.regime === 'float16' ? 0 : 1) - (b.regime === 'float16' ? 0 : 1));
}

let xs16: Float64Array | undefined;

// The sweep costs ~65,000 evaluations per formula; the editor lints on every keystroke, so
// results are kept per (formula, parameters, regime).
const sweeps = new Map<string, OverflowRange[]>();

function overflowOf(expr: CE, params: Readonly<Record<string, number>>, regime: Regime): OverflowRange[] {
  const key = `${regime}|${print(expr)}|${JSON.stringify(params)}`;
  let hit = sweeps.get(key);
  if (!hit) {
    xs16 ??= finiteValues('float16');
    hit = float16Overflow(expr, regime, xs16, { params });
    if (sweeps.size >= 256) sweeps.delete(sweeps.keys().next().value as string);
    sweeps.set(key, hit);
  }
  return hit;
}

/** The float16 neighbour of t toward 0. */
function towardZero(t: number): number {
  return f16FromBits(f16Bits(t) - 1);
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(Number(v.toPrecision(4)));
}

function rangeText(s: OverflowRange): string {
  const t = thresholdText(s.from, towardZero(s.from));
  const max = 65504;
  if (Math.abs(s.to) === max) return s.from > 0 ? `x ≥ ${t}` : `x ≤ ${t}`;
  const u = num(s.to);
  return s.from > 0 ? `${t} ≤ x ≤ ${u}` : `${u} ≤ x ≤ ${t}`;
}

/** Both sides as one phrase: `|x| ≥ 256` when they mirror each other. */
function where(sides: readonly OverflowRange[]): string {
  const [a, b] = sides;
  if (a && b && a.from === -b.from && a.to === -b.to && Math.abs(a.to) === 65504) return `|x| ≥ ${thresholdText(Math.abs(a.from), towardZero(Math.abs(a.from)))}`;
  return sides.map(rangeText).join(' and ');
}

const SPELLING: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  torch: { softplus: 'F.softplus', sigmoid: 'torch.sigmoid' },
  jax: { softplus: 'jax.nn.softplus', sigmoid: 'jax.nn.sigmoid' },
  tf: { softplus: 'tf.math.softplus', sigmoid: 'tf.math.sigmoid' },
  keras: { softplus: 'keras.activations.softplus', sigmoid: 'keras.activations.sigmoid' },
};

/** The stable rewrite of an overflowing spelling in the formula, in the file's library. */
function stableForm(ctx: LintContext, expr: CE): string | undefined {
  let notes;
  try {
    notes = stabilityNotes(parseExpr(print(expr)));
  } catch {
    return undefined;
  }
  const n = notes.find((k) => /softplus|sigmoid/.test(k.stable));
  if (!n) return undefined;
  const fw = ['torch', 'jax', 'tf', 'keras'].find((f) => ctx.ix.frameworks.has(f as never)) ?? 'torch';
  const names = [...new Set([...n.stable.matchAll(/softplus|sigmoid/g)].map((m) => SPELLING[fw]?.[m[0]]).filter(Boolean))];
  return `Use ${n.stable}${names.length ? ` (${names.join(', ')})` : ''}: it computes ${n.written} without overflow`;
}

function message(ctx: LintContext, name: string, expr: CE, regime: Regime, hint: DtypeHint, sides: readonly OverflowRange[]): string {
  const first = sides[0] as OverflowRange;
  const culprit = print(first.culprit as CE);
  const formula = print(expr);
  const ctxText = regime === 'autocast'
    ? `Under float16 autocast (\`${hint.evidence}\`, line ${hint.line + 1}) ${culprit} is computed in float16 (its op is not on autocast's float32 list) and overflows`
    : `In float16 (\`${hint.evidence}\`, line ${hint.line + 1}) every op of ${name} stores its result in float16: ${culprit} overflows`;
  const result = Number.isFinite(first.y16) ? `${num(first.y16)} instead of ${num(first.y64)}` : `${num(first.y16)} although its value (${num(first.y64)} at x = ${num(first.from)}) fits in float16`;
  const fix = stableForm(ctx, expr) ?? 'Computing it in float32 (cast the input up and the result back) avoids the overflow';
  return `${ctxText} (65504 is the largest float16) for ${where(sides)}, so ${formula} is ${result}. ${fix}.`;
}

export function float16OverflowRule(ctx: LintContext): LintFinding[] {
  if (ctx.ix.lang !== 'python') return [];
  const text = ctx.ix.text;
  const rs = regimes(text);
  if (rs.length === 0) return [];
  let defs: ReturnType<typeof customDefinitions>;
  try {
    defs = customDefinitions(text, 'python');
  } catch (e) {
    if (e instanceof Reject || e instanceof RangeError) return [];
    throw e;
  }
  if (defs.length === 0) return [];
  const toks: Token[] = tokenizePython(text);
  const out: LintFinding[] = [];
  for (const { def, recognition } of defs) {
    const t = toks[def.tok];
    if (!t || !isActivation(def.name, recognition.expr, recognition.params)) continue;
    for (const { regime, hint } of rs) {
      const sides = overflowOf(recognition.expr, recognition.params, regime).filter((s) => Math.abs(s.from) <= PLAUSIBLE_INPUT);
      if (sides.length === 0) continue;
      out.push({
        code: 'AI010',
        severity: 'information',
        start: t.start,
        end: t.end,
        fixes: [],
        target: { kind: 'explorer', id: 'softplus', framework: 'torch' },
        message: message(ctx, def.name, recognition.expr, regime, hint, sides),
      });
      break;
    }
  }
  return out;
}
