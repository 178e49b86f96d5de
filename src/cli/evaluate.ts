// `activation-inspector eval`: evaluate one framework's activation at points. The pure core
// (`evaluate`) is what the reference tests call, so the tests cover the CLI's code path.
import { parseNumberLiteral, resolve } from '../engine/activations/registry';
import type { ParamValue } from '../engine/activations/types';
import { UsageError, required, single } from './args';
import type { CommandSpec } from './command';
import { jsonText } from './io';

export interface EvalRequest {
  readonly framework: string;
  readonly fn: string;
  /** Framework-spelled parameters; strings are parsed against each parameter's type. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly x: readonly number[];
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
}

export interface VectorResultJson {
  readonly framework: string;
  readonly fn: string;
  readonly params: Record<string, ParamValue | null>;
  readonly x: number[];
  readonly y: number[];
  readonly jacobian: number[][];
}

export type EvalResult = ElementwiseResult | VectorResultJson;

export function evaluate(req: EvalRequest): EvalResult {
  const r = resolve(req.framework, req.fn, req.params);
  const params: Record<string, ParamValue | null> = {};
  for (const [k, v] of Object.entries(r.frameworkParams)) params[k] = v === 'None' ? null : v;
  const head = { framework: req.framework, fn: req.fn, params };
  const def = r.entry.def;
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
  summary: "f, f′, f″ (or y and the Jacobian for softmax-like functions) of one framework's activation at the given points",
  options: [
    { name: 'framework', value: 'torch|keras|jax|tf|tfjs', help: 'whose spelling and defaults' },
    { name: 'fn', value: 'NAME', help: 'the activation as that framework names it' },
    { name: 'param', value: 'KEY=VALUE', repeatable: true, help: 'a parameter in the framework\'s spelling' },
    { name: 'x', value: '1,2,3', help: 'the points (inf, -inf, nan allowed)' },
    { name: 'x-file', value: 'FILE.json', help: 'the points as a JSON array' },
    { name: 'json', help: 'print the JSON contract instead of a table' },
  ],
  usage: '--framework torch|keras|jax|tf|tfjs --fn NAME [--param KEY=VALUE]… (--x 1,2,3 | --x-file FILE.json) [--json]',
  run(args, io) {
    const framework = required(args, 'framework');
    const fn = required(args, 'fn');
    const params: Record<string, ParamValue> = {};
    for (const kv of args.options.get('param') ?? []) {
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

    const result = evaluate({ framework, fn, params, x });
    io.out(args.flags.has('json') ? toJson(result) : toTable(result));
    return 0;
  },
};

/** The `eval --json` contract: keys in this order, non-finite numbers as strings. */
export function toJson(r: EvalResult): string {
  const { framework, fn, params, x, y } = r;
  return jsonText('jacobian' in r ? { framework, fn, params, x, y, jacobian: r.jacobian } : { framework, fn, params, x, y, dy: r.dy, d2y: r.d2y });
}

function toTable(r: EvalResult): string {
  const p = Object.entries(r.params)
    .map(([k, v]) => `${k}=${v === null ? 'None' : String(v)}`)
    .join(', ');
  const lines = [`${r.framework} ${r.fn}(${p})`];
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

