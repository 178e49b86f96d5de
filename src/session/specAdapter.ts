// Adapter from the dashboard's set-up form (protocol TrainingForm) to the trainer's JSON
// spec (src/engine/train/spec.ts), validated by the trainer's own parseTrainingSpec.
import { bindingsOf } from '../engine/activations/registry';
import { datasetTask, parseCsv } from '../engine/train/data';
import type { DatasetSpec, TrainingSpec } from '../engine/train/spec';
import { parseTrainingSpec } from '../engine/train/spec';
import type { TrainingForm } from '../shared/protocol';

/** A spec's activation entry for a canonical id: PyTorch's spelling when it has one. */
export function activationEntry(id: string, params: Readonly<Record<string, number | boolean | string>> = {}): { name: string; framework: string; params: Readonly<Record<string, number | boolean | string>> } {
  const torch = bindingsOf('torch').find((b) => b.id === id);
  if (torch) return { name: torch.names[0] ?? id, framework: 'torch', params };
  for (const fw of ['jax', 'keras', 'tf', 'tfjs'] as const) {
    const b = bindingsOf(fw).find((x) => x.id === id);
    if (b) return { name: b.names[0] ?? id, framework: fw, params };
  }
  return { name: id, framework: 'torch', params };
}

/** Task and widths implied by the data: generators know theirs; CSV targets are inspected. */
function taskOf(form: TrainingForm): { task: TrainingSpec['task']; inputs: number; outputs: number } {
  if (form.dataset === 'csv') {
    const ds = parseCsv(form.csvText ?? '', csvTarget(form));
    const ys = Array.from(ds.Y);
    const ints = ys.every((v) => Number.isInteger(v) && v >= 0);
    const k = ints ? Math.max(...ys) + 1 : 0;
    if (ints && k <= 2) return { task: 'binary', inputs: ds.d, outputs: 1 };
    if (ints && k <= 20) return { task: 'multiclass', inputs: ds.d, outputs: k };
    return { task: 'regression', inputs: ds.d, outputs: ds.t };
  }
  const t = datasetTask(dataSpec(form));
  if (!t) throw new Error(`unknown data set ${form.dataset}`);
  return t;
}

function csvTarget(form: TrainingForm): string | number {
  const t = (form.csvTarget ?? '').trim();
  if (t === '') return -1;
  return /^-?\d+$/.test(t) ? Number(t) : t;
}

function dataSpec(form: TrainingForm): DatasetSpec {
  if (form.dataset === 'csv') return { kind: 'csv', n: form.samples, noise: 0, classes: 2, text: form.csvText ?? '', target: csvTarget(form) };
  return { kind: form.dataset, n: form.samples, noise: form.noise, classes: form.dataset === 'spiral3' ? 3 : 2 };
}

/** The JSON spec (before validation) a form describes. */
export function formToRawSpec(form: TrainingForm, id = 'dashboard'): Record<string, unknown> {
  const t = taskOf(form);
  const optimizer: Record<string, unknown> = { kind: form.optimizer, lr: form.lr };
  if (form.optimizer === 'sgd' || form.optimizer === 'rmsprop') optimizer.momentum = form.momentum;
  return {
    id,
    task: t.task,
    sizes: [t.inputs, ...form.hidden, t.outputs],
    activation: form.activations.map((a) => activationEntry(a)),
    data: dataSpec(form),
    test_fraction: form.testFraction,
    init: { scheme: form.init },
    optimizer,
    grad_clip_norm: form.clip > 0 ? form.clip : null,
    steps: form.steps,
    batch_size: form.batchSize > 0 ? form.batchSize : null,
    seed: form.seed,
    l1: form.l1,
    l2: form.l2,
    norm: form.norm,
  };
}

/** Form → validated spec; errors are the trainer's plain sentences. */
export function formToSpec(form: TrainingForm, id?: string): TrainingSpec {
  return parseTrainingSpec(formToRawSpec(form, id));
}

export const DEFAULT_FORM: TrainingForm = {
  dataset: 'circle',
  samples: 200,
  noise: 0.1,
  testFraction: 0.2,
  hidden: [8, 8],
  activations: ['relu', 'relu'],
  init: 'kaiming_uniform',
  optimizer: 'sgd',
  lr: 0.1,
  momentum: 0.9,
  batchSize: 16,
  l1: 0,
  l2: 0,
  clip: 0,
  norm: 'none',
  seed: 0,
  steps: 500,
};
