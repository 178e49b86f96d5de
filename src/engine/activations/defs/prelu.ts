// PReLU (learned slope) and RReLU (random slope while training, its mean at evaluation):
// the Leaky ReLU curve with other parameters, sharing its hand-written loops.
import { num } from '../kernel';
import type { BindingParam, CatalogEntry, ElementwiseDef, ParamValue } from '../types';
import { kinksAt, show, slopeFormulas, slopeKernel, slopeMeta } from './piecewise-util';

const GRAD_AT_ZERO_ONE = { value: 'one', doc: '1 (JAX, Flax: x >= 0 selects the identity)' };
const p = (name: string, canonical: string, def: ParamValue, aliases?: readonly string[]): BindingParam => ({ name, canonical, default: def, ...(aliases ? { aliases } : {}) });

// PReLU: the Leaky ReLU whose slope is learned. One shared weight here (torch's default
// num_parameters=1); per-channel weights are the same curve per channel.
const prelu: ElementwiseDef = {
  kind: 'elementwise',
  id: 'prelu',
  title: 'PReLU',
  summary: 'Parametric ReLU: a Leaky ReLU whose negative slope is a learned weight.',
  tags: { family: 'relu', demo: 'dying-relu' },
  params: [{ name: 'weight', type: 'number', default: 0.25, uiMin: -0.5, uiMax: 1, doc: 'the (learned) slope for x < 0; shown at its current value' }],
  conventions: [
    {
      name: 'gradAtZero',
      doc: 'derivative returned at x = 0',
      options: [
        { value: 'slope', doc: 'the weight (PyTorch: x > 0 ? g : w·g; TF.js prelu)' },
        { value: 'zero', doc: '0 (Keras PReLU: relu(x) − α·relu(−x), both relu′(0) = 0)' },
        GRAD_AT_ZERO_ONE,
      ],
    },
  ],
  kernel: (p, c) => {
    const w = num(p, 'weight');
    return slopeKernel(w, c['gradAtZero'] === 'one' ? 1 : c['gradAtZero'] === 'zero' ? 0 : w);
  },
  formulas: (p) => slopeFormulas(num(p, 'weight')),
  meta: (p) => slopeMeta(num(p, 'weight'), ['CNNs where the negative slope should be learned (learnable parameter)'], 1.2),
  kinks: (p, c) => kinksAt(prelu.kernel(p, c).df, [0], (x) => `f′(0) = ${show(prelu.kernel(p, c).df(x))}`),
  plotRange: [-4, 4],
};

// RReLU: in training mode torch draws the slope a ~ U(lower, upper) per element on every
// forward pass (random, so not a function we can plot); in eval mode it is leaky_relu with
// a = (lower + upper) / 2 (torch's rrelu_with_noise eval branch), f′(0) = a.
const rrelu: ElementwiseDef = {
  kind: 'elementwise',
  id: 'rrelu',
  title: 'RReLU (eval mode)',
  summary: 'Randomized leaky ReLU: a random negative slope while training, their mean (lower + upper)/2 at evaluation.',
  tags: { family: 'relu', demo: 'dying-relu' },
  params: [
    { name: 'lower', type: 'number', default: 1 / 8, uiMin: 0, uiMax: 1, doc: 'lower bound of the random slope' },
    { name: 'upper', type: 'number', default: 1 / 3, uiMin: 0, uiMax: 1, doc: 'upper bound of the random slope' },
  ],
  conventions: [],
  validate: (p) => (num(p, 'lower') > num(p, 'upper') ? `lower (${num(p, 'lower')}) must be ≤ upper (${num(p, 'upper')})` : undefined),
  kernel: (p) => {
    const a = (num(p, 'lower') + num(p, 'upper')) / 2;
    return slopeKernel(a, a);
  },
  formulas: (p) => {
    const a = (num(p, 'lower') + num(p, 'upper')) / 2;
    const base = slopeFormulas(a);
    return {
      ...base,
      f: { latex: `${base.f.latex} \\quad (a = \\tfrac{${show(num(p, 'lower'))} + ${show(num(p, 'upper'))}}{2})`, text: `${base.f.text}   (eval: a = (lower + upper)/2; training: a ~ U(${show(num(p, 'lower'))}, ${show(num(p, 'upper'))}) per element)` },
    };
  },
  meta: (p) => slopeMeta((num(p, 'lower') + num(p, 'upper')) / 2, ['regularising the negative slope by noise (training)'], 1.5),
  kinks: (p) => {
    const a = (num(p, 'lower') + num(p, 'upper')) / 2;
    return [{ x: 0, left: a, right: 1, convention: `f′(0) = ${show(a)} (eval mode, as leaky_relu)` }];
  },
  plotRange: [-4, 4],
};

/**
 * Keras PReLU's alpha_initializer ("Zeros"), standing for the learned alpha's value: "zeros" /
 * "ones" or a number (as Constant(value) would give). `alpha` is accepted as an alias.
 */
