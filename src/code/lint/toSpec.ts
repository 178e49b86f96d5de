// "Train this architecture": a parsed stack → a training spec for the dashboard's trainer.
// Depth, activations (with their literal parameters and framework), normalization and
// dropout are kept exactly; what a toy data set cannot take is adapted and said so: the
// input becomes its 2 features, the output its 1 logit (binary) or 3 classes, symbolic
// widths become 32, very wide layers are capped. A final sigmoid/softmax is folded into the
// loss (the trainer trains on logits with BCE-with-logits / cross-entropy). This file only
// builds the spec; running it (a training, a gradient-flow pass) belongs to the caller.
import { parseTrainingSpec, type TrainingSpec } from '../../engine/train/spec';
import { resolve } from '../../engine/activations/registry';
import type { ArchLayer, Architecture } from './architecture';

export const MAX_WIDTH = 256;
export const DEFAULT_WIDTH = 32;

export interface ArchitectureSpec {
  readonly spec: TrainingSpec;
  /** The JSON spec before validation (what "Copy as code" and spec files use). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** One line per adaptation ("input 784 → 2: the circle data set has 2 features"). */
  readonly notes: readonly string[];
  /** `2 → 64 relu → 64 relu → 1` (after adaptation). */
  readonly summary: string;
  /** A run label that fits a legend: the summary when short, else `model · 13 hidden layers`. */
  readonly label: string;
  /** The stack as written: widths (symbols as written) and activations. */
  readonly written: string;
}

interface Hidden {
  width: number | string;
  act?: ArchLayer;
  dropout?: number;
}

const FOLDED = new Set(['sigmoid', 'softmax', 'log_softmax', 'log_sigmoid']);

