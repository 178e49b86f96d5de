// From a validated spec to the pieces a Trainer runs: data sets (inline, generated or CSV,
// then split), resolved activation kernels, and an initialised model.
import { kernelOf, resolve } from '../activations/registry';
import { CatalogError } from '../activations/registry';
import type { ElementwiseKernel } from '../activations/types';
import { Rng } from '../random';
import type { ActivationChoice, ExplicitInit, TrainingSpec } from './spec';
import { analyzeExpr, customKernel } from '../symbolic';
import { SpecError } from './spec';
import { fromRows, generate, parseCsv, split, type Dataset } from './data';
import { initBias, initWeight } from './init';
import { Model, type DenseKernelsOf, type HiddenAct, type ModelConfig } from './model';
import { createArena } from './wasm';
import type { TrainingShape } from '../limits';

export interface Prepared {
  readonly train: Dataset;
  readonly test: Dataset | null;
}

/** Rows the spec's data will have, known before it is loaded or generated. */
export function dataRows(spec: TrainingSpec): number {
  if (spec.X) return spec.X.length;
  if (spec.data?.kind === 'csv') {
    const t = spec.data.text ?? '';
    let lines = 0;
    for (let i = t.indexOf('\n'); i >= 0; i = t.indexOf('\n', i + 1)) lines++;
    return lines + 1; // at most: the header and a last line without a newline are counted
  }
  return spec.data?.n ?? 0;
}

/** What a spec costs, for the checks in ../limits (before anything is allocated). */
export function trainingShape(spec: TrainingSpec, opts: { precision?: 'float64' | 'float32'; snapshots?: number; printsJson?: boolean } = {}): TrainingShape {
  const n = dataRows(spec);
  const nTest = spec.test_fraction > 0 ? Math.min(n - 1, Math.max(1, Math.round(n * spec.test_fraction))) : 0;
  const trainRows = n - Math.max(0, nTest);
  const batchRows = spec.batches ? Math.max(0, ...spec.batches.map((b) => b.length)) : spec.batch_size ? Math.min(spec.batch_size, trainRows) : trainRows;
  const nOut = spec.sizes[spec.sizes.length - 1] ?? 1;
  return {
    sizes: spec.sizes,
    optimizer: spec.optimizer,
    precision: opts.precision ?? spec.precision,
    steps: spec.steps,
    trainRows,
    testRows: Math.max(0, nTest),
    batchRows,
    norm: spec.norm,
    dropout: spec.dropout,
    outputActivation: spec.output_activation !== 'linear',
    targetColumns: spec.task === 'regression' ? nOut : 1,
    snapshots: opts.snapshots ?? 0,
    printsJson: opts.printsJson ?? false,
  };
}

/** Loads the spec's data and checks it against the network and task. */
export function prepareData(spec: TrainingSpec): Prepared {
  let all: Dataset;
  if (spec.X && spec.y) all = fromRows(spec.X, spec.y);
  else if (spec.data?.kind === 'csv') {
    if (spec.data.text === undefined) throw new SpecError(`CSV data "${spec.data.path ?? ''}" was not loaded (pass its text)`);
    all = parseCsv(spec.data.text, spec.data.target ?? -1);
  } else if (spec.data) all = generate(spec.data, spec.seed);
  else throw new SpecError('the spec has no data');
  const nIn = spec.sizes[0] as number, nOut = spec.sizes[spec.sizes.length - 1] as number;
  if (all.d !== nIn) throw new SpecError(`the data has ${all.d} input columns but sizes[0] is ${nIn}`);
  const t = spec.task === 'regression' ? nOut : 1;
  if (all.t !== t) throw new SpecError(`the data has ${all.t} target columns but the ${spec.task} network needs ${t}`);
  for (let i = 0; i < all.n * all.t; i++) {
    const v = all.Y[i] as number;
    if (spec.task === 'binary' && !(v >= 0 && v <= 1)) throw new SpecError(`target of row ${i + 1} is ${v}: binary targets must be in [0, 1]`);
    if (spec.task === 'multiclass' && !(Number.isInteger(v) && v >= 0 && v < nOut)) throw new SpecError(`target of row ${i + 1} is ${v}: class labels must be integers 0…${nOut - 1}`);
  }
  const { train, test } = split(all, spec.test_fraction, spec.seed);
  if (spec.batches) {
    for (const b of spec.batches) for (const j of b) if (j >= train.n) throw new SpecError(`batch index ${j} is beyond the ${train.n} training rows`);
  }
  return { train, test };
}

