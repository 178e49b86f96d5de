// `activation-inspector eval --expr "EXPR"`: a custom activation typed as an expression in x,
// evaluated with its symbolic f′ and f″. The pure core (`evaluateExpr`) is what tests call.
import { parseNumberLiteral } from '../engine/activations/registry';
import { ExprSyntaxError, analyzeExpr, compileActivation, paramNames, parseExpr } from '../engine/symbolic';
import type { CustomActivation } from '../engine/symbolic';
import { UsageError } from './args';
import { jsonText } from './io';

export interface ExprEvalRequest {
  readonly expr: string;
  /** `NAME=VALUE` strings as given to --param. */
  readonly params: readonly string[];
  readonly x: readonly number[];
}

export interface ExprEvalResult {
  readonly expr: string;
  readonly params: Readonly<Record<string, number>>;
  readonly x: number[];
  readonly y: number[];
  readonly dy: number[];
  readonly d2y: number[];
  readonly latex: { readonly f: string; readonly df: string; readonly d2f: string };
  /** Not in the JSON contract: the formulas in --expr syntax and the stability notes, for the table. */
  readonly text: { readonly f: string; readonly df: string; readonly d2f: string };
  readonly notes: readonly string[];
}

/** Parses the expression; a syntax error becomes one line that points at the column. */
export function parseForCli(expr: string): CustomActivation {
  try {
    return analyzeExpr(expr);
  } catch (e) {
    if (e instanceof ExprSyntaxError) throw new UsageError(`--expr: ${e.message}: ${pointAt(expr, e.column)}`);
    throw e;
  }
}

/** `x * (sigmoid(x)` with a ⟨here⟩ mark, kept on one line. */
function pointAt(src: string, column: number): string {
  const i = column - 1;
  return `${src.slice(0, i)}⟨here⟩${src.slice(i)}`;
}

/** `used`: the parameters the value needs; `known`: those --param may also name (the text's own). */
export function parseParams(items: readonly string[], used: readonly string[], known: readonly string[] = used): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kv of items) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects NAME=VALUE, got "${kv}"`);
    const name = kv.slice(0, eq).trim();
    const raw = kv.slice(eq + 1).trim();
    if (name in out) throw new UsageError(`--param ${name} given more than once`);
    if (!used.includes(name) && !known.includes(name)) {
      throw new UsageError(`--param ${name}: the expression has no parameter "${name}" (${known.length ? `its parameters: ${known.join(', ')}` : 'it has none'})`);
    }
    const v = parseNumberLiteral(raw);
    if (v === undefined || Number.isNaN(v)) throw new UsageError(`--param ${name} expects a number, got "${raw}"`);
    out[name] = v;
  }
  const missing = used.filter((n) => !(n in out));
  if (missing.length) {
    throw new UsageError(`--expr: unknown parameter${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} (give ${missing.map((n) => `--param ${n}=VALUE`).join(' ')}; x is the variable)`);
  }
  return out;
}

export function evaluateExpr(req: ExprEvalRequest): ExprEvalResult {
  const a = parseForCli(req.expr);
  // a parameter the text names but simplification dropped (b in (x - x)*b) may still be given
  const params = parseParams(req.params, a.params, [...new Set([...a.params, ...paramNames(parseExpr(req.expr))])].sort());
  const c = compileActivation(a, params);
  const x = [...req.x];
  return {
    expr: req.expr,
    params,
    x,
    y: x.map(c.f),
    dy: x.map(c.df),
    d2y: x.map(c.d2f),
    latex: a.latex,
    text: a.text,
    notes: a.notes.map((n) => n.message),
  };
}

/** The JSON contract: {"expr","params","x","y","dy","d2y","latex":{"f","df","d2f"}}. */
export function exprToJson(r: ExprEvalResult): string {
  return jsonText({ expr: r.expr, params: r.params, x: r.x, y: r.y, dy: r.dy, d2y: r.d2y, latex: r.latex });
}

export function exprToTable(r: ExprEvalResult): string {
  const lines = [`f(x)   = ${r.text.f}`, `f'(x)  = ${r.text.df}`, `f''(x) = ${r.text.d2f}`];
  const ps = Object.entries(r.params);
  if (ps.length) lines.push(`with ${ps.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  const w = 24;
  const cell = (v: number): string => String(v).padStart(w);
  lines.push(`${'x'.padStart(w)}${'f(x)'.padStart(w)}${"f'(x)".padStart(w)}${"f''(x)".padStart(w)}`);
  r.x.forEach((x, i) => lines.push(`${cell(x)}${cell(r.y[i] as number)}${cell(r.dy[i] as number)}${cell(r.d2y[i] as number)}`));
  return lines.join('\n');
}