/** Keras/TF.js initializer spellings → the trainer's scheme names. */
function initScheme(init: string | undefined, fw: Architecture['framework']): string {
  const s = (init ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (s.includes('henormal') || s.includes('kaimingnormal')) return 'kaiming_normal';
  if (s.includes('heuniform') || s.includes('kaiminguniform')) return 'kaiming_uniform';
  if (s.includes('glorotnormal') || s.includes('xaviernormal')) return 'xavier_normal';
  if (s.includes('glorotuniform') || s.includes('xavieruniform')) return 'xavier_uniform';
  if (s.includes('lecunnormal')) return 'lecun_normal';
  if (s.includes('orthogonal')) return 'orthogonal';
  if (s.includes('zero')) return 'zeros';
  if (fw === 'torch') return 'torch_default';
  // Keras and TF.js default to Glorot uniform, Flax to LeCun normal.
  return fw === 'flax' ? 'lecun_normal' : 'xavier_uniform';
}

function actChoice(l: ArchLayer | undefined): { name: string; framework: string; params: Record<string, number | boolean | string> } {
  if (!l?.activation) return { name: 'identity', framework: 'torch', params: {} };
  const a = l.activation;
  const fw = a.framework;
  try {
    resolve(fw, a.name, a.params);
    return { name: a.name, framework: fw, params: { ...a.params } };
  } catch {
    return { name: a.id, framework: 'torch', params: {} };
  }
}

export function architectureToSpec(arch: Architecture): ArchitectureSpec {
  const notes: string[] = [];
  const layers = arch.layers;
  const denseIdx = layers.map((l, i) => (l.kind === 'dense' ? i : -1)).filter((i) => i >= 0);
  if (denseIdx.length === 0) throw new Error('no dense layers in this architecture');
  const hidden: Hidden[] = [];
  let outAct: ArchLayer | undefined;
  let norm: 'none' | 'batch' | 'layer' = 'none';
  denseIdx.forEach((di, k) => {
    const d = layers[di] as ArchLayer;
    const next = denseIdx[k + 1] ?? layers.length;
    let act: ArchLayer | undefined = d.activation ? d : undefined;
    let dropout: number | undefined;
    for (let j = di + 1; j < next; j++) {
      const l = layers[j] as ArchLayer;
      if (l.kind === 'activation' && !act) act = l;
      else if (l.kind === 'norm' && l.norm) norm = l.norm;
      else if (l.kind === 'dropout') dropout = l.dropout;
    }
    if (k < denseIdx.length - 1) hidden.push({ width: d.units ?? DEFAULT_WIDTH, act, dropout });
    else outAct = act;
  });
  for (const l of layers) if (l.kind === 'unknown') notes.push(`skipped ${l.label} (not a dense layer, activation, norm or dropout)`);
  const lastDense = layers[denseIdx[denseIdx.length - 1] as number] as ArchLayer;
  const writtenOut = lastDense.units;
  const written = [arch.inputWidth ?? layers[denseIdx[0] as number]?.inFeatures ?? 'input', ...hidden.map((h) => `${h.width}${h.act?.activation ? ` ${h.act.activation.name}` : ''}`), `${writtenOut ?? '?'}${outAct?.activation ? ` ${outAct.activation.name}` : ''}`].join(' → ');

  // task and data set from the output layer
  const outId = outAct?.activation?.id;
  const outN = typeof writtenOut === 'number' ? writtenOut : undefined;
  const multi = outId === 'softmax' || outId === 'log_softmax' || (outN !== undefined && outN >= 3);
  const task = multi ? 'multiclass' : 'binary';
  const data = multi ? { kind: 'spiral', n: 300, noise: 0.1, classes: 3 } : { kind: 'moons', n: 300, noise: 0.1 };
  const outputs = multi ? 3 : 1;
  if (outN !== outputs) notes.push(`output ${writtenOut ?? '?'} → ${outputs}: the ${multi ? 'spiral data set has 3 classes' : 'moons data set has 2 classes (one logit)'}`);
  const firstIn = layers[denseIdx[0] as number]?.inFeatures;
  const input = arch.inputWidth ?? (typeof firstIn === 'number' ? firstIn : undefined);
  if (input !== 2) notes.push(`input ${input ?? 'width (not stated)'} → 2: the ${data.kind} data set has 2 features`);
  let outputActivation: 'linear' | 'tanh' = 'linear';
  if (outId && FOLDED.has(outId)) notes.push(`final ${outAct?.activation?.name ?? outId} folded into the loss (${multi ? 'cross-entropy' : 'BCE with logits'} on the logits)`);
  else if (outId === 'tanh') outputActivation = 'tanh';
  else if (outId) notes.push(`final ${outAct?.activation?.name ?? outId} dropped: the output layer stays linear (logits)`);

  const widths = hidden.map((h) => {
    if (typeof h.width !== 'number' || !Number.isInteger(h.width) || h.width <= 0) {
      notes.push(`width ${String(h.width)} → ${DEFAULT_WIDTH} (not a number in the code)`);
      return DEFAULT_WIDTH;
    }
    if (h.width > MAX_WIDTH) {
      notes.push(`width ${h.width} → ${MAX_WIDTH} (capped so the mini-training stays interactive)`);
      return MAX_WIDTH;
    }
    return h.width;
  });
  const dropout = hidden.map((h) => (h.dropout !== undefined && h.dropout >= 0 && h.dropout < 1 ? h.dropout : 0));
  const firstInit = (layers[denseIdx[0] as number] as ArchLayer).init;
  const raw = {
    id: `${arch.name ?? 'model'} (${arch.framework})`,
    task,
    sizes: [2, ...widths, outputs],
    activation: hidden.map((h) => actChoice(h.act)),
    output_activation: outputActivation,
    data,
    test_fraction: 0.2,
    init: { scheme: initScheme(firstInit, arch.framework) },
    optimizer: { kind: 'adam', lr: 0.01 },
    batch_size: 32,
    steps: 500,
    seed: 0,
    norm,
    dropout,
  };
  const spec = parseTrainingSpec(raw);
  const summary = ['2', ...widths.map((w, i) => `${w} ${spec.activations[i]?.name ?? ''}`.trim()), `${outputs}`].join(' → ');
  const label = summary.length <= 48 ? summary : `${arch.name ?? 'this model'} · ${widths.length} hidden layers`;
  return { spec, raw, notes: [...new Set(notes)], summary, label, written };
}