/** Resolves a torch (or other framework) activation through the catalog. */
export function resolveActivation(framework: string, name: string, params: Readonly<Record<string, number | boolean | string>>): HiddenAct {
  try {
    const r = resolve(framework, name, params);
    const shown = Object.entries(r.frameworkParams);
    const label = shown.length ? `${r.binding.names[0]}(${shown.map(([k, v]) => `${k}=${String(v)}`).join(', ')})` : (r.binding.names[0] as string);
    const plain = r.entry.def.params.every((q) => r.params[q.name] === q.default);
    return { name: label, id: r.entry.def.id, plain, kernel: kernelOf(r.entry.def, r.params, r.conventions) };
  } catch (e) {
    if (e instanceof CatalogError) throw new SpecError(`activation: ${e.message}`);
    throw e;
  }
}

/** The kernel of one hidden layer's activation: a catalog entry, or a compiled expression. */
export function resolveChoice(a: ActivationChoice): HiddenAct {
  if (a.expr === undefined) return resolveActivation(a.framework, a.name, a.params);
  const params = a.params as Readonly<Record<string, number>>;
  const shown = Object.entries(params);
  return {
    name: shown.length ? `${a.expr} (${shown.map(([k, v]) => `${k}=${v}`).join(', ')})` : a.expr,
    id: 'custom',
    plain: false,
    // generated loops in Node (the worker, the CLI); a closure tree where eval is not allowed
    kernel: customKernel(analyzeExpr(a.expr), params),
  };
}

export function outputKernel(name: 'linear' | 'sigmoid' | 'tanh'): ElementwiseKernel | null {
  return name === 'linear' ? null : resolveActivation('torch', name, {}).kernel;
}

/** Builds the model (buffers for `capacity` rows) and initialises its parameters. */
export function buildModel(spec: TrainingSpec, ctor: Float64ArrayConstructor | Float32ArrayConstructor, capacity: number, simd = true): Model {
  const hiddenActs = spec.activations.map(resolveChoice);
  const cfg: ModelConfig = {
    sizes: spec.sizes,
    hiddenActs,
    outAct: outputKernel(spec.output_activation),
    outActId: spec.output_activation === 'linear' ? null : spec.output_activation,
    norm: spec.norm,
    dropout: spec.dropout,
    capacity,
    ctor,
  };
  let model = new Model(cfg);
  if (ctor === Float32Array && simd) {
    // float32: rebuild with every buffer in a WebAssembly arena so the SIMD kernels run on it
    let floats = 0;
    new Model({ ...cfg, alloc: (n) => ((floats += Math.ceil(n / 4) * 4), new Float32Array(n)) });
    const arena = createArena(floats, spec.sizes.slice(0, -1));
    if (arena) model = new Model({ ...cfg, alloc: (n) => arena.alloc(n), kernels: arena.kernels as DenseKernelsOf });
  }
  const init = spec.init;
  if ('W' in init) loadExplicit(model, init);
  else {
    const rng = Rng.derive(spec.seed, 'init');
    for (const L of model.layers) {
      initWeight(L.W, L.nOut, L.nIn, init, rng);
      initBias(L.b, L.nIn, init, rng);
    }
  }
  return model;
}

function loadExplicit(model: Model, init: ExplicitInit): void {
  model.layers.forEach((L, l) => {
    const W = init.W[l] as number[][];
    for (let o = 0; o < L.nOut; o++) L.W.set(W[o] as number[], o * L.nIn);
    L.b.set(init.b[l] as number[]);
  });
}
