// Piecewise activations beyond the ReLU family: the hard* group (hard.ts), shrinkage
// (hardshrink, softshrink), Threshold, and (simple.ts) binary step, identity and JAX/Keras's
// sparse_plus / sparse_sigmoid. Keras conventions from keras/src/backend/tensorflow/nn.py:
// hard_shrink = where(|x| > t, x, 0); soft_shrink and threshold use tf.where on strict
// comparisons, so f′ = 0 exactly at the thresholds.
import { makeKernel, num } from '../kernel';
import type { CatalogEntry, ElementwiseDef, NumArray } from '../types';
import { HARD_ENTRIES } from './hard';
import { SIMPLE_ENTRIES } from './simple';
import { kinksAt, show, tex, zeroSecond } from './piecewise-util';

const lambd = { name: 'lambd', type: 'number', default: 0.5, min: 0, uiMax: 3, doc: 'half-width of the zeroed band [−λ, λ]' } as const;

// hardshrink(x) = x if |x| > λ else 0 (torch: (x >= −λ && x <= λ) ? 0 : x, backward the same
// mask, so f′(±λ) = 0; Keras tf.where(|x| > t)). NaN → NaN (torch's mask lets NaN through too).
const hardshrink: ElementwiseDef = {
  kind: 'elementwise',
  id: 'hardshrink',
  title: 'Hardshrink',
  summary: 'Zeroes inputs within [−λ, λ], passes the rest unchanged (sparse coding, denoising).',
  params: [lambd],
  conventions: [],
  kernel: (p) => {
    const l = num(p, 'lambd');
    return makeKernel({
      f: (x) => (x > l || x < -l ? x : x === x ? 0 : x),
      df: (x) => (x > l || x < -l ? 1 : x === x ? 0 : x),
      d2f: zeroSecond,
    });
  },
  formulas: (p) => {
    const l = num(p, 'lambd');
    return {
      f: { latex: `\\begin{cases} x & |x| > ${tex(l)} \\\\ 0 & |x| \\le ${tex(l)} \\end{cases}`, text: `x if |x| > ${show(l)}, else 0` },
      df: { latex: `\\begin{cases} 1 & |x| > ${tex(l)} \\\\ 0 & |x| \\le ${tex(l)} \\end{cases}`, text: `1 if |x| > ${show(l)}, else 0` },
      d2f: { latex: `0 \\quad (|x| \\ne ${tex(l)})`, text: `0 (|x| ≠ ${show(l)})` },
    };
  },
  meta: (p) => {
    const l = num(p, 'lambd');
    return {
      range: l > 0 ? `(−∞, −${show(l)}) ∪ {0} ∪ (${show(l)}, ∞)` : '(−∞, ∞)',
      lower: -Infinity,
      upper: Infinity,
      // Jumps at ±λ go up (−λ → 0 and 0 → λ), so the function never decreases.
      monotonic: l > 0 ? 'non-decreasing' : 'increasing',
      // λ = 0 is the identity, but every framework still returns f′(0) = 0: a kink by convention.
      smoothness: l > 0 ? 'discontinuous' : 'C0',
      zeroCentred: true,
      bounded: false,
      selfNormalizing: false,
      uses: ['sparse coding / denoising (shrinkage)', 'wavelet thresholding'],
      cost: 1,
    };
  },
  kinks: (p) => {
    const l = num(p, 'lambd');
    return kinksAt(hardshrink.kernel(p, {}).df, [-l, l], (x) => `f′(${show(x)}) = 0 (|x| ≤ λ is the zero branch)`);
  },
  plotRange: [-3, 3],
};

