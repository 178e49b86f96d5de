// Keras conventions, which have no reference file: every expected value below is derived by
// hand from Keras's source formulas (cited per block), evaluated on simple inputs, and then
// compared with what the catalog returns through `resolve('keras' | 'tf', name, params)` —
// so the binding (names, defaults, conventions) is what is tested, not just the math.
// Gradients are those of the TensorFlow backend: keras/src/backend/tensorflow/nn.py maps
// relu → tf.nn.relu (ReluGrad: x > 0), relu6 → tf.nn.relu6 (Relu6Grad: 0 < x < 6),
// leaky_relu → tf.nn.leaky_relu (LeakyReluGrad: x > 0 ? g : α·g); clip → tf.clip_by_value =
// minimum/maximum, whose gradients pass on ties (tensorflow/python/ops/math_grad.py
// _MaximumGrad: x >= y, _MinimumGrad: x <= y); tf.where passes the selected branch's gradient.
import * as assert from 'node:assert/strict';
import { CatalogError, kernelOf, resolve } from '../../src/engine/activations/registry';
import type { ElementwiseKernel, ParamValue } from '../../src/engine/activations/types';

function k(fw: string, name: string, params: Record<string, ParamValue> = {}): ElementwiseKernel {
  const r = resolve(fw, name, params);
  return kernelOf(r.entry.def, r.params, r.conventions);
}

/** Asserts f and f′ at each x (exact equality: these are exact binary fractions or the same ops). */
function check(kern: ElementwiseKernel, rows: [x: number, f: number, df: number][]): void {
  for (const [x, f, df] of rows) {
    assert.ok(Math.abs(kern.f(x) - f) <= 1e-15 * Math.max(1, Math.abs(f)), `f(${x}) = ${kern.f(x)}, want ${f}`);
    assert.ok(Math.abs(kern.df(x) - df) <= 1e-15 * Math.max(1, Math.abs(df)), `f′(${x}) = ${kern.df(x)}, want ${df}`);
  }
}

describe('Keras 3 relu (keras/src/activations/activations.py, ReLU.static_call)', () => {
  it('defaults are max(0, x) with relu′(0) = 0', () => {
    check(k('keras', 'relu'), [
      [-10, 0, 0],
      [0, 0, 0],
      [5, 5, 1],
    ]);
  });

  it('negative_slope alone takes the leaky_relu path: docstring [-10, -5, 0, 5, 10] → [-5, -2.5, 0, 5, 10], f′(0) = slope', () => {
    check(k('keras', 'relu', { negative_slope: 0.5 }), [
      [-10, -5, 0.5],
      [-5, -2.5, 0.5],
      [0, 0, 0.5], // LeakyReluGrad: x > 0 ? g : α·g
      [5, 5, 1],
      [10, 10, 1],
    ]);
  });

  it('max_value=5 clips: docstring → [0, 0, 0, 5, 5]; clip_by_value passes the tie, so f′(5) = 1', () => {
    check(k('keras', 'relu', { max_value: 5 }), [
      [-10, 0, 0],
      [0, 0, 0],
      [4, 4, 1],
      [5, 5, 1],
      [10, 5, 0],
    ]);
  });

  it('max_value=6 without threshold takes the relu6 path: f′(6) = 0 (but 6.5 is clipped: f′(6.5) = 1)', () => {
    check(k('keras', 'relu', { max_value: 6 }), [
      [6, 6, 0],
      [7, 6, 0],
      [3, 3, 1],
    ]);
    check(k('keras', 'relu', { max_value: 6.5 }), [[6.5, 6.5, 1]]);
    // With a threshold the relu6 shortcut is skipped and the clip is used again.
    check(k('keras', 'relu', { max_value: 6, threshold: 1 }), [[6, 6, 1]]);
  });

  it('threshold=5: x·[x > 5] → docstring [0, 0, 0, 0, 10]; f′(5) = 0', () => {
    check(k('keras', 'relu', { threshold: 5 }), [
      [-10, 0, 0],
      [0, 0, 0],
      [4.9, 0, 0],
      [5, 0, 0],
      [5.5, 5.5, 1],
      [10, 10, 1],
    ]);
  });

  it('all three: negative_slope=0.1, max_value=4, threshold=1 → clip(x·[x > 1], 0, 4) − 0.1·relu(1 − x)', () => {
    check(k('keras', 'relu', { negative_slope: 0.1, max_value: 4, threshold: 1 }), [
      [-2, 0 - 0.1 * (1 - -2), 0.1], // −0.30000000000000004, the same float ops as Keras
      [0.5, 0 - 0.1 * 0.5, 0.1],
      [1, 0, 0], // [x > 1]′ = 0 and relu′(0) = 0
      [2, 2, 1],
      [4, 4, 1], // tie at the clip
      [7, 4, 0],
    ]);
  });

  it('negative_slope with max_value skips the leaky path: f′(0) = relu′(0) + 0.2·relu′(−0) = 0', () => {
    check(k('keras', 'relu', { negative_slope: 0.2, max_value: 6 }), [
      [0, 0, 0],
      [-1, -0.2, 0.2],
      [6, 6, 0],
    ]);
  });

  it('the ReLU layer (keras/src/layers/activations/relu.py) calls the same function; its argument order differs', () => {
    const r = resolve('keras', 'ReLU', { max_value: 10, negative_slope: 0.5 });
    assert.deepEqual(Object.keys(r.frameworkParams), ['max_value', 'negative_slope', 'threshold']);
    check(k('keras', 'ReLU', { max_value: 10, negative_slope: 0.5 }), [
      [-10, -5, 0.5],
      [10, 10, 1],
      [12, 10, 0],
    ]);
  });

  it('rejects negative values as the ReLU layer does (“cannot be None or a negative value”)', () => {
    for (const [key, v] of [['max_value', -1], ['negative_slope', -0.5], ['threshold', -2]] as const) {
      assert.throws(() => resolve('keras', 'ReLU', { [key]: v }), (e: unknown) => e instanceof CatalogError && e.message.includes(key));
    }
  });

  it('tf.keras 2 relu has the same graph, spelled alpha', () => {
    check(k('tf', 'relu', { alpha: 0.5, max_value: 5 }), [
      [-4, -2, 0.5],
      [5, 5, 1],
    ]);
  });
});

