// `activation-inspector train --spec FILE.json [--precision float64|float32] [--diagnostics N] [--json]`
// `activation-inspector train --experiment FILE.json [--json]`
// Trains one spec (an entry of the reference's trainings[], `expect` ignored) in this process
// and prints the result, or runs an experiment and prints its table. Exit codes: 0 done (also
// when the training diverged — that is a result, reported in "diverged"), 2 bad arguments or
// a bad spec (one line on stderr), 3 internal error.
import { dirname, resolve as resolvePath } from 'node:path';
import type { TrainingResult, TrainingSnapshot } from '../engine/train/snapshot';
import { parseTrainingSpec, SpecError, type TrainingSpec } from '../engine/train/spec';
import { Trainer, trainWithDiagnostics } from '../engine/train/trainer';
import { formatExperimentTable, parseExperiment, runExperiment } from '../engine/train/experiments';
import { oneOf, positiveInt, single, UsageError } from './args';
import { runCommand, type CommandSpec } from './command';
import { jsonText, processIo, readFailure, type CliIo } from './io';
import { checkTraining, CLI_HINTS, LimitError, type Limits } from '../engine/limits';
import { trainingShape } from '../engine/train/setup';
import { limitsFrom, MAX_MEMORY, MAX_OUTPUT, MAX_WORK } from './limits';

/** CLI output keys, in the reference's `expect` layout. */
const RESULT_KEYS = [
  'loss_per_step',
  'grads_step0_flat',
  'weight_grad_norm_step0',
  'final_params_flat',
  'final_loss',
  'final_accuracy',
  'final_dead_fraction_per_hidden_layer',
  'elapsed_ms',
] as const;

