// The probe's result and run-file records, as written by python/activation_inspector, with
// validators: everything that crosses the process boundary is checked on arrival.
import { fromJsonNumber } from '../engine/json';

export interface ProbeHistogram {
  /** 33 bin edges: 32 bins of width 0.5 on [-8, 8] (the last bin includes 8). */
  readonly edges: number[];
  readonly counts: number[];
  /** Finite pre-activations below -8 and above 8. */
  readonly under: number;
  readonly over: number;
}

export interface ProbeSite {
  readonly name: string;
  /** Catalog id (src/engine/activations/defs). */
  readonly kind: string;
  readonly file: string | null;
  /** 1-based. */
  readonly line: number | null;
  /** 1-based column of a function call (Python ≥ 3.11), else null. */
  readonly column: number | null;
  /** False when the line is a best guess (module built before activation_inspector was imported). */
  readonly exact_line: boolean;
  readonly shape: number[] | null;
  readonly calls: number;
  readonly dead_fraction: number | null;
  readonly zero_fraction: number | null;
  readonly saturated_fraction: number | null;
  readonly mean: number | null;
  readonly std: number | null;
  readonly mean_in: number | null;
  readonly std_in: number | null;
  readonly grad_norm: number | null;
  readonly nan: number;
  readonly inf: number;
  readonly nan_in: number;
  readonly inf_in: number;
  readonly histogram: ProbeHistogram;
}

export interface ProbeResult {
  readonly sites: ProbeSite[];
  readonly torch: string;
  readonly model: string;
}

export class ProbeFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeFormatError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(o: Record<string, unknown>, k: string, where: string): number {
  try {
    return fromJsonNumber(o[k]);
  } catch {
    throw new ProbeFormatError(`${where}: "${k}" is not a number`);
  }
}

function numOrNull(o: Record<string, unknown>, k: string, where: string): number | null {
  return o[k] === null || o[k] === undefined ? null : num(o, k, where);
}

function nums(v: unknown, where: string): number[] {
  if (!Array.isArray(v)) throw new ProbeFormatError(`${where}: expected an array of numbers`);
  return v.map((x) => {
    try {
      return fromJsonNumber(x);
    } catch {
      throw new ProbeFormatError(`${where}: expected an array of numbers`);
    }
  });
}

export function parseSite(v: unknown, where = 'site'): ProbeSite {
  if (!isObj(v)) throw new ProbeFormatError(`${where}: not an object`);
  if (typeof v.name !== 'string' || typeof v.kind !== 'string') throw new ProbeFormatError(`${where}: "name" and "kind" must be strings`);
  const h = v.histogram;
  if (!isObj(h)) throw new ProbeFormatError(`${where}: no histogram`);
  return {
    name: v.name,
    kind: v.kind,
    file: typeof v.file === 'string' ? v.file : null,
    line: numOrNull(v, 'line', where),
    column: numOrNull(v, 'column', where),
    exact_line: v.exact_line !== false,
    shape: v.shape === null || v.shape === undefined ? null : nums(v.shape, `${where}.shape`),
    calls: numOrNull(v, 'calls', where) ?? 1,
    dead_fraction: numOrNull(v, 'dead_fraction', where),
    zero_fraction: numOrNull(v, 'zero_fraction', where),
    saturated_fraction: numOrNull(v, 'saturated_fraction', where),
    mean: numOrNull(v, 'mean', where),
    std: numOrNull(v, 'std', where),
    mean_in: numOrNull(v, 'mean_in', where),
    std_in: numOrNull(v, 'std_in', where),
    grad_norm: numOrNull(v, 'grad_norm', where),
    nan: numOrNull(v, 'nan', where) ?? 0,
    inf: numOrNull(v, 'inf', where) ?? 0,
    nan_in: numOrNull(v, 'nan_in', where) ?? 0,
    inf_in: numOrNull(v, 'inf_in', where) ?? 0,
    histogram: {
      edges: nums(h.edges, `${where}.histogram.edges`),
      counts: nums(h.counts, `${where}.histogram.counts`),
      under: num(h, 'under', `${where}.histogram`),
      over: num(h, 'over', `${where}.histogram`),
    },
  };
}

export function parseProbeResult(v: unknown): ProbeResult {
  if (!isObj(v) || !Array.isArray(v.sites)) throw new ProbeFormatError('probe result: no "sites" array');
  return {
    sites: v.sites.map((s, i) => parseSite(s, `sites[${i}]`)),
    torch: typeof v.torch === 'string' ? v.torch : '',
    model: typeof v.model === 'string' ? v.model : '',
  };
}
