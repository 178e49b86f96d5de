// Reverse-mode gradients against central finite differences, in float64, for every layer type
// (dense, batch norm, layer norm, dropout), every loss, every output activation, the L1/L2
// penalties, and every elementwise activation the catalog offers under a torch name.
import * as assert from 'node:assert/strict';
import { bindingsOf, getDef } from '../../src/engine/activations/registry';
import { Rng } from '../../src/engine/random';
import { lossAndGrad } from '../../src/engine/train/losses';
import { dense, denseBackward, type Model } from '../../src/engine/train/model';
import { trainSpec } from '../../src/engine/train/trainer';
import { createArena } from '../../src/engine/train/wasm';
import { applyPenalty } from '../../src/engine/train/optimizers';
import { buildModel } from '../../src/engine/train/setup';
import { parseTrainingSpec, type TrainingSpec } from '../../src/engine/train/spec';

const B = 7;

function makeSpec(over: Record<string, unknown>): TrainingSpec {
  const rng = new Rng(11);
  const sizes = (over.sizes as number[]) ?? [3, 5, 4, 2];
  const nOut = sizes[sizes.length - 1] as number;
  const task = (over.task as string) ?? 'regression';
  const X = Array.from({ length: B }, () => Array.from({ length: sizes[0] as number }, () => rng.normal()));
  const y =
    task === 'multiclass'
      ? Array.from({ length: B }, (_, i) => i % nOut)
      : task === 'binary'
        ? Array.from({ length: B }, (_, i) => [i % 2])
        : Array.from({ length: B }, () => Array.from({ length: nOut }, () => rng.normal()));
  return parseTrainingSpec({
    task,
    sizes,
    X,
    y,
    activation: 'relu',
    init: { scheme: 'normal', std: 0.8, bias: { scheme: 'normal', std: 0.5 } },
    optimizer: { kind: 'sgd', lr: 0.1 },
    steps: 1,
    seed: 5,
    ...over,
  });
}

/** The training objective at the current parameters (fixed dropout mask via a fresh seeded Rng). */
function objective(model: Model, spec: TrainingSpec, grad: boolean): number {
  const d = spec.sizes[0] as number;
  const nOut = spec.sizes[spec.sizes.length - 1] as number;
  (spec.X as number[][]).forEach((r, i) => model.input.set(r, i * d));
  const target = new Float64Array((spec.y as (number | number[])[]).flat());
  model.forward(B, true, new Rng(99));
  const outL = model.layers[model.layers.length - 1];
  let loss = lossAndGrad(spec.loss, model.output, target, B, nOut, grad ? (outL?.da ?? null) : null);
  if (grad) model.backward(B);
  if (spec.l1 || spec.l2) {
    if (grad) loss += applyPenalty(model, spec.l1, spec.l2);
    else {
      for (const L of model.layers) for (const w of L.W) loss += spec.l1 * Math.abs(w) + spec.l2 * w * w;
    }
  }
  return loss;
}

function gradcheck(over: Record<string, unknown>, tol = 1e-6): void {
  const spec = makeSpec(over);
  const model = buildModel(spec, Float64Array, B);
  objective(model, spec, true);
  const analytic = Float64Array.from(model.grads);
  const p = model.params;
  let worst = 0;
  let nonzero = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i] as number;
    const h = 1e-6 * Math.max(1, Math.abs(v));
    p[i] = v + h;
    const up = objective(model, spec, false);
    p[i] = v - h;
    const down = objective(model, spec, false);
    p[i] = v;
    const fd = (up - down) / (2 * h);
    const a = analytic[i] as number;
    if (a !== 0) nonzero++;
    worst = Math.max(worst, Math.abs(fd - a) / Math.max(1e-4, Math.abs(fd), Math.abs(a)));
  }
  assert.ok(worst < tol, `worst relative gradient error ${worst}`);
  assert.ok(nonzero > p.length / 4, `only ${nonzero} of ${p.length} gradients are non-zero: the check would be vacuous`);
}

