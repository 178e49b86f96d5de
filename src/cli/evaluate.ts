// `activation-inspector eval`: evaluate one framework's activation at points. The pure core
// (`evaluate`) is what the reference tests call, so the tests cover the CLI's code path.
import { parseNumberLiteral, resolve, type Resolved } from '../engine/activations/registry';
import { vectorEval } from '../engine/activations/defs/vector';
import type { ParamValue } from '../engine/activations/types';
import { jsonNumber } from '../engine/json';
import { checkEvalOutput, checkJacobian, JSON_BYTES_PER_NUMBER, LimitError, formatBytes, formatCount, type JacobianMode, type Limits } from '../engine/limits';
import { dtypeScalars } from '../engine/precision/evaluate';
import { DTYPES, type Dtype, isDtype } from '../engine/precision/round';
import { dtypeVector } from '../engine/precision/vector';
import { oneOf, UsageError, required, single } from './args';
import type { CommandSpec } from './command';
import { jsonText, outputStream, type CliIo } from './io';
import { limitsFrom, MAX_OUTPUT } from './limits';
import { evaluateExpr, exprToJson, exprToTable } from './expr';

export interface EvalRequest {
  readonly framework: string;
  readonly fn: string;
  /** Framework-spelled parameters; strings are parsed against each parameter's type. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly x: readonly number[];
  /**
   * Evaluate as the framework does in this dtype (default float64): x is first rounded to the
   * dtype, y/dy/d2y are the values the framework stores (src/engine/precision).
   */
  readonly dtype?: Dtype;
}

export interface ElementwiseResult {
  readonly framework: string;
  readonly fn: string;
  readonly params: Record<string, ParamValue | null>;
  readonly x: number[];
  readonly y: number[];
  readonly dy: number[];
  /** null where the framework has no second derivative. */
  readonly d2y: (number | null)[];
  /** Present when a dtype other than float64 was asked for; x is then rounded to it. */
  readonly dtype?: Dtype;
}

export interface VectorResultJson {
  readonly framework: string;
  readonly fn: string;
  readonly params: Record<string, ParamValue | null>;
  /** Present when a dtype other than float64 was asked for; x is then rounded to it. */
  readonly dtype?: Dtype;
  readonly x: number[];
  readonly y: number[];
  /** With a dtype: x.grad for grad_output = ones, as stored in the dtype. */
  readonly dy?: number[];
  /** The Jacobian (with a dtype: row i is x.grad for grad_output = e_i, in the dtype). */
  readonly jacobian: number[][];
}

export type EvalResult = ElementwiseResult | VectorResultJson;

export function evaluate(req: EvalRequest): EvalResult {
  const r = resolve(req.framework, req.fn, req.params);
  const params: Record<string, ParamValue | null> = {};
  for (const [k, v] of Object.entries(r.frameworkParams)) params[k] = v === 'None' ? null : v;
  const head = { framework: req.framework, fn: r.name, params };
  const def = r.entry.def;
  const dtype = req.dtype ?? 'float64';
  if (dtype !== 'float64') {
    if (def.kind === 'vector') {
      const e = dtypeVector(r.binding.framework, def.id, req.x, dtype);
      const jacobian = [...e.y].map((_, i) => {
        const row = new Float64Array(e.cols);
        e.row(i, row);
        return [...row];
      });
      return { ...head, dtype, x: [...e.x], y: [...e.y], dy: [...e.dy], jacobian };
    }
    const k = dtypeScalars(r.binding.framework, def.id, r.params, r.conventions, def.kernel(r.params, r.conventions), dtype);
    const x = req.x.map((v) => k.round(v));
    return { ...head, dtype, x, y: x.map((v) => k.f(v)), dy: x.map((v) => k.df(v)), d2y: x.map((v) => k.d2f(v)) };
  }
  if (def.kind === 'vector') {
    const out = def.apply(Float64Array.from(req.x), r.params, r.conventions);
    return { ...head, x: [...req.x], y: [...out.y], jacobian: out.jacobian.map((row) => [...row]) };
  }
  const k = def.kernel(r.params, r.conventions);
  const x = [...req.x];
  return {
    ...head,
    x,
    y: x.map((v) => k.f(v)),
    dy: x.map((v) => k.df(v)),
    d2y: x.map((v) => (k.hasSecond ? k.d2f(v) : null)),
  };
}