describe('Keras 3 vs Keras 2 hard_sigmoid', () => {
  // Keras 3: keras/src/backend/tensorflow/nn.py hard_sigmoid = relu6(x + 3) / 6.
  // Keras 2: tf.keras backend.py hard_sigmoid = clip_by_value(0.2·x + 0.5, 0, 1).
  it('Keras 3: (x + 3)/6 clipped, kinks at ±3 with f′ = 0 there (Relu6Grad is strict)', () => {
    check(k('keras', 'hard_sigmoid'), [
      [-4, 0, 0],
      [-3, 0, 0],
      [0, 0.5, 1 / 6],
      [1, 4 / 6, 1 / 6],
      [2.5, 5.5 / 6, 1 / 6],
      [3, 1, 0],
    ]);
    assert.equal(k('keras', 'hard_sigmoid').d2f(1), 0);
  });
  it('Keras 2 (tf.keras.activations.hard_sigmoid): 0.2x + 0.5 clipped, f′(±2.5) = 0.2 (inclusive clip)', () => {
    check(k('tf', 'hard_sigmoid'), [
      [-2.75, 0, 0],
      [-2.5, 0, 0.2],
      [0, 0.5, 0.2],
      [1, 0.7, 0.2],
      [2.5, 1, 0.2],
      [2.75, 1, 0],
      [3, 1, 0],
    ]);
  });
  it('the two differ where it matters: at x = 1 (0.6667 vs 0.7) and at x = 2.75 (0.9583 vs 1)', () => {
    assert.ok(Math.abs(k('keras', 'hard_sigmoid').f(2.75) - 5.75 / 6) < 1e-15);
    assert.equal(k('tf', 'hard_sigmoid').f(2.75), 1);
    assert.notEqual(k('keras', 'hard_sigmoid').f(1), k('tf', 'hard_sigmoid').f(1));
  });
});

describe('Keras LeakyReLU: layer default 0.3, function default 0.2', () => {
  // keras/src/layers/activations/leaky_relu.py: LeakyReLU(negative_slope=0.3), `alpha` deprecated;
  // keras/src/activations/activations.py: leaky_relu(x, negative_slope=0.2).
  it('layer: f(−1) = −0.3, f′(0) = 0.3 (tf.nn.leaky_relu)', () => {
    assert.equal(resolve('keras', 'LeakyReLU').params['negative_slope'], 0.3);
    check(k('keras', 'LeakyReLU'), [
      [-1, -0.3, 0.3],
      [0, 0, 0.3],
      [2, 2, 1],
    ]);
  });
  it('function: f(−1) = −0.2', () => {
    check(k('keras', 'leaky_relu'), [
      [-1, -0.2, 0.2],
      [0, 0, 0.2],
    ]);
  });
  it('the layer still accepts Keras 2’s alpha', () => {
    check(k('keras', 'LeakyReLU', { alpha: 0.1 }), [[-1, -0.1, 0.1]]);
  });
  it('tf.keras 2: tf.nn.leaky_relu alpha=0.2, LeakyReLU layer alpha=0.3', () => {
    assert.equal(k('tf', 'leaky_relu').f(-1), -0.2);
    assert.equal(k('tf', 'LeakyReLU').f(-1), -0.3);
  });
});

