// Each framework's view of the smooth activations (src/engine/activations/defs/*-family.ts):
// derivatives at the kinks per framework, GELU defaults, Keras 3 formulas from Keras's source,
// and the TF.js bindings against TensorFlow.js's own ops and gradients.
import * as assert from 'node:assert/strict';
import { CatalogError, elementwiseKernel, kernelOf, resolve } from '../../src/engine/activations/registry';
import type { ElementwiseKernel } from '../../src/engine/activations/types';

function kernelFor(framework: string, fn: string, params: Record<string, number | string | boolean> = {}): ElementwiseKernel {
  const r = resolve(framework, fn, params);
  return kernelOf(r.entry.def, r.params, r.conventions);
}

// ---------------------------------------------------------------------------------------
// framework conventions at the kinks (PyTorch/JAX confirmed by the reference fixture; TF,
// Keras and TF.js from their sources, cited per row)

interface KinkRow {
  fw: string;
  fn: string;
  params?: Record<string, number | string | boolean>;
  df0: number;
  d2f0: number;
  why: string;
}
const L = 1.0507009873554805;
const LA = 1.7580993408473766;
const KINKS: KinkRow[] = [
  { fw: 'torch', fn: 'elu', params: { alpha: 0.5 }, df0: 0.5, d2f0: 0, why: 'reference fixture' },
  { fw: 'jax', fn: 'elu', params: { alpha: 0.5 }, df0: 0.5, d2f0: 0.5, why: 'where(x > 0, x, α·expm1(x)): both at the left branch' },
  { fw: 'keras', fn: 'elu', params: { alpha: 0.5 }, df0: 0.5, d2f0: 0, why: 'keras/src/backend/tensorflow/nn.py: where(x > 0, elu(x), α·elu(x)), EluGrad 1 at 0' },
  { fw: 'tf', fn: 'elu', df0: 1, d2f0: 0, why: 'EluGrad tests y < 0' },
  { fw: 'tfjs', fn: 'elu', df0: 1, d2f0: 0, why: 'EluGrad: y < 0 ? y + 1 : 1' },
  { fw: 'torch', fn: 'celu', params: { alpha: 2 }, df0: 1, d2f0: 0, why: 'reference fixture' },
  { fw: 'jax', fn: 'celu', params: { alpha: 2 }, df0: 1, d2f0: 0.125, why: 'max/min ties split ½–½: f″(0) = 1/(4α)' },
  { fw: 'keras', fn: 'celu', params: { alpha: 2 }, df0: 2, d2f0: 0.5, why: 'keras/src/backend/tensorflow/nn.py: maximum(x, 0) + α·expm1(minimum(x, 0)/α); tf Maximum/Minimum grads pass ties whole' },
  { fw: 'torch', fn: 'selu', df0: LA, d2f0: 0, why: 'reference fixture' },
  { fw: 'jax', fn: 'selu', df0: LA, d2f0: LA, why: 'reference fixture' },
  { fw: 'tf', fn: 'selu', df0: L, d2f0: 0, why: 'SeluGrad tests y < 0' },
  { fw: 'keras', fn: 'selu', df0: L, d2f0: 0, why: 'keras/src/backend/tensorflow/nn.py: tf.nn.selu' },
  { fw: 'tfjs', fn: 'selu', df0: LA, d2f0: 0, why: 'tfjs-core Selu_grad: where(x > 0, λ, λα·eˣ)' },
  { fw: 'torch', fn: 'softsign', df0: 1, d2f0: 0, why: 'reference fixture' },
  { fw: 'jax', fn: 'soft_sign', df0: 1, d2f0: -2, why: 'reference fixture' },
];

