// Data sets: seeded 2-D classification generators (in the style of TensorFlow Playground and
// scikit-learn), 1-D regression curves, CSV loading and a seeded train/test split. All
// return row-major Float64Arrays: X is n×d, Y is n×t (t = 1 for labels).
import type { DatasetSpec, Task } from './spec';
import { SpecError } from './spec';
import { Rng } from '../random';

export interface Dataset {
  readonly X: Float64Array;
  /** Targets: n×t values (regression) or n labels (classification, t = 1). */
  readonly Y: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly t: number;
  /** Column names when known (CSV headers). */
  readonly columns?: readonly string[];
}

function make(rows: number[][], ys: number[][]): Dataset {
  const n = rows.length, d = rows[0]?.length ?? 0, t = ys[0]?.length ?? 1;
  const X = new Float64Array(n * d), Y = new Float64Array(n * t);
  rows.forEach((r, i) => X.set(r, i * d));
  ys.forEach((r, i) => Y.set(r, i * t));
  return { X, Y, n, d, t };
}

/** Which task a generator produces (and how many outputs it needs). */
export function datasetTask(spec: DatasetSpec): { task: Task; inputs: number; outputs: number } | null {
  switch (spec.kind) {
    case 'sine':
    case 'abs':
    case 'step':
      return { task: 'regression', inputs: 1, outputs: 1 };
    case 'csv':
      return null;
    case 'spiral3':
      return { task: 'multiclass', inputs: 2, outputs: 3 };
    case 'spiral':
    case 'gaussians':
      return spec.classes === 3 ? { task: 'multiclass', inputs: 2, outputs: 3 } : { task: 'binary', inputs: 2, outputs: 1 };
    default:
      return { task: 'binary', inputs: 2, outputs: 1 };
  }
}

/** Generates `spec` (not CSV) with a stream derived from `seed`. */
export function generate(spec: DatasetSpec, seed: number): Dataset {
  // spiral3 is spiral with three classes: the same stream, the same points
  const rng = Rng.derive(seed, `data:${spec.kind === 'spiral3' ? 'spiral' : spec.kind}`);
  const { n, noise } = spec;
  const rows: number[][] = [], ys: number[][] = [];
  const push = (x: number[], y: number): void => {
    rows.push(x);
    ys.push([y]);
  };
  switch (spec.kind) {
    case 'circle':
      // label 1 inside radius 0.5, label 0 on the ring 0.7…1 (Playground's "circle")
      for (let i = 0; i < n; i++) {
        const inside = i % 2 === 0;
        const r = inside ? rng.uniform(0, 0.5) : rng.uniform(0.7, 1);
        const a = rng.uniform(0, 2 * Math.PI);
        push([r * Math.cos(a) + noise * rng.normal(), r * Math.sin(a) + noise * rng.normal()], inside ? 1 : 0);
      }
      break;
    case 'xor':
      // uniform on [−1, 1]², a small gap around the axes; label 1 where x·y > 0
      for (let i = 0; i < n; i++) {
        const pad = 0.05;
        let x = rng.uniform(-1, 1), y = rng.uniform(-1, 1);
        x += x > 0 ? pad : -pad;
        y += y > 0 ? pad : -pad;
        push([x + noise * rng.normal(), y + noise * rng.normal()], x * y > 0 ? 1 : 0);
      }
      break;
    case 'gaussians': {
      const centres = spec.classes === 3 ? [[-0.6, -0.4], [0.6, -0.4], [0, 0.6]] : [[-0.5, -0.5], [0.5, 0.5]];
      const std = 0.2 + noise;
      for (let i = 0; i < n; i++) {
        const c = i % centres.length;
        const m = centres[c] as number[];
        push([(m[0] as number) + std * rng.normal(), (m[1] as number) + std * rng.normal()], c);
      }
      break;
    }
    case 'spiral':
    case 'spiral3': {
      // K interleaved arms: radius t, angle 4t + 2πk/K (t ∈ [0, 1]), Gaussian noise
      const K = spec.kind === 'spiral3' ? 3 : spec.classes;
      for (let i = 0; i < n; i++) {
        const k = i % K;
        const t = rng.next();
        const a = 4 * t + (2 * Math.PI * k) / K;
        push([t * Math.cos(a) + noise * rng.normal(), t * Math.sin(a) + noise * rng.normal()], k);
      }
      break;
    }
    case 'moons':
      // scikit-learn make_moons: upper half circle (label 0) and a shifted lower one (label 1)
      for (let i = 0; i < n; i++) {
        const lower = i % 2 === 1;
        const a = rng.uniform(0, Math.PI);
        const x = lower ? 1 - Math.cos(a) : Math.cos(a);
        const y = lower ? 0.5 - Math.sin(a) : Math.sin(a);
        push([x + noise * rng.normal(), y + noise * rng.normal()], lower ? 1 : 0);
      }
      break;
    case 'sine':
    case 'abs':
    case 'step':
      for (let i = 0; i < n; i++) {
        const x = spec.kind === 'sine' ? rng.uniform(-Math.PI, Math.PI) : rng.uniform(-1, 1);
        const f = spec.kind === 'sine' ? Math.sin(x) : spec.kind === 'abs' ? Math.abs(x) : x > 0 ? 1 : 0;
        rows.push([x]);
        ys.push([f + noise * rng.normal()]);
      }
      break;
    case 'csv':
      throw new SpecError('CSV data must be loaded with parseCsv');
  }
  return make(rows, ys);
}