describe('Keras hard_silu / hard_swish (tensorflow/nn.py: x · hard_sigmoid(x))', () => {
  // f = x·(x + 3)/6 on (−3, 3); f′ = hard_sigmoid(x) + x·hard_sigmoid′(x) = (x + 3)/6 + x/6.
  it('values and derivatives, including the minimum at −1.5 and the kinks', () => {
    for (const name of ['hard_silu', 'hard_swish']) {
      check(k('keras', name), [
        [-4, 0, 0],
        [-3, 0, 0], // hs(−3) = 0, hs′(−3) = relu6′(0) = 0
        [-1.5, -0.375, 0],
        [-1, -1 / 3, 1 / 6], // 2/6 − 1/6
        [1, 2 / 3, 5 / 6],
        [3, 3, 1], // hs(3) = 1, 3·relu6′(6) = 0
        [4, 4, 1],
      ]);
    }
    assert.ok(Math.abs(k('keras', 'hard_silu').d2f(0) - 1 / 3) < 1e-15);
  });
});

describe('Keras 3 ops from keras/src/backend/tensorflow/nn.py', () => {
  it('relu6: f′(0) = f′(6) = 0', () => {
    check(k('keras', 'relu6'), [
      [0, 0, 0],
      [6, 6, 0],
      [3, 3, 1],
    ]);
  });
  it('hard_tanh = clip_by_value(x, −1, 1): f′(±1) = 1', () => {
    check(k('keras', 'hard_tanh'), [
      [-2, -1, 0],
      [-1, -1, 1],
      [0.5, 0.5, 1],
      [1, 1, 1],
      [2, 1, 0],
    ]);
  });
  it('hard_shrink = where(|x| > t, x, 0), t = 0.5 by default', () => {
    check(k('keras', 'hard_shrink'), [
      [0.5, 0, 0],
      [0.6, 0.6, 1],
      [-0.6, -0.6, 1],
    ]);
    check(k('keras', 'hard_shrink', { threshold: 0.7 }), [[0.6, 0, 0]]);
  });
  it('soft_shrink: x − t above t, x + t below −t, else 0', () => {
    check(k('keras', 'soft_shrink'), [
      [0.8, 0.8 - 0.5, 1],
      [-0.8, -0.8 + 0.5, 1],
      [0.5, 0, 0],
      [0.2, 0, 0],
    ]);
  });
  it('threshold(x, threshold, default_value) = where(x > threshold, x, default_value)', () => {
    check(k('keras', 'threshold', { threshold: 1, default_value: -2 }), [
      [0.5, -2, 0],
      [1, -2, 0],
      [1.5, 1.5, 1],
    ]);
  });
  it('sparse_plus = where(x ≤ −1, 0, where(x < 1, ¼(x + 1)², x)); f″ = ½ inside', () => {
    const s = k('keras', 'sparse_plus');
    check(s, [
      [-2, 0, 0],
      [-1, 0, 0],
      [0, 0.25, 0.5],
      [0.5, 0.5625, 0.75],
      [1, 1, 1],
      [3, 3, 1],
    ]);
    assert.equal(s.d2f(0), 0.5);
    assert.equal(s.d2f(1), 0);
  });
  it('sparse_sigmoid = where(x ≤ −1, 0, where(x ≥ 1, 1, ½(x + 1))): f′(±1) = 0 (JAX’s clip gives ¼)', () => {
    check(k('keras', 'sparse_sigmoid'), [
      [-1, 0, 0],
      [0, 0.5, 0.5],
      [1, 1, 0],
    ]);
    assert.equal(k('jax', 'sparse_sigmoid').df(1), 0.25);
  });
  it('linear is the identity', () => {
    check(k('keras', 'linear'), [
      [-3, -3, 1],
      [0, 0, 1],
    ]);
  });
});

describe('Keras PReLU (keras/src/layers/activations/prelu.py: relu(x) − alpha·relu(−x))', () => {
  it('alpha starts at 0 (alpha_initializer="Zeros"); f′(0) = 0 for any alpha', () => {
    assert.equal(resolve('keras', 'PReLU').params['weight'], 0);
    assert.equal(resolve('keras', 'PReLU', { alpha_initializer: 'ones' }).params['weight'], 1);
    check(k('keras', 'PReLU'), [
      [-2, 0, 0],
      [0, 0, 0],
      [2, 2, 1],
    ]);
    check(k('keras', 'PReLU', { alpha: 0.25 }), [
      [-2, -0.5, 0.25],
      [0, 0, 0],
    ]);
  });
});

describe('tf.keras 2 ThresholdedReLU (keras/layers/activation/thresholded_relu.py: x·[x > theta])', () => {
  it('theta = 1 by default, f′(theta) = 0', () => {
    check(k('tf', 'ThresholdedReLU'), [
      [0.5, 0, 0],
      [1, 0, 0],
      [1.5, 1.5, 1],
    ]);
  });
});

describe('Keras layer argument checks', () => {
  it('LeakyReLU rejects a negative negative_slope (keras/src/layers/activations/leaky_relu.py)', () => {
    assert.throws(() => resolve('keras', 'LeakyReLU', { negative_slope: -0.1 }), (e: unknown) => e instanceof CatalogError && e.message.includes('negative_slope'));
    // The function does not check, and neither do we for it.
    assert.equal(k('keras', 'leaky_relu', { negative_slope: -0.1 }).f(-1), 0.1);
  });
});
