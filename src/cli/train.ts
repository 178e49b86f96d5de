// `activation-inspector train --spec FILE.json [--precision float64|float32] [--diagnostics N] [--json]`
// `activation-inspector train --experiment FILE.json [--json]`
// Trains one spec (an entry of the reference's trainings[], `expect` ignored) in this process
// and prints the result, or runs an experiment and prints its table. Exit codes: 0 done (also
// when the training diverged — that is a result, reported in "diverged"), 2 bad arguments or
// a bad spec (one line on stderr), 3 internal error.
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { toJsonSafe } from '../engine/json';
import type { TrainingResult, TrainingSnapshot } from '../engine/train/snapshot';
import { parseTrainingSpec, SpecError, type TrainingSpec } from '../engine/train/spec';
import { Trainer, trainWithDiagnostics } from '../engine/train/trainer';
import { formatExperimentTable, parseExperiment, runExperiment } from '../engine/train/experiments';

const USAGE = 'usage: activation-inspector train --spec FILE.json [--id ID] [--precision float64|float32] [--diagnostics N] [--json] | --experiment FILE.json [--json]';

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

interface Args {
  spec?: string;
  experiment?: string;
  id?: string;
  precision?: 'float64' | 'float32';
  json: boolean;
  /** Snapshot every N steps into "diagnostics". */
  diagnostics?: number;
}

function parseArgs(argv: string[]): Args {
  let spec: string | undefined;
  let experiment: string | undefined;
  let id: string | undefined;
  let precision: Args['precision'];
  let json = false;
  let diagnostics: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf('=');
    const key = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0 && a.startsWith('--')) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new SpecError(`${key} needs a value`);
      return v;
    };
    switch (key) {
      case '--spec':
        spec = value();
        break;
      case '--experiment':
        experiment = value();
        break;
      case '--id':
        id = value();
        break;
      case '--precision': {
        const p = value();
        if (p !== 'float64' && p !== 'float32') throw new SpecError(`--precision must be float64 or float32, got "${p}"`);
        precision = p;
        break;
      }
      case '--diagnostics': {
        const v = value();
        diagnostics = Number(v);
        if (!Number.isInteger(diagnostics) || diagnostics < 1) throw new SpecError(`--diagnostics expects a positive integer (steps between snapshots), got "${v}"`);
        break;
      }
      case '--json':
        json = true;
        break;
      default:
        throw new SpecError(`unknown argument "${a}"`);
    }
  }
  if (!spec && !experiment) throw new SpecError('--spec FILE.json (or --experiment FILE.json) is required');
  return { spec, experiment, id, precision, json, diagnostics };
}

/** Reads and validates the spec file (a trainings[] entry, or a file with trainings[] and --id). */
function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SpecError(`cannot read ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SpecError(`${what} file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Inlines a CSV data file named relative to the spec file (raw spec JSON). */
function inlineCsv(raw: unknown, specPath: string): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const data = (raw as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return raw;
  const d = data as { kind?: unknown; path?: unknown; text?: unknown };
  if (d.kind !== 'csv' || typeof d.path !== 'string' || d.text !== undefined) return raw;
  const csvPath = resolvePath(dirname(specPath), d.path);
  try {
    return { ...raw, data: { ...d, text: readFileSync(csvPath, 'utf8') } };
  } catch (e) {
    throw new SpecError(`cannot read CSV file ${csvPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function loadSpecFile(path: string, id?: string): TrainingSpec {
  let raw = readJson(path, 'spec');
  if (typeof raw === 'object' && raw !== null && Array.isArray((raw as { trainings?: unknown }).trainings)) {
    const list = (raw as { trainings: { id?: unknown }[] }).trainings;
    const ids = list.map((t) => String(t.id));
    if (!id) throw new SpecError(`${path} holds ${list.length} trainings; choose one with --id (${ids.join(', ')})`);
    const hit = list.find((t) => t.id === id);
    if (!hit) throw new SpecError(`${path} has no training "${id}" (ids: ${ids.join(', ')})`);
    raw = hit;
  }
  return parseTrainingSpec(inlineCsv(raw, path));
}

/** Runs an experiment file ({"base", "factor", "values"}) and returns its table and rows. */
export function runExperimentFile(path: string, precision?: 'float64' | 'float32'): { json: string; table: string } {
  const exp = parseExperiment(readJson(path, 'experiment'));
  const base = inlineCsv(exp.base, path) as Record<string, unknown>;
  const rows = runExperiment({ ...exp, base }, precision);
  return { json: JSON.stringify(toJsonSafe({ factor: exp.factor, rows })), table: formatExperimentTable(exp.factor, rows) };
}

/** Runs the training for the CLI and returns the result object it prints. */
export function runSpecFile(path: string, opts: { id?: string; precision?: 'float64' | 'float32' } = {}): TrainingResult {
  const spec = loadSpecFile(path, opts.id);
  return trainLoaded(spec, opts.precision);
}

function trainLoaded(spec: TrainingSpec, precision?: 'float64' | 'float32'): TrainingResult {
  const trainer = new Trainer(spec, { precision });
  trainer.run();
  return trainer.result();
}

/** Picks the documented keys (plus `diverged` when it happened), non-finite numbers as strings. */
export function resultJson(r: TrainingResult): string {
  const o: Record<string, unknown> = {};
  for (const k of RESULT_KEYS) o[k] = r[k];
  if (r.diverged) o.diverged = r.diverged;
  if (r.test_loss !== undefined) {
    o.test_loss = r.test_loss;
    o.test_accuracy = r.test_accuracy;
  }
  return JSON.stringify(toJsonSafe(o));
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

export async function trainCommand(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    if (args.experiment) {
      const r = runExperimentFile(args.experiment, args.precision);
      process.stdout.write((args.json ? r.json : r.table) + '\n');
      return 0;
    }
    const specPath = args.spec as string;
    const spec = loadSpecFile(specPath, args.id);
    let result: TrainingResult;
    let extra = '';
    if (args.diagnostics) {
      const r = trainWithDiagnostics(spec, args.diagnostics, { precision: args.precision });
      result = r.result;
      if (args.json) extra = JSON.stringify(toJsonSafe(r.snapshots));
      else extra = r.snapshots.map(snapshotLine).join('\n');
    } else result = trainLoaded(spec, args.precision);
    if (args.json) {
      const body = resultJson(result);
      process.stdout.write((extra ? `${body.slice(0, -1)},"diagnostics":${extra}}` : body) + '\n');
    } else process.stdout.write(summary(result, specPath) + (extra ? `\n${extra}` : '') + '\n');
    if (result.diverged && args.json) process.stderr.write(result.diverged.reason + '\n');
    return 0;
  } catch (e) {
    if (e instanceof SpecError) {
      const usage = e.message.startsWith('--') || e.message.startsWith('unknown argument') ? ` (${USAGE})` : '';
      process.stderr.write(`activation-inspector train: ${e.message.replace(/\s*\n\s*/g, ' ')}${usage}\n`);
      return 2;
    }
    process.stderr.write(`activation-inspector train: internal error: ${(e as Error).message}\n`);
    return 3;
  }
}