describe('each framework’s derivative at 0', () => {
  for (const r of KINKS) {
    it(`${r.fw} ${r.fn} ${JSON.stringify(r.params ?? {})}: f′(0) = ${r.df0}, f″(0) = ${r.d2f0} (${r.why})`, () => {
      const k = kernelFor(r.fw, r.fn, r.params);
      assert.equal(k.df(0), r.df0);
      assert.equal(k.df(-0), r.df0);
      assert.equal(k.d2f(0), r.d2f0);
      assert.equal(k.f(0), 0);
    });
  }
  it('torch softplus: identity where β·x > threshold, f″ already 0 at β·x = threshold', () => {
    const k = kernelFor('torch', 'softplus');
    assert.equal(k.f(20), Math.log1p(Math.exp(20)));
    assert.equal(k.f(20.000000001), 20.000000001);
    assert.equal(k.df(20), 1 / (1 + Math.exp(-20)));
    assert.equal(k.df(20.5), 1);
    assert.equal(k.d2f(20), 0);
    // the other frameworks have no threshold
    for (const fw of ['keras', 'jax', 'tf', 'tfjs']) {
      const j = kernelFor(fw, 'softplus');
      assert.equal(j.f(30), 30 + Math.log1p(Math.exp(-30)), fw);
      assert.ok(j.d2f(25) > 0, fw);
    }
  });
});

describe('GELU defaults per framework', () => {
  const approx = (fw: string, fn: string, params: Record<string, string | boolean> = {}): boolean => resolve(fw, fn, params).params['approximate'] as boolean;
  it('exact by default in PyTorch, Keras 3, tf.nn / tf.keras; tanh by default in JAX', () => {
    assert.equal(approx('torch', 'gelu'), false);
    assert.equal(approx('torch', 'GELU'), false);
    assert.equal(approx('keras', 'gelu'), false);
    assert.equal(approx('tf', 'gelu'), false);
    assert.equal(approx('jax', 'gelu'), true);
    assert.equal(approx('tfjs', 'gelu'), false);
    assert.equal(approx('tfjs', 'gelu_new'), true);
  });
  it('framework spellings of the switch', () => {
    assert.equal(approx('torch', 'gelu', { approximate: 'tanh' }), true);
    assert.equal(approx('torch', 'gelu', { approximate: 'none' }), false);
    assert.equal(approx('jax', 'gelu', { approximate: 'false' }), false);
    assert.equal(approx('keras', 'gelu', { approximate: true }), true);
    assert.throws(() => resolve('torch', 'gelu', { approximate: 'erf' }), CatalogError);
    assert.equal(resolve('torch', 'gelu').frameworkParams['approximate'], 'none');
  });
  it('exact and tanh forms differ by < 5e-4 and agree at 0 and in the tails', () => {
    const e = elementwiseKernel('gelu');
    const t = elementwiseKernel('gelu', { approximate: true });
    for (let x = -6; x <= 6; x += 0.05) assert.ok(Math.abs(e.f(x) - t.f(x)) < 5e-4, `x = ${x}`);
    assert.equal(e.f(0), 0);
    assert.equal(t.df(0), 0.5);
    assert.equal(e.df(0), 0.5);
  });
});

// ---------------------------------------------------------------------------------------
// Keras 3 conventions (no reference file): expected values derived from Keras's own formulas
// in keras/src/activations/activations.py and keras/src/backend/tensorflow/nn.py, evaluated
// here in plain float64 at points where those formulas do not cancel.