/** Reads and validates the spec file (a trainings[] entry, or a file with trainings[] and --id). */
function readJson(path: string, what: string, io: CliIo): unknown {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    throw new SpecError(`cannot read ${what} file ${path}: ${readFailure(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SpecError(`${what} file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Inlines a CSV data file named relative to the spec file (raw spec JSON). */
function inlineCsv(raw: unknown, specPath: string, io: CliIo): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const data = (raw as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return raw;
  const d = data as { kind?: unknown; path?: unknown; text?: unknown };
  if (d.kind !== 'csv' || typeof d.path !== 'string' || d.text !== undefined) return raw;
  const csvPath = resolvePath(dirname(specPath), d.path);
  try {
    return { ...raw, data: { ...d, text: io.readFile(csvPath) } };
  } catch (e) {
    throw new SpecError(`cannot read CSV file ${csvPath}: ${readFailure(e)}`);
  }
}

export function loadSpecFile(path: string, id?: string, io: CliIo = processIo): TrainingSpec {
  let raw = readJson(path, 'spec', io);
  if (typeof raw === 'object' && raw !== null && Array.isArray((raw as { trainings?: unknown }).trainings)) {
    const list = (raw as { trainings: { id?: unknown }[] }).trainings;
    const ids = list.map((t) => String(t.id));
    if (!id) throw new SpecError(`${path} holds ${list.length} trainings; choose one with --id (${ids.join(', ')})`);
    const hit = list.find((t) => t.id === id);
    if (!hit) throw new SpecError(`${path} has no training "${id}" (ids: ${ids.join(', ')})`);
    raw = hit;
  }
  return parseTrainingSpec(inlineCsv(raw, path, io));
}

/** Runs an experiment file ({"base", "factor", "values"}) and returns its table and rows. */
export function runExperimentFile(path: string, precision?: 'float64' | 'float32', io: CliIo = processIo): { json: string; table: string } {
  const exp = parseExperiment(readJson(path, 'experiment', io));
  const base = inlineCsv(exp.base, path, io) as Record<string, unknown>;
  const rows = runExperiment({ ...exp, base }, precision);
  return { json: jsonText({ factor: exp.factor, rows }), table: formatExperimentTable(exp.factor, rows) };
}

/** Runs the training for the CLI and returns the result object it prints. */
export function runSpecFile(path: string, opts: { id?: string; precision?: 'float64' | 'float32' } = {}): TrainingResult {
  const spec = loadSpecFile(path, opts.id);
  return trainLoaded(spec, opts.precision);
}

function trainLoaded(spec: TrainingSpec, precision?: 'float64' | 'float32', limits?: Limits): TrainingResult {
  const trainer = new Trainer(spec, { precision, ...(limits ? { limits, hints: CLI_HINTS } : {}) });
  trainer.run();
  return trainer.result();
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED = 130;

/**
 * Trains in slices (each ~50 ms) and yields to the event loop between them, so Ctrl-C is
 * heard and, when stderr is a terminal, a progress line is redrawn about twice a second.
 * Returns null when interrupted (after one line on stderr).
 */
async function trainInterruptible(spec: TrainingSpec, io: CliIo, precision: 'float64' | 'float32' | undefined, limits: Limits): Promise<TrainingResult | null> {
  const trainer = new Trainer(spec, { precision, limits, hints: CLI_HINTS });
  let interrupted = false;
  const off = io.onInterrupt?.(() => (interrupted = true));
  try {
    let slice = 1;
    let shown = 0;
    while (!trainer.done && !interrupted) {
      const t0 = performance.now();
      trainer.run(slice);
      const t1 = performance.now();
      if (t1 - t0 < 25 && slice < 1 << 20) slice *= 2;
      if (io.progress && t1 - shown > 500) {
        shown = t1;
        const l = trainer.losses;
        io.err(`\rstep ${trainer.step}/${spec.steps} (${((100 * trainer.step) / spec.steps).toFixed(0)}%)  loss ${fmt(l[l.length - 1])}\x1b[K\x1b[1A`);
      }
      await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    off?.();
    if (io.progress) io.err('\r\x1b[K\x1b[1A');
  }
  if (interrupted && !trainer.done) {
    io.err(`interrupted at step ${trainer.step} of ${spec.steps}; nothing printed`);
    return null;
  }
  return trainer.result();
}

/** Picks the documented keys (plus `diverged` when it happened), non-finite numbers as strings. */
export function resultJson(r: TrainingResult, diagnostics?: readonly TrainingSnapshot[]): string {
  const o: Record<string, unknown> = {};
  for (const k of RESULT_KEYS) o[k] = r[k];
  if (r.diverged) o.diverged = r.diverged;
  if (r.test_loss !== undefined) {
    o.test_loss = r.test_loss;
    o.test_accuracy = r.test_accuracy;
  }
  if (diagnostics) o.diagnostics = diagnostics;
  return jsonText(o);
}

function summary(r: TrainingResult, spec: string): string {
  const l = r.loss_per_step;
  const lines = [
    `${spec}: ${l.length} steps in ${r.elapsed_ms.toFixed(1)} ms`,
    `  loss ${fmt(l[0])} → ${fmt(l[l.length - 1])} (final, whole set: ${fmt(r.final_loss)})`,
  ];
  if (r.final_accuracy !== null) lines.push(`  accuracy ${(r.final_accuracy * 100).toFixed(1)}%`);
  lines.push(`  dead units per hidden layer: ${r.final_dead_fraction_per_hidden_layer.map((d) => `${(d * 100).toFixed(0)}%`).join(', ') || '—'}`);
  lines.push(`  weight-gradient norm at step 0, input → output: ${r.weight_grad_norm_step0.map((g) => g.toExponential(2)).join(', ')}`);
  if (r.diverged) lines.push(`  ${r.diverged.reason}`);
  return lines.join('\n');
}

function snapshotLine(s: TrainingSnapshot): string {
  const layers = s.layers.map((L) => `L${L.layer} dead ${(L.deadFraction * 100).toFixed(0)}% sat ${(L.saturationFraction * 100).toFixed(0)}% |∇W| ${L.weightGradNorm.toExponential(1)}`).join('; ');
  return `  step ${String(s.step).padStart(5)}  loss ${fmt(s.trainLoss)}${s.trainAccuracy === null ? '' : `  acc ${(s.trainAccuracy * 100).toFixed(1)}%`}  ${layers}`;
}

function fmt(v: number | undefined): string {
  return v === undefined ? '—' : Number.isFinite(v) ? v.toPrecision(6) : String(v);
}

/** `train`: one mini-training (or an experiment) in this process. */
export const TRAIN: CommandSpec = {
  name: 'train',
  summary: "replay a mini-training (the reference's trainings[] format) and print its results, or run an experiment and print its table",
  options: [
    { name: 'spec', value: 'FILE.json', help: 'one training, or a file with trainings[] (then --id)' },
    { name: 'id', value: 'ID', help: 'which of the file\'s trainings[]' },
    { name: 'experiment', value: 'FILE.json', help: 'an experiment {"base", "factor", "values"}' },
    { name: 'precision', value: 'float64|float32', help: 'arithmetic precision (default float64)' },
    { name: 'diagnostics', value: 'N', help: 'a snapshot every N steps' },
    { name: 'json', help: 'print the reference\'s expect layout' },
    MAX_MEMORY,
    MAX_OUTPUT,
    MAX_WORK,
  ],
  usage: '--spec FILE.json [--id ID] [--precision float64|float32] [--diagnostics N] [--max-memory SIZE] [--max-output SIZE] [--max-work N] [--json] | --experiment FILE.json [--json]',
  async run(args, io) {
    const limits = limitsFrom(args);
    const precision = oneOf(args, 'precision', ['float64', 'float32'] as const);
    const diagnostics = positiveInt(args, 'diagnostics', 'steps between snapshots');
    const json = args.flags.has('json');
    const experiment = single(args, 'experiment');
    if (experiment) {
      const r = runExperimentFile(experiment, precision, io);
      io.out(json ? r.json : r.table);
      return 0;
    }
    const specPath = single(args, 'spec');
    if (!specPath) throw new UsageError('--spec FILE.json (or --experiment FILE.json) is required');
    const spec = loadSpecFile(specPath, single(args, 'id'), io);
    // Every limit is checked before the data is generated or a buffer allocated.
    const snapshots = diagnostics ? Math.ceil(spec.steps / diagnostics) + 2 : 0;
    const refusal = checkTraining(trainingShape(spec, { precision, snapshots, printsJson: json }), limits);
    if (refusal) throw new LimitError(refusal);
    if (diagnostics) {
      const r = trainWithDiagnostics(spec, diagnostics, { precision, limits, hints: CLI_HINTS });
      io.out(json ? resultJson(r.result, r.snapshots) : [summary(r.result, specPath), ...r.snapshots.map(snapshotLine)].join('\n'));
      if (r.result.diverged && json) io.err(r.result.diverged.reason);
      return 0;
    }
    const result = await trainInterruptible(spec, io, precision, limits);
    if (!result) return INTERRUPTED;
    io.out(json ? resultJson(result) : summary(result, specPath));
    if (result.diverged && json) io.err(result.diverged.reason);
    return 0;
  },
};

/** Runs `train` from argv (after the subcommand); returns the exit code. */
export function trainCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCommand(TRAIN, argv, io);
}