// softshrink(x) = x − λ if x > λ, x + λ if x < −λ, else 0; f′(±λ) = 0 (torch reference data;
// Keras tf.where on strict comparisons). At NaN torch's backward gives 1 (its mask lets NaN
// through; some versions also return softshrink(NaN) = 0); we return NaN for f, f′ and f″.
const softshrink: ElementwiseDef = {
  kind: 'elementwise',
  id: 'softshrink',
  title: 'Softshrink',
  summary: 'Soft thresholding: shrinks every input toward 0 by λ, zeroing the band [−λ, λ].',
  params: [lambd],
  conventions: [],
  kernel: (p) => {
    const l = num(p, 'lambd');
    return makeKernel({
      f: (x) => (x > l ? x - l : x < -l ? x + l : x === x ? 0 : x),
      df: (x) => (x > l || x < -l ? 1 : x === x ? 0 : x),
      d2f: zeroSecond,
    });
  },
  formulas: (p) => {
    const l = num(p, 'lambd');
    return {
      f: { latex: `\\begin{cases} x - ${tex(l)} & x > ${tex(l)} \\\\ x + ${tex(l)} & x < -${tex(l)} \\\\ 0 & \\text{otherwise} \\end{cases}`, text: `x − ${show(l)} if x > ${show(l)}, x + ${show(l)} if x < −${show(l)}, else 0` },
      df: { latex: `\\begin{cases} 1 & |x| > ${tex(l)} \\\\ 0 & |x| \\le ${tex(l)} \\end{cases}`, text: `1 if |x| > ${show(l)}, else 0` },
      d2f: { latex: `0 \\quad (|x| \\ne ${tex(l)})`, text: `0 (|x| ≠ ${show(l)})` },
    };
  },
  meta: (p) => {
    const l = num(p, 'lambd');
    return {
      range: '(−∞, ∞)',
      lower: -Infinity,
      upper: Infinity,
      monotonic: l > 0 ? 'non-decreasing' : 'increasing',
      smoothness: 'C0', // also for λ = 0: f′(0) = 0 by convention
      zeroCentred: true,
      bounded: false,
      selfNormalizing: false,
      uses: ['sparse coding (ISTA / LISTA proximal step)', 'denoising'],
      cost: 1,
    };
  },
  kinks: (p) => {
    const l = num(p, 'lambd');
    return kinksAt(softshrink.kernel(p, {}).df, [-l, l], (x) => `f′(${show(x)}) = 0 (|x| ≤ λ is the zero branch)`);
  },
  plotRange: [-3, 3],
};

// threshold(x) = x if x > θ else value (torch F.threshold: x <= θ ? value : x; backward zeroes
// x <= θ, so f′(θ) = 0; Keras tf.where(x > θ, x, default_value); Keras 2 / TF.js
// ThresholdedReLU(theta) is the same with value 0, computed as x·[x > θ]).
const threshold: ElementwiseDef = {
  kind: 'elementwise',
  id: 'threshold',
  title: 'Threshold',
  summary: 'Passes inputs above a threshold, replaces the rest by a constant value.',
  params: [
    { name: 'threshold', type: 'number', default: 0, uiMin: -3, uiMax: 3, doc: 'inputs at or below it are replaced' },
    { name: 'value', type: 'number', default: 0, uiMin: -3, uiMax: 3, doc: 'the replacement value' },
  ],
  conventions: [],
  kernel: (p) => {
    const t = num(p, 'threshold');
    const v = num(p, 'value');
    return makeKernel({
      f: (x) => (x > t ? x : x === x ? v : x),
      df: (x) => (x > t ? 1 : x === x ? 0 : x),
      d2f: zeroSecond,
      // Hand-written: the bench counts Threshold in the ReLU family (≥ 0.5× a bare Math.max loop).
      forward(x: NumArray, y: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const u = x[i] as number;
          y[i] = u > t ? u : u <= t ? v : u;
        }
      },
      backward(x: NumArray, _y: NumArray, gy: NumArray, gx: NumArray, n = x.length) {
        for (let i = 0; i < n; i++) {
          const u = x[i] as number;
          gx[i] = u > t ? (gy[i] as number) : u <= t ? 0 : NaN;
        }
      },
    });
  },
  formulas: (p) => {
    const t = num(p, 'threshold');
    const v = num(p, 'value');
    return {
      f: { latex: `\\begin{cases} x & x > ${tex(t)} \\\\ ${tex(v)} & x \\le ${tex(t)} \\end{cases}`, text: `x if x > ${show(t)}, else ${show(v)}` },
      df: { latex: `\\begin{cases} 1 & x > ${tex(t)} \\\\ 0 & x \\le ${tex(t)} \\end{cases}`, text: `1 if x > ${show(t)}, else 0` },
      d2f: { latex: `0 \\quad (x \\ne ${tex(t)})`, text: `0 (x ≠ ${show(t)})` },
    };
  },
  meta: (p) => {
    const t = num(p, 'threshold');
    const v = num(p, 'value');
    return {
      range: v < t ? `{${show(v)}} ∪ (${show(t)}, ∞)` : v === t ? `[${show(t)}, ∞)` : `(${show(t)}, ∞)`,
      lower: Math.min(v, t),
      upper: Infinity,
      monotonic: v <= t ? 'non-decreasing' : 'no',
      smoothness: v === t ? 'C0' : 'discontinuous',
      zeroCentred: false,
      bounded: false,
      selfNormalizing: false,
      uses: ['thresholded ReLU (value 0)', 'hard gating of small activations'],
      cost: 1,
    };
  },
  kinks: (p) => kinksAt(threshold.kernel(p, {}).df, [num(p, 'threshold')], (x) => `f′(${show(x)}) = 0 (x ≤ threshold takes the constant branch)`),
  plotRange: [-3, 3],
};