describe('Keras 3 activations match the formulas in Keras’s source', () => {
  const k = (fn: string, params: Record<string, number | boolean> = {}): ElementwiseKernel => kernelFor('keras', fn, params);
  const xs = [-3.7, -1.2, -0.3, 0.4, 1.9, 5.5];
  const near = (a: number, b: number, tol = 4e-16): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
  it('squareplus(x, b=4) = (x + sqrt(x² + b))/2; celu = max(x,0) + α·expm1(min(x,0)/α); tanh_shrink = x − tanh x', () => {
    for (const x of xs) {
      assert.ok(near(k('squareplus').f(x), (x + Math.sqrt(x * x + 4)) / 2), `squareplus ${x}`);
      assert.ok(near(k('squareplus', { b: 0.5 }).f(x), (x + Math.sqrt(x * x + 0.5)) / 2), `squareplus b ${x}`);
      assert.ok(near(k('celu', { alpha: 1.5 }).f(x), Math.max(x, 0) + 1.5 * Math.expm1(Math.min(x, 0) / 1.5)), `celu ${x}`);
      assert.ok(near(k('tanh_shrink').f(x), x - Math.tanh(x), 1e-15), `tanh_shrink ${x}`);
    }
  });
  it('elu(x, alpha) = where(x > 0, elu(x), α·elu(x)); selu, silu/swish, mish, log_sigmoid, softsign, exponential', () => {
    const sig = (x: number): number => 1 / (1 + Math.exp(-x));
    for (const x of xs) {
      assert.ok(near(k('elu', { alpha: 0.7 }).f(x), x > 0 ? x : 0.7 * Math.expm1(x)), `elu ${x}`);
      assert.ok(near(k('selu').f(x), x > 0 ? 1.0507009873554805 * x : 1.0507009873554805 * 1.6732632423543772 * Math.expm1(x)), `selu ${x}`);
      assert.ok(near(k('swish').f(x), x * sig(x)), `swish ${x}`);
      assert.ok(near(k('silu').f(x), x * sig(x)), `silu ${x}`);
      assert.ok(near(k('mish').f(x), x * Math.tanh(Math.log1p(Math.exp(x))), 1e-15), `mish ${x}`);
      assert.ok(near(k('log_sigmoid').f(x), Math.log(sig(x))), `log_sigmoid ${x}`);
      assert.ok(near(k('softsign').f(x), x / (Math.abs(x) + 1)), `softsign ${x}`);
      assert.ok(near(k('exponential').f(x), Math.exp(x)), `exponential ${x}`);
      // ½x(1 + erf) cancels for x ≲ −2 and the series loses digits for |x| ≳ 3: check where both are clean
      if (Math.abs(x) < 2) assert.ok(near(k('gelu').f(x), 0.5 * x * (1 + erfRef(x / Math.SQRT2)), 1e-15), `gelu ${x}`);
      const u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3);
      assert.ok(near(k('gelu', { approximate: true }).f(x), 0.5 * x * (1 + Math.tanh(u)), 1e-15), `gelu approx ${x}`);
    }
  });
});

/** erf by its Maclaurin series (independent of src/engine/math), to ~1e-16 for |z| < 1.5. */
function erfRef(z: number): number {
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

// ---------------------------------------------------------------------------------------
// TensorFlow.js itself (installed as a devDependency): values and gradients of its ops on the
// CPU backend, float32, against our TF.js bindings — including f′(0) for elu (1) and selu (λα).

describe('TensorFlow.js bindings vs TensorFlow.js (float32)', function () {
  this.timeout(60000);
  type Tf = typeof import('@tensorflow/tfjs');
  let tf: Tf;
  before(async () => {
    tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
  });
  const xs = [0, -0, 0.3, -0.3, 1, -1.7, 3, -3, 6.5, -6.5];
  const ops: [string, (t: Tf) => (v: import('@tensorflow/tfjs').Tensor) => import('@tensorflow/tfjs').Tensor][] = [
    ['sigmoid', (t) => (v) => t.sigmoid(v)],
    ['tanh', (t) => (v) => t.tanh(v)],
    ['softplus', (t) => (v) => t.softplus(v)],
    ['logSigmoid', (t) => (v) => t.logSigmoid(v)],
    ['elu', (t) => (v) => t.elu(v)],
    ['selu', (t) => (v) => t.selu(v)],
    ['exp', (t) => (v) => t.exp(v)],
    ['sin', (t) => (v) => t.sin(v)],
  ];
  for (const [name, make] of ops) {
    it(`tf.${name}: f and f′ within float32 rounding`, () => {
      const op = make(tf);
      const x = tf.tensor1d(xs, 'float32');
      const y = Array.from(op(x).dataSync());
      const g = Array.from(tf.grad((v: import('@tensorflow/tfjs').Tensor) => op(v).sum())(x).dataSync());
      const k = kernelFor('tfjs', name);
      xs.forEach((xv, i) => {
        const x32 = Math.fround(xv);
        const tol = (v: number): number => 4e-7 * Math.max(Math.abs(v), 1) + 1e-7;
        assert.ok(Math.abs((y[i] as number) - k.f(x32)) <= tol(k.f(x32)), `f(${xv}): tfjs ${y[i]}, ours ${k.f(x32)}`);
        assert.ok(Math.abs((g[i] as number) - k.df(x32)) <= tol(k.df(x32)), `f′(${xv}): tfjs ${g[i]}, ours ${k.df(x32)}`);
      });
    });
  }
});
