// The explorer's "Custom…" curve: an expression typed by hand, its parameters (one slider
// each) and its evaluators. Pure (no DOM): the page renders what `customModel` returns.
// Evaluation uses the symbolic core's closure back end: the webview CSP has no
// 'unsafe-eval', so generated code is never an option here.
import { ExprSyntaxError, analyzeExpr, compileActivation } from '../../engine/symbolic';
import type { CustomActivation, ScalarFn } from '../../engine/symbolic';
import { type CustomState, MAX_EXPR_LENGTH, MAX_PARAMS } from '../../shared/protocol';

export { type CustomState, isCustomState, MAX_EXPR_LENGTH, MAX_PARAMS } from '../../shared/protocol';

export const DEFAULT_CUSTOM_EXPR = 'x * sigmoid(beta * x)';
/** A new parameter starts here; 1 is neutral for scales, exponents and slopes alike. */
export const DEFAULT_PARAM_VALUE = 1;

export function defaultCustomState(): CustomState {
  return { expr: DEFAULT_CUSTOM_EXPR, params: {}, open: true };
}

export interface CustomSlider {
  readonly name: string;
  readonly value: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

export type CustomModel =
  | {
      readonly ok: true;
      readonly analysis: CustomActivation;
      /** One per parameter the expression uses, sorted by name. */
      readonly sliders: readonly CustomSlider[];
      /** Parameter values bound into the evaluators. */
      readonly values: Readonly<Record<string, number>>;
      readonly f: ScalarFn;
      readonly df: ScalarFn;
      readonly d2f: ScalarFn;
      /** "custom: x*sigmoid(beta*x) (beta=1.5)" */
      readonly label: string;
    }
  | {
      readonly ok: false;
      /** 1-based column of the offending token, when the text does not parse. */
      readonly column?: number;
      readonly reason: string;
      /** One line for the status and the alert. */
      readonly message: string;
    };

/**
 * Slider bounds: [−5, 5] unless the value lies outside, then widened to include it with room
 * to spare; 400 steps.
 */
export function sliderFor(name: string, value: number): CustomSlider {
  const min = Math.min(-5, value < 0 ? 2 * value : -5);
  const max = Math.max(5, value > 0 ? 2 * value : 5);
  const step = Number(((max - min) / 400).toPrecision(2));
  return { name, value, min, max, step };
}

const short = (v: number): string => String(Number(v.toPrecision(6)));

let last: { source: string; analysis: CustomActivation } | undefined;
/** Slider frames re-bind parameters only: the text is analysed once per edit. */
function analyzeCached(source: string): CustomActivation {
  if (last?.source !== source) last = { source, analysis: analyzeExpr(source) };
  return last.analysis;
}

/** Parses, analyses and binds the custom curve; never throws. */
export function customModel(s: CustomState): CustomModel {
  const text = s.expr.trim();
  if (!text) return { ok: false, reason: 'type an expression in x', message: 'Type an expression in x, e.g. x * sigmoid(beta * x).' };
  if (s.expr.length > MAX_EXPR_LENGTH) return { ok: false, reason: `longer than ${MAX_EXPR_LENGTH} characters`, message: `The expression is longer than ${MAX_EXPR_LENGTH} characters.` };
  let analysis: CustomActivation;
  try {
    analysis = analyzeCached(s.expr);
  } catch (e) {
    if (e instanceof ExprSyntaxError) return { ok: false, column: e.column, reason: e.reason, message: `${e.reason} at column ${e.column}` };
    const m = (e as Error).message;
    return { ok: false, reason: m, message: m };
  }
  if (analysis.params.length > MAX_PARAMS) {
    return { ok: false, reason: `more than ${MAX_PARAMS} parameters`, message: `At most ${MAX_PARAMS} parameters (this has ${analysis.params.length}).` };
  }
  const values: Record<string, number> = {};
  for (const n of analysis.params) values[n] = s.params[n] ?? DEFAULT_PARAM_VALUE;
  let fns;
  try {
    fns = compileActivation(analysis, values, 'closure');
  } catch (e) {
    const m = (e as Error).message;
    return { ok: false, reason: m, message: m };
  }
  const sliders = analysis.params.map((n) => sliderFor(n, values[n] as number));
  const ps = analysis.params.map((n) => `${n}=${short(values[n] as number)}`).join(', ');
  return { ok: true, analysis, sliders, values, f: fns.f, df: fns.df, d2f: fns.d2f, label: `custom: ${analysis.text.f}${ps ? ` (${ps})` : ''}` };
}

/** The marker line under the text: spaces up to the column, then a caret. */
export function caretLine(column: number): string {
  return ' '.repeat(Math.max(0, column - 1)) + '^';
}