const shrinkParam = (name: string) => [{ name, canonical: 'lambd', default: 0.5 }];

export const PIECEWISE_ENTRIES: readonly CatalogEntry[] = [
  ...HARD_ENTRIES,
  {
    def: hardshrink,
    bindings: [
      { framework: 'torch', id: 'hardshrink', names: ['hardshrink', 'Hardshrink'], paths: ['torch.nn.Hardshrink', 'torch.nn.functional.hardshrink', 'torch.hardshrink', 'torch.Tensor.hardshrink'], params: shrinkParam('lambd'), conventions: {} },
      { framework: 'keras', id: 'hardshrink', names: ['hard_shrink'], paths: ['keras.activations.hard_shrink', 'keras.ops.hard_shrink'], params: shrinkParam('threshold'), conventions: {} },
    ],
  },
  {
    def: softshrink,
    bindings: [
      {
        framework: 'torch',
        id: 'softshrink',
        names: ['softshrink', 'Softshrink'],
        paths: ['torch.nn.Softshrink', 'torch.nn.functional.softshrink'],
        params: shrinkParam('lambd'),
        conventions: {},
        notes: ['At NaN PyTorch’s derivative is 1 (some versions also return softshrink(NaN) = 0); this catalog returns NaN for both.'],
      },
      { framework: 'keras', id: 'softshrink', names: ['soft_shrink'], paths: ['keras.activations.soft_shrink', 'keras.ops.soft_shrink'], params: shrinkParam('threshold'), conventions: {} },
    ],
  },
  {
    def: threshold,
    bindings: [
      {
        framework: 'torch',
        id: 'threshold',
        names: ['threshold', 'Threshold', 'threshold_'],
        paths: ['torch.nn.Threshold', 'torch.nn.functional.threshold', 'torch.threshold', 'torch.threshold_'],
        params: [
          { name: 'threshold', canonical: 'threshold', default: 0 },
          { name: 'value', canonical: 'value', default: 0 },
        ],
        conventions: {},
        notes: ['Both arguments are required in PyTorch; the defaults shown (0, 0) make it ReLU.'],
      },
      {
        framework: 'keras',
        id: 'threshold',
        names: ['threshold'],
        paths: ['keras.activations.threshold', 'keras.ops.threshold'],
        params: [
          { name: 'threshold', canonical: 'threshold', default: 0 },
          { name: 'default_value', canonical: 'value', default: 0 },
        ],
        conventions: {},
        notes: ['Both arguments are required in Keras; the defaults shown (0, 0) make it ReLU.'],
      },
      { framework: 'tf', id: 'threshold', names: ['ThresholdedReLU'], paths: ['tf.keras.layers.ThresholdedReLU'], params: [{ name: 'theta', canonical: 'threshold', default: 1 }], fixed: { value: 0 }, conventions: {} },
      {
        framework: 'tfjs',
        id: 'threshold',
        names: ['thresholdedReLU'],
        paths: ['tf.layers.thresholdedReLU'],
        params: [{ name: 'theta', canonical: 'threshold', default: 1 }],
        fixed: { value: 0 },
        conventions: {},
        notes: ['TF.js cannot differentiate it (x·cast(x > theta): no gradient for Greater); f′ shown is the mathematical one, 0 at theta.'],
      },
    ],
  },
  ...SIMPLE_ENTRIES,
];
