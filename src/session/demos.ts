// The one-click demos: each a comparison that differs in one factor, on the same data and
// seed, with one sentence saying what to look at.
import { parseTrainingSpec } from '../engine/train/spec';
import type { DemoInfo } from '../shared/protocol';
import type { RunRequest } from './sessionTypes';

export interface Demo extends DemoInfo {
  /** Quick-pick detail. */
  readonly detail: string;
  runs(): RunRequest[];
}

type Raw = Record<string, unknown>;

function variant(base: Raw, label: string, patch: Raw): RunRequest {
  const raw = { ...base, ...patch, id: label };
  return { label, spec: parseTrainingSpec(raw), raw };
}

const hidden = (n: number, w: number): number[] => Array.from({ length: n }, () => w);

// Dying ReLU: a high learning rate pushes many ReLU units to negative
// pre-activations for every input; their gradient is then exactly 0 and they never recover.
const dyingBase: Raw = {
  task: 'binary',
  sizes: [2, 32, 32, 1],
  data: { kind: 'circle', n: 300, noise: 0.1 },
  test_fraction: 0.2,
  init: { scheme: 'kaiming_uniform' },
  optimizer: { kind: 'adam', lr: 0.1 },
  batch_size: 16,
  steps: 1500,
  seed: 3,
};

// Vanishing gradients: ten sigmoid layers multiply ten factors ≤ 1/4 into the first layer's
// gradient; tanh (≤ 1) fares better; ReLU with He init keeps the scale.
const deepBase: Raw = {
  task: 'binary',
  sizes: [2, ...hidden(10, 16), 1],
  data: { kind: 'moons', n: 300, noise: 0.1 },
  test_fraction: 0.2,
  optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.9 },
  batch_size: 32,
  steps: 600,
  seed: 1,
};

// Initialization: all-zero weights leave every unit of a layer identical (and ReLU units
// with zero input get zero gradient); Xavier and He start the signal at the right scale.
const initBase: Raw = {
  task: 'binary',
  sizes: [2, 16, 16, 16, 1],
  activation: 'relu',
  data: { kind: 'xor', n: 300, noise: 0.05 },
  test_fraction: 0.2,
  optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9 },
  batch_size: 16,
  steps: 2000,
  seed: 2,
};

// Sparsity: ReLU outputs exact zeros for every negative input; GELU and tanh almost never do.
const sparseBase: Raw = {
  task: 'multiclass',
  sizes: [2, 32, 32, 32, 3],
  data: { kind: 'spiral', n: 300, noise: 0.1, classes: 3 },
  test_fraction: 0.2,
  init: { scheme: 'kaiming_uniform' },
  optimizer: { kind: 'adam', lr: 0.01 },
  batch_size: 32,
  steps: 800,
  seed: 4,
};

export const DEMOS: readonly Demo[] = [
  {
    id: 'dying-relu',
    title: 'Dying ReLU',
    focus: 'dead',
    detail: 'ReLU vs Leaky ReLU vs ELU at a high learning rate (Adam, lr 0.1)',
    lookAt: 'Watch the dead-units chart: ReLU layers lose a large share of units for good, while Leaky ReLU and ELU keep every unit alive (their negative side still passes gradient).',
    runs: () => [
      variant(dyingBase, 'ReLU', { activation: 'relu' }),
      variant(dyingBase, 'Leaky ReLU', { activation: 'leaky_relu' }),
      variant(dyingBase, 'ELU', { activation: 'elu' }),
    ],
  },
  {
    id: 'vanishing-gradients',
    title: 'Vanishing gradients',
    focus: 'grads',
    detail: '10 hidden layers: sigmoid vs tanh (Xavier) vs ReLU (He init)',
    lookAt: 'Look at the gradient-norm chart (log scale): the sigmoid net’s first layers get gradients orders of magnitude smaller than its last layer, so its loss barely moves; ReLU with He init keeps them level.',
    runs: () => [
      variant(deepBase, 'sigmoid', { activation: 'sigmoid', init: { scheme: 'xavier_uniform' } }),
      variant(deepBase, 'tanh', { activation: 'tanh', init: { scheme: 'xavier_uniform' } }),
      variant(deepBase, 'ReLU + He', { activation: 'relu', init: { scheme: 'kaiming_normal' } }),
    ],
  },
  {
    id: 'initialization',
    title: 'Initialization',
    focus: 'loss',
    detail: 'The same ReLU net from zeros vs Xavier vs He initialization',
    lookAt: 'Compare the loss curves: from zeros every unit stays identical (and dead), so the loss sits at ln 2 ≈ 0.69 for good, while Xavier and He start the signal at the right scale and learn.',
    runs: () => [
      variant(initBase, 'zeros', { init: { scheme: 'zeros' } }),
      variant(initBase, 'Xavier', { init: { scheme: 'xavier_uniform' } }),
      variant(initBase, 'He', { init: { scheme: 'kaiming_uniform' } }),
    ],
  },
  {
    id: 'sparsity',
    title: 'Sparsity',
    focus: 'sparsity',
    detail: 'Fraction of exact zeros per layer: ReLU vs GELU vs tanh',
    lookAt: 'Read the sparsity chart: about half of ReLU’s activations are exactly zero in every layer, while GELU and tanh produce almost none.',
    runs: () => [
      variant(sparseBase, 'ReLU', { activation: 'relu' }),
      variant(sparseBase, 'GELU', { activation: 'gelu' }),
      variant(sparseBase, 'tanh', { activation: 'tanh', init: { scheme: 'xavier_uniform' } }),
    ],
  },
];

export function findDemo(id: string): Demo | undefined {
  return DEMOS.find((d) => d.id === id);
}
