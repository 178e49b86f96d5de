// What the registry says about bad input: non-finite parameters (one rule, per parameter),
// framework-specific value hints, suggestions and name normalisation.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { CatalogError, closeMatches, resolve, resolveCanonical } from '../../src/engine/activations/registry';

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CatalogError, `expected a CatalogError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    return e.message;
  }
  assert.fail('expected a refusal');
}

describe('registry: non-finite parameters', () => {
  for (const text of ['Infinity', 'inf', '+inf', '-inf', '1e400', '-1e999', 'nan', 'NaN']) {
    it(`torch leaky_relu negative_slope=${text} is refused with a clear line`, () => {
      const msg = refusal(() => resolve('torch', 'leaky_relu', { negative_slope: text }));
      assert.match(msg, /^torch leaky_relu: negative_slope must be a (finite )?number, got /);
    });
  }

  it('1e400 says it overflows', () => {
    assert.match(refusal(() => resolve('torch', 'elu', { alpha: '1e400' })), /got "1e400" \(it overflows to inf\)/);
  });

  it('numbers given directly (source literals, the explorer) follow the same rule', () => {
    assert.match(refusal(() => resolve('torch', 'leaky_relu', { negative_slope: Infinity })), /negative_slope must be a finite number, got inf/);
    assert.match(refusal(() => resolveCanonical('elu', { alpha: -Infinity })), /alpha must be a finite number, got -inf/);
  });

  it('where the framework means "no bound" by infinity it is accepted as ±Infinity', () => {
    assert.equal(resolve('keras', 'relu', { max_value: 'inf' }).params.max_value, Infinity);
    assert.equal(resolve('keras', 'relu', { max_value: '1e400' }).params.max_value, Infinity);
    const ht = resolve('torch', 'hardtanh', { min_val: '-inf', max_val: 'Infinity' });
    assert.equal(ht.params.min_val, -Infinity);
    assert.equal(ht.params.max_val, Infinity);
    assert.equal(resolve('torch', 'softplus', { threshold: 'inf' }).params.threshold, Infinity);
  });

  it('…but only in the direction that means "no bound"', () => {
    assert.match(refusal(() => resolve('torch', 'hardtanh', { min_val: 'inf' })), /min_val must be a finite number, got "inf"; only min_val=-inf, max_val=inf may be infinite here/);
    assert.match(refusal(() => resolve('torch', 'softplus', { beta: 'inf' })), /beta must be a finite number.*only threshold=inf/);
  });

  it('accepted infinities give finite, correct values (hardtanh(-inf, inf) is the identity)', () => {
    const r = resolve('torch', 'hardtanh', { min_val: '-inf', max_val: 'inf' });
    assert.equal(r.entry.def.kind, 'elementwise');
    if (r.entry.def.kind !== 'elementwise') return;
    const k = r.entry.def.kernel(r.params, r.conventions);
    for (const x of [-1e6, -2, 0, 3.5, 1e300]) {
      assert.equal(k.f(x), x);
      assert.equal(k.df(x), 1);
    }
  });

  it('property: any number literal either resolves to a finite value or is refused (never NaN, never a silent inf)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double().map(String), fc.constantFrom('inf', '-inf', 'Infinity', '1e400', '-1e400', 'nan', '1/0', '0/0')), (text) => {
        try {
          const v = resolve('torch', 'elu', { alpha: text }).params.alpha as number;
          assert.ok(Number.isFinite(v), `${text} → ${v}`);
        } catch (e) {
          assert.ok(e instanceof CatalogError);
        }
      }),
    );
  });
});

describe('registry: messages that help', () => {
  it("torch GELU's approximate takes 'none' or 'tanh', and says so", () => {
    assert.equal(refusal(() => resolve('torch', 'gelu', { approximate: 'exact' })), `torch gelu: approximate expects 'none' or 'tanh', got "exact"`);
    assert.equal(resolve('torch', 'gelu', { approximate: 'tanh' }).params.approximate, true);
    // JAX and Keras take booleans
    assert.match(refusal(() => resolve('jax', 'gelu', { approximate: 'tanh' })), /^jax gelu: approximate expects true or false, got "tanh"$/);
  });

  it('relu6x suggests relu6 first (edit distance before prefix), without duplicate spellings', () => {
    assert.match(refusal(() => resolve('torch', 'relu6x')), /did you mean "relu6", "relu"\?/);
    assert.deepEqual(closeMatches('relu6x', ['relu', 'ReLU', 'relu_', 'relu6', 'ReLU6']), ['relu6', 'relu']);
    assert.deepEqual(closeMatches('leaky', ['leaky_relu', 'elu']), ['leaky_relu']);
  });

  it('a very long name gets no suggestions (and no quadratic edit distance)', () => {
    assert.deepEqual(closeMatches('x'.repeat(100_000), ['relu']), []);
  });

  it('names are normalised to the framework spelling: torch LeakyRelu → LeakyReLU', () => {
    assert.equal(resolve('torch', 'LeakyRelu').name, 'LeakyReLU');
    assert.equal(resolve('torch', 'leaky-relu').name, 'leaky_relu');
    assert.equal(resolve('torch', 'RELU').name, 'relu'); // the first spelling that matches ignoring case
    assert.equal(resolve('torch', 'relu').name, 'relu');
  });

  it('a lenient spelling that could be two bindings with different defaults is refused with both', () => {
    const msg = refusal(() => resolve('keras', 'leakyrelu'));
    assert.match(msg, /"leaky_relu" \(keras\.activations\.leaky_relu\) or "LeakyReLU" \(keras\.layers\.LeakyReLU\)/);
    // exact spellings still pick their own defaults
    assert.equal(resolve('keras', 'LeakyReLU').params.negative_slope, 0.3);
    assert.equal(resolve('keras', 'leaky_relu').params.negative_slope, 0.2);
  });

  it('an unknown framework suggests the close one', () => {
    assert.match(refusal(() => resolve('torchh', 'relu')), /did you mean "torch"\?$/);
  });
});