/** Parses `1,2,-3,inf` (or a JSON array's items) into numbers; errors name the bad item. */
export function parsePoints(items: readonly unknown[], where: string): number[] {
  return items.map((item, i) => {
    if (typeof item === 'number') return item;
    if (typeof item === 'string') {
      const n = parseNumberLiteral(item);
      if (n !== undefined) return n;
    }
    throw new UsageError(`${where}: item ${i + 1} (${JSON.stringify(item)}) is not a number or "inf", "-inf", "nan"`);
  });
}

/** `eval`: f, f′, f″ (or y and the Jacobian) of one framework's activation at points. */
export const EVAL: CommandSpec = {
  name: 'eval',
  summary: "f, f′, f″ (or y and the Jacobian for softmax-like functions) of one framework's activation, or of an expression in x (--expr), at the given points",
  options: [
    { name: 'framework', value: 'torch|keras|jax|tf|tfjs', help: 'whose spelling and defaults' },
    { name: 'fn', value: 'NAME', help: 'the activation as that framework names it' },
    { name: 'expr', value: '"x * sigmoid(beta * x)"', help: 'instead of --framework/--fn: a custom activation in Python syntax (its f′ and f″ are symbolic)' },
    { name: 'param', value: 'KEY=VALUE', repeatable: true, help: 'a parameter in the framework\'s spelling, or a named parameter of --expr' },
    { name: 'x', value: '1,2,3', help: 'the points (inf, -inf, nan allowed)' },
    { name: 'x-file', value: 'FILE.json', help: 'the points as a JSON array' },
    { name: 'jacobian', value: 'full|diag|none', help: 'vector functions: the n×n Jacobian (default, up to 1000 inputs), only ∂y[i]/∂x[i] ("jacobian_diag"), or none' },
    { name: 'dtype', value: DTYPES.join('|'), help: 'evaluate as the framework does in this dtype: x rounded to it, y, dy, d2y as stored (default float64); vector functions: y, dy (x.grad for grad_output = ones) and the Jacobian rows in the dtype' },
    MAX_OUTPUT,
    { name: 'json', help: 'print the JSON contract instead of a table' },
  ],
  usage: '(--framework torch|keras|jax|tf|tfjs --fn NAME | --expr EXPR) [--param KEY=VALUE]… (--x 1,2,3 | --x-file FILE.json) [--jacobian full|diag|none] [--dtype float64|float32|bfloat16|float16] [--max-output SIZE] [--json]',
  run(args, io) {
    const expr = single(args, 'expr');
    if (expr !== undefined && (args.options.has('framework') || args.options.has('fn'))) throw new UsageError('give either --expr or --framework/--fn, not both');
    const framework = expr === undefined ? required(args, 'framework') : '';
    const fn = expr === undefined ? required(args, 'fn') : '';
    const params: Record<string, ParamValue> = {};
    for (const kv of expr === undefined ? (args.options.get('param') ?? []) : []) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`--param expects KEY=VALUE, got "${kv}"`);
      const key = kv.slice(0, eq).trim();
      if (key in params) throw new UsageError(`--param ${key} given more than once`);
      params[key] = kv.slice(eq + 1);
    }
    const xs = single(args, 'x');
    const xFile = single(args, 'x-file');
    if ((xs === undefined) === (xFile === undefined)) throw new UsageError('give exactly one of --x 1,2,3 or --x-file FILE.json');
    let x: number[];
    if (xs !== undefined) {
      const items = xs.split(',').map((s) => s.trim());
      if (items.some((s) => s === '')) throw new UsageError(`--x: empty item in "${xs}"`);
      x = parsePoints(items, '--x');
    } else {
      let data: unknown;
      try {
        data = JSON.parse(io.readFile(xFile as string));
      } catch (e) {
        throw new UsageError(`--x-file ${xFile}: ${(e as Error).message}`);
      }
      if (!Array.isArray(data)) throw new UsageError(`--x-file ${xFile}: expected a JSON array of numbers`);
      x = parsePoints(data, `--x-file ${xFile}`);
    }
    if (x.length === 0) throw new UsageError('no points to evaluate');
    const dtype = single(args, 'dtype') ?? 'float64';
    if (!isDtype(dtype)) throw new UsageError(`--dtype must be one of ${DTYPES.join(', ')}, got "${dtype}"`);
    const limits = limitsFrom(args);
    if (expr !== undefined) {
      if (dtype !== 'float64') throw new UsageError('--dtype applies to the catalog\'s activations (--framework/--fn); --expr is evaluated in float64');
      const big = checkEvalOutput(x.length, 4, limits);
      if (big) throw new LimitError(big);
      const r = evaluateExpr({ expr, params: args.options.get('param') ?? [], x });
      io.out(args.flags.has('json') ? exprToJson(r) : exprToTable(r));
      return 0;
    }
    const r = resolve(framework, fn, params);
    if (dtype !== 'float64' && r.entry.def.kind !== 'vector') {
      const big = checkEvalOutput(x.length, 4, limits);
      if (big) throw new LimitError(big);
      const result = evaluate({ framework, fn, params, x, dtype });
      io.out(args.flags.has('json') ? toJson(result) : toTable(result));
      return 0;
    }
    const mode = oneOf(args, 'jacobian', ['full', 'diag', 'none'] as const);
    writeEval(io, { framework, r, x, mode, json: args.flags.has('json'), limits, dtype: dtype === 'float64' ? undefined : dtype });
    return 0;
  },
};

