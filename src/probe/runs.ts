// Run files written by activation_inspector.watch (`<run>.jsonl`: a header line, then one
// line per logged step), summarised per site as series over the logged steps. A trailing
// line still being written (no newline yet, or not valid JSON) is ignored, so a run can be
// read while the training appends to it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseSite, type ProbeSite } from './types';

export interface RunSiteSeries {
  readonly name: string;
  readonly kind: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  /** One entry per logged step of the run (null where the site did not run that step). */
  readonly dead_fraction: (number | null)[];
  readonly saturated_fraction: (number | null)[];
  readonly zero_fraction: (number | null)[];
  readonly grad_norm: (number | null)[];
}

export interface RunSummary {
  readonly run: string;
  readonly path: string;
  readonly every: number | null;
  readonly model: string | null;
  readonly started: number | null;
  readonly steps: number[];
  readonly sites: RunSiteSeries[];
}

/** The folder holding the .jsonl files: DIR itself, DIR/runs or DIR/.activation-inspector/runs. */
export function resolveRunsDir(dir: string): string | undefined {
  for (const d of [dir, join(dir, 'runs'), join(dir, '.activation-inspector', 'runs')]) {
    try {
      if (statSync(d).isDirectory() && readdirSync(d).some((n) => n.endsWith('.jsonl'))) return d;
    } catch {
      /* not there */
    }
  }
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : undefined;
}

export function summariseRun(text: string, path: string): RunSummary {
  const lines = text.split('\n');
  if (!text.endsWith('\n')) lines.pop(); // the line being written
  let header: Record<string, unknown> = {};
  const steps: number[] = [];
  const records: ProbeSite[][] = [];
  for (const raw of lines) {
    if (!raw.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const o = v as Record<string, unknown>;
    if (typeof o.step === 'number' && Array.isArray(o.sites)) {
      steps.push(o.step);
      records.push(o.sites.map((s, i) => parseSite(s, `${basename(path)} step ${o.step} site ${i}`)));
    } else if ('format' in o) header = o;
  }
  const series = new Map<string, { site: ProbeSite; at: Map<number, ProbeSite> }>();
  records.forEach((sites, i) => {
    for (const s of sites) {
      const key = JSON.stringify([s.name, s.kind, s.file, s.line, s.column]);
      let e = series.get(key);
      if (!e) series.set(key, (e = { site: s, at: new Map() }));
      e.at.set(i, s);
    }
  });
  const pick = (at: Map<number, ProbeSite>, f: (s: ProbeSite) => number | null): (number | null)[] =>
    steps.map((_, i) => {
      const s = at.get(i);
      return s ? f(s) : null;
    });
  return {
    run: typeof header.run === 'string' ? header.run : basename(path, '.jsonl'),
    path,
    every: typeof header.every === 'number' ? header.every : null,
    model: typeof header.model === 'string' ? header.model : null,
    started: typeof header.started === 'number' ? header.started : null,
    steps,
    sites: [...series.values()].map(({ site, at }) => ({
      name: site.name,
      kind: site.kind,
      file: site.file,
      line: site.line,
      column: site.column,
      dead_fraction: pick(at, (s) => s.dead_fraction),
      saturated_fraction: pick(at, (s) => s.saturated_fraction),
      zero_fraction: pick(at, (s) => s.zero_fraction),
      grad_norm: pick(at, (s) => s.grad_norm),
    })),
  };
}

/** Every run in the folder, sorted by file name (run names start with their start time). */
export function readRuns(dir: string): RunSummary[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => summariseRun(readFileSync(join(dir, n), 'utf8'), join(dir, n)));
}

/** A run as the dashboard's "Real run" section draws it (src/shared/protocol's RealRunView). */
export interface RunChartData {
  readonly run: string;
  readonly model: string;
  readonly steps: number[];
  readonly sites: { readonly name: string; readonly kind: string; readonly line: number | null; readonly dead: (number | null)[]; readonly saturated: (number | null)[]; readonly grad: (number | null)[] }[];
}

/** The run's series for the "Real run" charts (non-finite numbers become gaps). */
export function toRealRunView(r: RunSummary): RunChartData {
  const fin = (xs: (number | null)[]): (number | null)[] => xs.map((x) => (x !== null && Number.isFinite(x) ? x : null));
  return {
    run: r.run.slice(0, 200),
    model: (r.model ?? '').slice(0, 200),
    steps: r.steps.filter((s) => Number.isFinite(s)),
    sites: r.sites.map((s) => ({
      name: s.name.slice(0, 200),
      kind: s.kind.slice(0, 64),
      line: s.line,
      dead: fin(s.dead_fraction),
      saturated: fin(s.saturated_fraction),
      grad: fin(s.grad_norm),
    })),
  };
}
