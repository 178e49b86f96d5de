// `activation-inspector probe | python-path | runs`: the real model's activations, through the
// Python package shipped in python/ (src/probe runs it). Exit codes: 0 ok, 2 usage errors and
// errors in the user's code (one line on stderr naming file:line; the traceback with --verbose).
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { required, single, UsageError, type ParsedArgs } from './args';
import type { CommandSpec } from './command';
import { jsonText, type CliIo } from './io';
import { defaultInterpreter, pythonPackageDir, runProbe, type ProbeOutcome, type ProbeRequest } from '../probe/python';
import { readRuns, resolveRunsDir } from '../probe/runs';
import type { ProbeSite } from '../probe/types';

/** What the probe commands need beyond the CLI's I/O (tests inject their own). */
export interface ProbeDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: () => string;
  readonly run: (req: ProbeRequest) => Promise<ProbeOutcome>;
  /** The folder python-path looks from (default: this bundle's). */
  readonly from?: string;
}

const processDeps: ProbeDeps = { env: process.env, cwd: () => process.cwd(), run: runProbe };

/** --python, else $ACTIVATION_INSPECTOR_PYTHON, else the first python3 (PATH, /usr/bin) with torch. */
export function chooseInterpreter(given: string | undefined, env: NodeJS.ProcessEnv): string {
  return given ?? (env.ACTIVATION_INSPECTOR_PYTHON || undefined) ?? defaultInterpreter(env);
}

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);
const sci = (v: number | null): string => (v === null ? '—' : v.toExponential(2));

/** Relative to the working directory when the file is under it, else absolute. */
function shortPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function table(sites: ProbeSite[], cwd: string): string[] {
  const rows = sites.map((s) => [
    `${s.file ? shortPath(cwd, s.file) : '?'}:${s.line ?? '?'}`,
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

async function probe(args: ParsedArgs, io: CliIo, deps: ProbeDeps): Promise<number> {
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
  const python = chooseInterpreter(single(args, 'python'), deps.env);
  // The child runs in its own process group, so Ctrl-C in the terminal does not reach it:
  // pass SIGINT/SIGTERM on as a cancel, which kills the group.
  const cancel = new AbortController();
  const onSignal = (): void => cancel.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome: ProbeOutcome;
  try {
    outcome = await deps.run({ python, file, model, inputShape, batch, criterion: single(args, 'criterion'), seed, cwd: deps.cwd(), timeoutMs: timeout * 1000, signal: cancel.signal });
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
  if (args.flags.has('json')) io.out(jsonText(outcome.result));
  else {
    const r = outcome.result;
    io.out(`${r.model}: ${r.sites.length} activation site${r.sites.length === 1 ? '' : 's'} (torch ${r.torch}, ${python})`);
    for (const l of table(r.sites, deps.cwd())) io.out(l);
  }
  return 0;
}

function pythonPath(io: CliIo, deps: ProbeDeps): number {
  const dir = pythonPackageDir(deps.from);
  if (!dir) throw new UsageError('the activation_inspector Python package is missing from this installation (expected python/ beside dist/)');
  io.out(dir);
  return 0;
}

function runs(args: ParsedArgs, io: CliIo): number {
  const dir = required(args, 'dir');
  const folder = resolveRunsDir(dir);
  if (!folder) throw new UsageError(`${dir}: no such folder`);
  const all = readRuns(folder);
  if (args.flags.has('json')) {
    io.out(jsonText(all.map(({ path: _path, ...r }) => r)));
    return 0;
  }
  if (!all.length) io.out(`no runs (*.jsonl) in ${folder}`);
  for (const r of all) {
    const last = r.steps.length ? r.steps[r.steps.length - 1] : undefined;
    io.out(`${r.run}: ${r.steps.length} logged step${r.steps.length === 1 ? '' : 's'}${last !== undefined ? ` (last ${last})` : ''}${r.model ? `, ${r.model}` : ''}`);
    for (const s of r.sites) {
      const at = <T>(a: T[]): T | undefined => a[a.length - 1];
      io.out(`  ${s.file ?? '?'}:${s.line ?? '?'}  ${s.name}  ${s.kind}  dead ${pct(at(s.dead_fraction) ?? null)}  sat ${pct(at(s.saturated_fraction) ?? null)}  ‖g‖ ${sci(at(s.grad_norm) ?? null)}`);
    }
  }
  return 0;
}

/** The three commands, over `deps` (tests inject a fake runner or another bundle folder). */
export function probeCommands(deps: ProbeDeps = processDeps): CommandSpec[] {
  return [
    {
      name: 'probe',
      summary: 'run the PyTorch model in FILE once (forward and backward) and report every activation site: dead, saturated and zero fractions, gradient norm, at the line that built or called it',
      positional: { name: 'FILE', min: 1, max: 1, missing: 'FILE is required (the .py file defining the model)' },
      usage: 'FILE --model NAME|EXPR (--input-shape DIMS | --batch FN) [--criterion EXPR] [--python PATH] [--seed N] [--timeout SECONDS] [--verbose] [--json]',
      options: [
        { name: 'model', value: 'NAME|EXPR', help: 'an nn.Module class, a factory function or an expression such as "Net(hidden=16)", in FILE\'s namespace' },
        { name: 'input-shape', value: 'DIMS', help: 'shape of the random normal batch: 8,3,32,32 (several inputs: 8,4;8,2); an input that feeds an nn.Embedding gets integer ids in range' },
        { name: 'batch', value: 'FN', help: 'instead of --input-shape: a function in FILE returning the batch (tensor, tuple of inputs, (input, target), {"input", "target"}, or a dict of keyword inputs)' },
        { name: 'criterion', value: 'EXPR', help: 'loss: criterion(output, target) or criterion(output); default output.mean()' },
        { name: 'python', value: 'PATH', help: 'the interpreter (default: $ACTIVATION_INSPECTOR_PYTHON, else the first python3 with torch)' },
        { name: 'seed', value: 'N', help: 'torch.manual_seed before building the model and the batch (default 0)' },
        { name: 'timeout', value: 'SECONDS', help: 'kill the Python process group after this long (default 120)' },
        { name: 'verbose', help: 'on errors, the full traceback and the program\'s own output' },
        { name: 'json', help: 'print {"sites": [{"name","kind","file","line","shape","dead_fraction","zero_fraction","saturated_fraction","mean","std","grad_norm","nan","inf","histogram",…}]}' },
      ],
      run: (args, io) => probe(args, io, deps),
    },
    {
      name: 'python-path',
      summary: 'the folder to put on PYTHONPATH for `from activation_inspector import watch`',
      options: [],
      run: (_args, io) => pythonPath(io, deps),
    },
    {
      name: 'runs',
      usage: '--dir DIR [--json]',
      summary: 'runs logged by activation_inspector.watch: per site, dead/saturated fractions and gradient norms over the logged steps',
      options: [
        { name: 'dir', value: 'DIR', help: 'the runs folder (or a folder holding runs/ or .activation-inspector/runs/)' },
        { name: 'json', help: 'print [{"run","steps":[…],"sites":[{"name","kind","file","line","dead_fraction":[…],"saturated_fraction":[…],"grad_norm":[…]}]}]' },
      ],
      run: (args, io) => runs(args, io),
    },
  ];
}