/**
 * Parses numeric CSV text. A first row with any non-numeric field is a header. `target` is a
 * column name (needs a header) or a 0-based index (negative counts from the end). Empty lines
 * and lines starting with # are skipped. Errors name the line and column.
 */
export function parseCsv(text: string, target: string | number): Dataset {
  const lines = text.split(/\r?\n/);
  let header = null as string[] | null;
  const rows: number[][] = [];
  let width = -1;
  lines.forEach((raw, li) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s*[,;\t]\s*/);
    if (width < 0) {
      width = fields.length;
      if (fields.some((f) => f === '' || !Number.isFinite(Number(f)))) {
        header = fields.map((f) => f.replace(/^"(.*)"$/, '$1'));
        return;
      }
    }
    if (fields.length !== width) throw new SpecError(`CSV line ${li + 1} has ${fields.length} fields, expected ${width}`);
    rows.push(
      fields.map((f, c) => {
        const v = f === '' ? NaN : Number(f);
        if (!Number.isFinite(v)) {
          const name = header ? ` ("${header[c]}")` : '';
          throw new SpecError(`CSV line ${li + 1}, column ${c + 1}${name}: "${f}" is not a finite number`);
        }
        return v;
      }),
    );
  });
  if (rows.length === 0) throw new SpecError('the CSV file has no data rows');
  let tc: number;
  if (typeof target === 'number') {
    tc = target < 0 ? width + target : target;
    if (!Number.isInteger(tc) || tc < 0 || tc >= width) throw new SpecError(`CSV target column ${target} is out of range (the file has ${width} columns)`);
  } else {
    const h: string[] | null = header;
    if (!h) throw new SpecError(`CSV target "${target}" is a column name, but the file has no header row`);
    tc = h.indexOf(target);
    if (tc < 0) throw new SpecError(`CSV has no column "${target}" (columns: ${h.join(', ')})`);
  }
  if (width < 2) throw new SpecError('the CSV needs at least one input column besides the target');
  const ds = make(
    rows.map((r) => r.filter((_, c) => c !== tc)),
    rows.map((r) => [r[tc] as number]),
  );
  const cols: string[] | null = header;
  return cols ? { ...ds, columns: cols.filter((_, c) => c !== tc) } : ds;
}

/** Seeded split: a random `fraction` of rows (at least one, leaving at least one) is the test set. */
export function split(ds: Dataset, fraction: number, seed: number): { train: Dataset; test: Dataset | null } {
  if (fraction <= 0) return { train: ds, test: null };
  const nTest = Math.min(ds.n - 1, Math.max(1, Math.round(ds.n * fraction)));
  if (nTest < 1) return { train: ds, test: null };
  const perm = Rng.derive(seed, 'split').permutation(ds.n);
  const take = (idx: Int32Array): Dataset => {
    const X = new Float64Array(idx.length * ds.d), Y = new Float64Array(idx.length * ds.t);
    idx.forEach((j, i) => {
      X.set(ds.X.subarray(j * ds.d, (j + 1) * ds.d), i * ds.d);
      Y.set(ds.Y.subarray(j * ds.t, (j + 1) * ds.t), i * ds.t);
    });
    return { ...ds, X, Y, n: idx.length };
  };
  return { test: take(perm.subarray(0, nTest)), train: take(perm.subarray(nTest)) };
}

/** Dataset from the spec's inline X and y. */
export function fromRows(X: number[][], y: number[] | number[][]): Dataset {
  return make(X, y.map((v) => (Array.isArray(v) ? v : [v])));
}
