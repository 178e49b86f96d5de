// Experiments: one base spec, several runs differing in exactly one factor (activation,
// initializer, depth, learning rate, normalisation, optimizer, or any other top-level spec
// field), on the same data and seed, summarised as a table.
import { parseTrainingSpec, SpecError, type TrainingSpec } from './spec';
import type { TrainingResult } from './snapshot';
import { resolveActivation } from './setup';
import { Trainer } from './trainer';

export const EXPERIMENT_FACTORS = ['activation', 'init', 'depth', 'lr', 'norm', 'optimizer'] as const;

export interface ExperimentSpec {
  /** A training spec (raw JSON, validated per configuration). */
  readonly base: Record<string, unknown>;
  /** One of EXPERIMENT_FACTORS, or another top-level spec field such as "dropout". */
  readonly factor: string;
  readonly values: readonly unknown[];
}

export interface ExperimentConfig {
  readonly label: string;
  readonly spec: TrainingSpec;
}

export interface ExperimentRow {
  readonly label: string;
  readonly finalLoss: number;
  readonly finalAccuracy: number | null;
  readonly testLoss: number | null;
  /** Mean over hidden layers of the dead-unit fraction, in percent. */
  readonly deadPercent: number;
  readonly elapsedMs: number;
  readonly diverged: string | null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates an experiment file's JSON. */
export function parseExperiment(raw: unknown): ExperimentSpec {
  if (!isObj(raw)) throw new SpecError('an experiment must be {"base": {…spec…}, "factor": "activation", "values": [...]}');
  if (!isObj(raw.base)) throw new SpecError('experiment "base" must be a training spec object');
  if (typeof raw.factor !== 'string' || raw.factor === '') throw new SpecError(`experiment "factor" must be one of ${EXPERIMENT_FACTORS.join(', ')} or a spec field`);
  if (!Array.isArray(raw.values) || raw.values.length < 1) throw new SpecError('experiment "values" must list at least one value');
  return { base: raw.base, factor: raw.factor, values: raw.values };
}

/** A short label for a factor value: "relu", "lr=0.1", "depth=3", "kaiming_uniform". */
export function valueLabel(factor: string, v: unknown): string {
  const core = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : isObj(v) && typeof v.name === 'string' ? `${v.name}${isObj(v.params) ? JSON.stringify(v.params) : ''}` : isObj(v) && typeof v.scheme === 'string' ? v.scheme : isObj(v) && typeof v.kind === 'string' ? v.kind : JSON.stringify(v);
  return ['activation', 'init', 'norm', 'optimizer'].includes(factor) ? core : `${factor}=${core}`;
}

/** Applies one factor value to the base spec (raw JSON) and validates the result. */
export function applyFactor(base: Record<string, unknown>, factor: string, value: unknown): TrainingSpec {
  const s: Record<string, unknown> = { ...base };
  delete s.expect;
  switch (factor) {
    case 'lr': {
      if (!isObj(base.optimizer)) throw new SpecError('an "lr" experiment needs an optimizer in the base spec');
      s.optimizer = { ...base.optimizer, lr: value };
      break;
    }
    case 'depth': {
      const sizes = base.sizes;
      if (!Array.isArray(sizes) || sizes.length < 2) throw new SpecError('a "depth" experiment needs "sizes" in the base spec');
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new SpecError(`depth values must be non-negative integers, got ${JSON.stringify(value)}`);
      if (isObj(base.init) && 'W' in base.init) throw new SpecError('a "depth" experiment needs an initializer scheme, not explicit weights');
      const width = sizes.length > 2 ? sizes[1] : 16;
      s.sizes = [sizes[0], ...Array.from({ length: value }, () => width), sizes[sizes.length - 1]];
      if (Array.isArray(base.activation)) s.activation = base.activation[0] ?? 'relu';
      if (Array.isArray(base.dropout)) s.dropout = base.dropout[0] ?? 0;
      break;
    }
    default:
      s[factor] = value;
  }
  try {
    const spec = parseTrainingSpec(s);
    // activation names are checked against the catalog now, not when the run starts
    for (const a of spec.activations) resolveActivation(a.framework, a.name, a.params);
    return spec;
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError(`${valueLabel(factor, value)}: ${e.message}`);
    throw e;
  }
}

/** Every configuration, validated up front (a bad value fails before anything runs). */
export function experimentConfigs(exp: ExperimentSpec): ExperimentConfig[] {
  return exp.values.map((v) => ({ label: valueLabel(exp.factor, v), spec: applyFactor(exp.base, exp.factor, v) }));
}

export function summarize(label: string, r: TrainingResult): ExperimentRow {
  const dead = r.final_dead_fraction_per_hidden_layer;
  return {
    label,
    finalLoss: r.final_loss,
    finalAccuracy: r.final_accuracy,
    testLoss: r.test_loss ?? null,
    deadPercent: dead.length ? (100 * dead.reduce((a, b) => a + b, 0)) / dead.length : 0,
    elapsedMs: r.elapsed_ms,
    diverged: r.diverged ? r.diverged.reason : null,
  };
}

/** Runs every configuration in this thread (the extension runs them through the worker runner). */
export function runExperiment(exp: ExperimentSpec, precision?: 'float64' | 'float32'): ExperimentRow[] {
  return experimentConfigs(exp).map(({ label, spec }) => {
    const t = new Trainer(spec, { precision });
    t.run();
    return summarize(label, t.result());
  });
}

/** A plain-text table: configuration, final loss, accuracy, dead %, time. */
export function formatExperimentTable(factor: string, rows: readonly ExperimentRow[]): string {
  const head = [factor, 'final loss', 'accuracy', 'test loss', 'dead %', 'time ms'];
  const body = rows.map((r) => [
    r.label,
    r.diverged ? 'diverged' : r.finalLoss.toPrecision(4),
    r.finalAccuracy === null ? '—' : `${(r.finalAccuracy * 100).toFixed(1)}%`,
    r.testLoss === null ? '—' : r.testLoss.toPrecision(4),
    r.deadPercent.toFixed(1),
    r.elapsedMs.toFixed(1),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => (row[c] as string).length)));
  const line = (cells: string[]): string => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c] as number) : x.padStart(widths[c] as number))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