describe('gradients match finite differences', () => {
  it('dense layers + MSE', () => gradcheck({}));
  it('cross-entropy (integer labels)', () => gradcheck({ task: 'multiclass', sizes: [3, 6, 4] }));
  it('BCE with logits', () => gradcheck({ task: 'binary', sizes: [3, 6, 1] }));
  // the dense bias before a batch norm has a zero gradient; FD noise there is ~1e-10 absolute
  it('batch norm between layers (training mode)', () => gradcheck({ norm: 'batch', activation: 'leaky_relu' }, 1e-5));
  it('layer norm between layers', () => gradcheck({ norm: 'layer', activation: 'leaky_relu' }));
  it('dropout (fixed mask)', () => gradcheck({ dropout: 0.3, sizes: [3, 8, 8, 2] }));
  it('L1 and L2 penalties', () => gradcheck({ l1: 0.01, l2: 0.05 }));
  it('sigmoid output activation', () => gradcheck({ output_activation: 'sigmoid' }));
  it('tanh output activation', () => gradcheck({ output_activation: 'tanh' }));
  it('per-layer activations with parameters', () => gradcheck({ activation: [{ name: 'leaky_relu', params: { negative_slope: 0.2 } }, 'relu'] }));

  for (const name of ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu', 'elu', 'silu']) {
    it(`activation ${name}`, () => gradcheck({ activation: name }));
  }
  // a capped Keras relu is the same catalog def as torch's relu, but not the plain function
  it('activation relu from Keras with max_value (not the plain ReLU)', () => gradcheck({ activation: { name: 'relu', framework: 'keras', params: { max_value: 0.5 } } }));
  it('activation gelu approximate="tanh"', () => gradcheck({ activation: { name: 'gelu', params: { approximate: 'tanh' } } }));

  it('every other elementwise torch activation in the catalog', () => {
    const seen = new Set<string>();
    const flat: string[] = [];
    for (const b of bindingsOf('torch')) {
      if (seen.has(b.id) || getDef(b.id).kind !== 'elementwise') continue;
      seen.add(b.id);
      try {
        gradcheck({ activation: b.names[0], sizes: [3, 6, 2] }, 1e-5);
      } catch (e) {
        // a step function passes no gradient at all: nothing to compare, which must be the exception
        if (!/non-zero/.test((e as Error).message)) throw new Error(`${b.names[0]}: ${(e as Error).message}`);
        flat.push(b.id);
      }
    }
    assert.ok(seen.size >= 20, `only ${seen.size} activations`);
    assert.deepEqual(flat.filter((id) => id !== 'binary_step'), [], 'activations whose network gradient is (almost) all zero');
  });
});

describe('float32 WebAssembly SIMD kernels', () => {
  const SHAPES = [[1, 1, 1], [7, 5, 3], [32, 64, 64], [10, 2, 4], [9, 17, 6], [64, 16, 16], [5, 130, 3]] as const;
  for (const unrolled of [false, true]) it(`agree with the float64 loops to float32 rounding, for every row/column remainder (${unrolled ? 'kernels unrolled per width' : 'generic loops'})`, () => {
    const arena = createArena(1 << 18, unrolled ? SHAPES.map((s) => s[1]) : []);
    assert.ok(arena, 'WebAssembly SIMD is available in Node 20');
    const rng = new Rng(3);
    for (const [B, nIn, nOut] of SHAPES) {
      const x = arena.alloc(B * nIn), W = arena.alloc(nOut * nIn), b = arena.alloc(nOut), z = arena.alloc(B * nOut);
      const dz = arena.alloc(B * nOut), gW = arena.alloc(nOut * nIn), gb = arena.alloc(nOut), dx = arena.alloc(B * nIn);
      for (const a of [x, W, b, dz]) for (let i = 0; i < a.length; i++) a[i] = rng.next() < 0.2 ? 0 : rng.normal();
      gW.fill(0.5);
      gb.fill(0.25);
      arena.kernels.dense(x, W, b, z, B, nIn, nOut);
      arena.kernels.denseBackward(x, W, dz, gW, gb, dx, B, nIn, nOut);
      const z64 = new Float64Array(B * nOut), gW64 = new Float64Array(nOut * nIn).fill(0.5), gb64 = new Float64Array(nOut).fill(0.25), dx64 = new Float64Array(B * nIn);
      dense(Float64Array.from(x), Float64Array.from(W), Float64Array.from(b), z64, B, nIn, nOut);
      denseBackward(Float64Array.from(x), Float64Array.from(W), Float64Array.from(dz), gW64, gb64, dx64, B, nIn, nOut);
      for (const [got, want, name] of [[z, z64, 'z'], [gW, gW64, 'gW'], [gb, gb64, 'gb'], [dx, dx64, 'dx']] as const) {
        let scale = 0;
        for (const v of want) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < want.length; i++) assert.ok(Math.abs((got[i] as number) - (want[i] as number)) <= 1e-6 * Math.max(1, scale) * Math.sqrt(B + nIn + nOut), `${name}[${i}] ${B}×${nIn}→${nOut}`);
      }
    }
  });

  it('float32 trainings with and without SIMD stay within float32 noise of each other', () => {
    const spec = parseTrainingSpec({ task: 'multiclass', data: { kind: 'spiral', classes: 3, n: 150 }, sizes: [2, 24, 24, 3], activation: 'tanh', init: 'xavier_uniform', optimizer: { kind: 'adam', lr: 0.01 }, batch_size: 30, steps: 50, seed: 4 });
    const a = trainSpec(spec, { precision: 'float32' });
    const b = trainSpec(spec, { precision: 'float32', simd: false });
    const c = trainSpec(spec, { precision: 'float64' });
    a.loss_per_step.forEach((l, i) => {
      assert.ok(Math.abs(l - (c.loss_per_step[i] as number)) < 1e-4 * l, `simd step ${i}`);
      assert.ok(Math.abs((b.loss_per_step[i] as number) - (c.loss_per_step[i] as number)) < 1e-4 * l, `js step ${i}`);
    });
  });
});
