// `activation-inspector probe | python-path | runs`: the real model's activations, through the
// Python package shipped in python/ (src/probe runs it). Exit codes: 0 ok, 2 usage errors and
// errors in the user's code (one line on stderr naming file:line; the traceback with --verbose).
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { toJsonSafe } from '../engine/json';
import { parseArgs, required, single, UsageError } from './args';
import { defaultInterpreter, pythonPackageDir, runProbe, type ProbeOutcome, type ProbeRequest } from '../probe/python';
import { readRuns, resolveRunsDir } from '../probe/runs';
import type { ProbeSite } from '../probe/types';

export const PROBE_USAGE = `  probe FILE --model NAME|EXPR --input-shape DIMS [--batch FN] [--criterion EXPR] [--python PATH]
        [--seed N] [--timeout SECONDS] [--verbose] [--json]
      run the PyTorch model in FILE once (forward and backward) and report every activation site
  python-path                            the folder to put on PYTHONPATH for activation_inspector.watch
  runs --dir DIR [--json]                runs logged by activation_inspector.watch, per site and step`;

export interface ProbeIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly run: (req: ProbeRequest) => Promise<ProbeOutcome>;
}

const line = (s: string): string => (s.endsWith('\n') ? s : `${s}\n`);
const defaultIo: ProbeIo = {
  out: (s) => void process.stdout.write(line(s)),
  err: (s) => void process.stderr.write(line(s)),
  env: process.env,
  cwd: process.cwd(),
  run: runProbe,
};

/** --python, else $ACTIVATION_INSPECTOR_PYTHON, else the first python3 (PATH, /usr/bin) with torch. */
export function chooseInterpreter(given: string | undefined, env: NodeJS.ProcessEnv): string {
  return given ?? (env.ACTIVATION_INSPECTOR_PYTHON || undefined) ?? defaultInterpreter(env);
}

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);
const sci = (v: number | null): string => (v === null ? '—' : v.toExponential(2));

function table(sites: ProbeSite[], cwd: string): string[] {
  const rows = sites.map((s) => [
    `${s.file ? relative(cwd, s.file) || s.file : '?'}:${s.line ?? '?'}`,
    s.name,
    s.kind,
    `dead ${pct(s.dead_fraction)}`,
    `sat ${pct(s.saturated_fraction)}`,
    `zero ${pct(s.zero_fraction)}`,
    `‖g‖ ${sci(s.grad_norm)}`,
    s.nan || s.inf ? `NaN ${s.nan} Inf ${s.inf}` : '',
  ]);
  const widths = rows.reduce((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), [] as number[]);
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

export async function probeCommand(argv: string[], io: ProbeIo = defaultIo): Promise<number> {
  const args = parseArgs(argv, { values: ['model', 'input-shape', 'batch', 'criterion', 'python', 'seed', 'timeout'], flags: ['json', 'verbose'] });
  if (args.positional.length !== 1) throw new UsageError('probe needs exactly one FILE (a .py file defining the model)');
  const file = args.positional[0] as string;
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  const model = required(args, 'model');
  const inputShape = single(args, 'input-shape');
  const batch = single(args, 'batch');
  if (inputShape === undefined && batch === undefined) throw new UsageError('--input-shape is required (e.g. --input-shape 8,3,32,32), or --batch FUNCTION');
  if (inputShape !== undefined && !/^\s*[[(]?\s*\d+(\s*[,x]\s*\d+)*\s*[\])]?\s*(;\s*[[(]?\s*\d+(\s*[,x]\s*\d+)*\s*[\])]?\s*)*$/.test(inputShape)) {
    throw new UsageError(`--input-shape ${JSON.stringify(inputShape)}: expected positive integers like 8,3,32,32 (several inputs separated by ;)`);
  }
  const seedText = single(args, 'seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed ${seedText}: expected an integer`);
  const timeoutText = single(args, 'timeout');
  const timeout = timeoutText === undefined ? 120 : Number(timeoutText);
  if (!(timeout > 0) || !Number.isFinite(timeout)) throw new UsageError(`--timeout ${timeoutText}: expected a positive number of seconds`);
  const python = chooseInterpreter(single(args, 'python'), io.env);
  // The child runs in its own process group, so Ctrl-C in the terminal does not reach it:
  // pass SIGINT/SIGTERM on as a cancel, which kills the group.
  const cancel = new AbortController();
  const onSignal = (): void => cancel.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome: ProbeOutcome;
  try {
    outcome = await io.run({ python, file, model, inputShape, batch, criterion: single(args, 'criterion'), seed, cwd: io.cwd, timeoutMs: timeout * 1000, signal: cancel.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const verbose = args.flags.has('verbose');
  if (!outcome.ok) {
    const hint = outcome.noTorch ? '; choose an interpreter with torch: --python PATH or ACTIVATION_INSPECTOR_PYTHON' : '';
    io.err(`activation-inspector probe: ${outcome.error}${hint}`);
    if (verbose) {
      if (outcome.traceback) io.err(outcome.traceback);
      if (outcome.stderr) io.err(outcome.stderr);
    }
    return 2;
  }
  if (verbose && outcome.stderr) io.err(outcome.stderr);
  if (args.flags.has('json')) io.out(JSON.stringify(toJsonSafe(outcome.result)));
  else {
    const r = outcome.result;
    io.out(`${r.model}: ${r.sites.length} activation site${r.sites.length === 1 ? '' : 's'} (torch ${r.torch}, ${python})`);
    for (const l of table(r.sites, io.cwd)) io.out(l);
  }
  return 0;
}

export function pythonPathCommand(argv: string[], io: Pick<ProbeIo, 'out'> = defaultIo, from?: string): number {
  parseArgs(argv, { values: [], flags: [] });
  if (argv.length) throw new UsageError('python-path takes no arguments');
  const dir = pythonPackageDir(from);
  if (!dir) throw new UsageError('the activation_inspector Python package is missing from this installation (expected python/ beside dist/)');
  io.out(dir);
  return 0;
}

export function runsCommand(argv: string[], io: Pick<ProbeIo, 'out'> = defaultIo): number {
  const args = parseArgs(argv, { values: ['dir'], flags: ['json'] });
  if (args.positional.length) throw new UsageError(`runs takes no positional arguments (got ${args.positional.join(' ')}); use --dir DIR`);
  const dir = required(args, 'dir');
  const folder = resolveRunsDir(dir);
  if (!folder) throw new UsageError(`${dir}: no such folder`);
  const runs = readRuns(folder);
  if (args.flags.has('json')) {
    io.out(JSON.stringify(toJsonSafe(runs.map(({ path: _path, ...r }) => r))));
    return 0;
  }
  if (!runs.length) io.out(`no runs (*.jsonl) in ${folder}`);
  for (const r of runs) {
    const last = r.steps.length ? r.steps[r.steps.length - 1] : undefined;
    io.out(`${r.run}: ${r.steps.length} logged step${r.steps.length === 1 ? '' : 's'}${last !== undefined ? ` (last ${last})` : ''}${r.model ? `, ${r.model}` : ''}`);
    for (const s of r.sites) {
      const at = <T>(a: T[]): T | undefined => a[a.length - 1];
      io.out(`  ${s.file ?? '?'}:${s.line ?? '?'}  ${s.name}  ${s.kind}  dead ${pct(at(s.dead_fraction) ?? null)}  sat ${pct(at(s.saturated_fraction) ?? null)}  ‖g‖ ${sci(at(s.grad_norm) ?? null)}`);
    }
  }
  return 0;
}