const alphaInitializer: BindingParam = {
  name: 'alpha_initializer',
  canonical: 'weight',
  default: 'Zeros',
  options: ['Zeros', 'zeros', 'Ones', 'ones'],
  aliases: ['alpha'],
  toCanonical: (v: ParamValue): ParamValue => {
    if (typeof v === 'number') return v;
    if (v === 'Zeros' || v === 'zeros') return 0;
    if (v === 'Ones' || v === 'ones') return 1;
    throw new Error(`alpha_initializer ${JSON.stringify(v)}: give the (learned) alpha as a number, or "zeros" / "ones"`);
  },
};

// rrelu's `training` flag: False (eval) is the deterministic curve; True is random.
const training: BindingParam = {
  name: 'training',
  canonical: 'training',
  default: false,
  toCanonical: (v: ParamValue): ParamValue => {
    if (v === true) throw new Error('training=True draws a random slope per element on every call; only eval mode (training=False) is a fixed curve');
    return v;
  },
};

export const PRELU_ENTRIES: readonly CatalogEntry[] = [
  {
    def: prelu,
    bindings: [
      {
        framework: 'torch',
        id: 'prelu',
        names: ['prelu'],
        paths: ['torch.nn.functional.prelu', 'torch.prelu'],
        params: [p('weight', 'weight', 0.25)],
        conventions: { gradAtZero: 'slope' },
        notes: ['F.prelu(input, weight) takes the weight tensor; one shared value here.'],
      },
      {
        framework: 'torch',
        id: 'prelu',
        names: ['PReLU'],
        paths: ['torch.nn.PReLU'],
        // nn.PReLU(num_parameters=1, init=0.25): the count only sets how many slopes are learned.
        params: [p('num_parameters', 'num_parameters', 1), p('init', 'weight', 0.25, ['weight'])],
        conventions: { gradAtZero: 'slope' },
        notes: ['The weight is learned, starting at init=0.25; num_parameters=C learns one slope per channel (the same curve per channel).'],
      },
      {
        framework: 'keras',
        id: 'prelu',
        names: ['PReLU'],
        paths: ['keras.layers.PReLU'],
        params: [alphaInitializer],
        conventions: { gradAtZero: 'zero' },
        notes: ['alpha is learned per channel, initialised by alpha_initializer="Zeros" (so it starts as ReLU); relu(x) − alpha·relu(−x) gives f′(0) = 0.'],
      },
      {
        framework: 'jax',
        id: 'prelu',
        names: ['PReLU'],
        paths: ['flax.linen.PReLU', 'flax.nnx.PReLU'],
        params: [p('param_dtype', 'param_dtype', 'float32'), p('negative_slope_init', 'weight', 0.01)],
        conventions: { gradAtZero: 'one' },
        notes: ['Flax, not jax.nn: where(x >= 0, x, a·x) with a learned scalar starting at negative_slope_init.'],
      },
      {
        framework: 'tf',
        id: 'prelu',
        names: ['PReLU'],
        paths: ['tf.keras.layers.PReLU'],
        params: [alphaInitializer],
        conventions: { gradAtZero: 'zero' },
        notes: ['Learned alpha, alpha_initializer="zeros"; relu(x) − alpha·relu(−x) gives f′(0) = 0.'],
      },
      {
        framework: 'tfjs',
        id: 'prelu',
        names: ['prelu'],
        paths: ['tf.prelu', 'tf.layers.prelu'],
        params: [p('alpha', 'weight', 0)],
        conventions: { gradAtZero: 'slope' },
        notes: ['tf.prelu(x, alpha) requires alpha; tf.layers.prelu learns it from alphaInitializer "zeros". f′(0) = alpha.'],
      },
    ],
  },
  {
    def: rrelu,
    bindings: [
      {
        framework: 'torch',
        id: 'rrelu',
        names: ['rrelu', 'rrelu_', 'rrelu_eval'],
        paths: ['torch.nn.functional.rrelu', 'torch.rrelu', 'torch.rrelu_'],
        params: [p('lower', 'lower', 1 / 8), p('upper', 'upper', 1 / 3), training],
        conventions: {},
        notes: [
          'Eval mode (F.rrelu default training=False): leaky_relu with slope (lower + upper)/2.',
          'Training mode draws a slope ~ U(lower, upper) per element on every call: random, so only its mean curve is shown.',
        ],
      },
      {
        // The module's third argument is `inplace`; its mode comes from module.train()/eval().
        framework: 'torch',
        id: 'rrelu',
        names: ['RReLU'],
        paths: ['torch.nn.RReLU'],
        params: [p('lower', 'lower', 1 / 8), p('upper', 'upper', 1 / 3)],
        conventions: {},
        notes: ['Shown in eval mode (module.eval()): slope (lower + upper)/2. In train mode the slope is random, ~ U(lower, upper) per element.'],
      },
    ],
  },
];