interface EvalOutput {
  readonly framework: string;
  readonly r: Resolved;
  readonly x: readonly number[];
  readonly mode: JacobianMode | undefined;
  readonly json: boolean;
  readonly limits: Limits;
  /** Vector functions: evaluate in this dtype (x rounded to it; "dtype" and "dy" printed). */
  readonly dtype?: Exclude<Dtype, 'float64'>;
}

/** Framework-spelled parameters as printed (Python's None is JSON's null). */
function shownParams(r: Resolved): Record<string, ParamValue | null> {
  const params: Record<string, ParamValue | null> = {};
  for (const [k, v] of Object.entries(r.frameworkParams)) params[k] = v === 'None' ? null : v;
  return params;
}

/**
 * Checks the result's size against the limits, then streams it: a Jacobian row after row,
 * points in chunks — never one n²-sized string. The JSON is the same text `toJson` gives.
 */
export function writeEval(io: CliIo, o: EvalOutput): void {
  const def = o.r.entry.def;
  const n = o.x.length;
  if (def.kind !== 'vector' && o.mode !== undefined) {
    throw new UsageError(`--jacobian is for vector functions (softmax, log_softmax, softmin, glu, sparsemax); ${o.r.name} is elementwise (it prints f′ as "dy")`);
  }
  const mode: JacobianMode = o.mode ?? 'full';
  let numbers: number;
  if (def.kind === 'vector') {
    const refusal = checkJacobian(n, mode, o.limits);
    if (refusal) throw new LimitError(refusal);
    const m = def.outputLength(n);
    numbers = n + m + (o.dtype ? n : 0) + (mode === 'full' ? m * n : mode === 'diag' ? m : 0);
  } else numbers = 4 * n;
  // Text tables spend a 24-character cell per number, JSON at most 25 bytes.
  const bytes = numbers * JSON_BYTES_PER_NUMBER;
  if (bytes > o.limits.maxOutputBytes) {
    throw new LimitError(`${formatCount(n)} points give ${formatCount(numbers)} numbers (up to ${formatBytes(bytes)}); the limit is ${formatBytes(o.limits.maxOutputBytes)} — use fewer points${def.kind === 'vector' && mode !== 'none' ? ', --jacobian diag or none' : ''}, or set --max-output to override`);
  }
  const s = outputStream(io);
  const num = (v: number | null): string => (v === null ? 'null' : JSON.stringify(jsonNumber(v)));
  const cell = (v: number | null): string => (v === null ? '—' : String(v)).padStart(24);
  const arr = (len: number, at: (i: number) => number | null): void => {
    s.put('[');
    for (let i = 0; i < len; i++) s.put(i ? `,${num(at(i))}` : num(at(i)));
    s.put(']');
  };
  const params = shownParams(o.r);
  const dtype = def.kind === 'vector' ? o.dtype : undefined;
  if (o.json) s.put(`{"framework":${JSON.stringify(o.framework)},"fn":${JSON.stringify(o.r.name)},"params":${jsonText(params)},${dtype ? `"dtype":"${dtype}",` : ''}"x":`);
  else s.put(`${o.framework} ${o.r.name}(${Object.entries(params).map(([k, v]) => `${k}=${v === null ? 'None' : String(v)}`).join(', ')})${dtype ? ` in ${dtype}` : ''}\n`);
  if (def.kind === 'vector') {
    const d = dtype ? dtypeVector(o.r.binding.framework, def.id, o.x, dtype) : undefined;
    const e = d ?? vectorEval(def.id, Float64Array.from(o.x));
    const x: ArrayLike<number> = d ? d.x : o.x;
    const m = e.y.length;
    if (o.json) {
      arr(n, (i) => x[i] as number);
      s.put(',"y":');
      arr(m, (i) => e.y[i] as number);
      if (d) {
        s.put(',"dy":');
        arr(n, (i) => d.dy[i] as number);
      }
      if (mode === 'diag') {
        s.put(',"jacobian_diag":');
        arr(m, (i) => e.diag(i));
      } else if (mode === 'full') {
        s.put(',"jacobian":[');
        const row = new Float64Array(e.cols);
        for (let i = 0; i < m; i++) {
          e.row(i, row);
          if (i) s.put(',');
          arr(e.cols, (j) => row[j] as number);
        }
        s.put(']');
      }
      s.put('}');
    } else {
      s.put(`${'x'.padStart(24)}${d ? 'dy (grad_output = 1)'.padStart(24) : ''}\n`);
      for (let i = 0; i < n; i++) s.put(`${cell(x[i] as number)}${d ? cell(d.dy[i] as number) : ''}\n`);
      s.put(`${'y'.padStart(24)}${mode === 'diag' ? '∂y[i]/∂x[i]'.padStart(24) : ''}\n`);
      for (let i = 0; i < m; i++) s.put(`${cell(e.y[i] as number)}${mode === 'diag' ? cell(e.diag(i)) : ''}\n`);
      if (mode === 'full') {
        s.put('Jacobian ∂y[i]/∂x[j]:\n');
        const row = new Float64Array(e.cols);
        for (let i = 0; i < m; i++) {
          e.row(i, row);
          let line = '';
          for (let j = 0; j < e.cols; j++) line += cell(row[j] as number);
          s.put(`${line}\n`);
        }
      }
    }
    s.end(o.json);
    return;
  }
  const k = def.kernel(o.r.params, o.r.conventions);
  const x = o.x;
  if (o.json) {
    arr(n, (i) => x[i] as number);
    s.put(',"y":');
    arr(n, (i) => k.f(x[i] as number));
    s.put(',"dy":');
    arr(n, (i) => k.df(x[i] as number));
    s.put(',"d2y":');
    arr(n, (i) => (k.hasSecond ? k.d2f(x[i] as number) : null));
    s.put('}');
  } else {
    s.put(`${'x'.padStart(24)}${'f(x)'.padStart(24)}${"f'(x)".padStart(24)}${"f''(x)".padStart(24)}\n`);
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      s.put(`${cell(v)}${cell(k.f(v))}${cell(k.df(v))}${cell(k.hasSecond ? k.d2f(v) : null)}\n`);
    }
  }
  s.end(o.json);
}

/** The `eval --json` contract: keys in this order, non-finite numbers as strings. */
export function toJson(r: EvalResult): string {
  const { framework, fn, params, x, y } = r;
  if ('jacobian' in r) {
    if (r.dtype !== undefined) return jsonText({ framework, fn, params, dtype: r.dtype, x, y, dy: r.dy, jacobian: r.jacobian });
    return jsonText({ framework, fn, params, x, y, jacobian: r.jacobian });
  }
  const dtype = r.dtype !== undefined ? { dtype: r.dtype } : {};
  return jsonText({ framework, fn, params, ...dtype, x, y, dy: r.dy, d2y: r.d2y });
}

function toTable(r: EvalResult): string {
  const p = Object.entries(r.params)
    .map(([k, v]) => `${k}=${v === null ? 'None' : String(v)}`)
    .join(', ');
  const lines = [`${r.framework} ${r.fn}(${p})${'dtype' in r && r.dtype ? ` in ${r.dtype}` : ''}`];
  const w = 24;
  const cell = (v: number | null): string => (v === null ? '—' : String(v)).padStart(w);
  if ('jacobian' in r) {
    lines.push(`${'x'.padStart(w)}${'y'.padStart(w)}`);
    r.x.forEach((x, i) => lines.push(`${cell(x)}${cell(r.y[i] ?? NaN)}`));
    lines.push('Jacobian ∂y[i]/∂x[j]:');
    for (const row of r.jacobian) lines.push(row.map((v) => cell(v)).join(''));
  } else {
    lines.push(`${'x'.padStart(w)}${'f(x)'.padStart(w)}${"f'(x)".padStart(w)}${"f''(x)".padStart(w)}`);
    r.x.forEach((x, i) => lines.push(`${cell(x)}${cell(r.y[i] ?? NaN)}${cell(r.dy[i] ?? NaN)}${cell(r.d2y[i] ?? null)}`));
  }
  return lines.join('\n');
}

