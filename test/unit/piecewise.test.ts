// The piecewise activations (defs/relu.ts, defs/hard.ts, defs/piecewise.ts): each framework's
// value at the kinks, parameter validation, formulas written with the actual parameter
// values, NaN/±∞ behaviour, the hand-written loops against the scalar functions, and
// derivatives / metadata / kink tables against finite differences on random valid params.
// Kink values for torch and jax are cross-checked against the frameworks' own reference
// data (test/fixtures/pytorch-jax-reference.json).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { evaluate, type ElementwiseResult } from '../../src/cli/evaluate';
import { fromJsonNumber } from '../../src/engine/json';
import { PIECEWISE_ENTRIES } from '../../src/engine/activations/defs/piecewise';
import { RELU_ENTRIES } from '../../src/engine/activations/defs/relu';
import { CatalogError, kernelOf, resolve, resolveCanonical } from '../../src/engine/activations/registry';
import type { CatalogEntry, ElementwiseDef, ElementwiseKernel, ParamValue, Params } from '../../src/engine/activations/types';

const ENTRIES: readonly CatalogEntry[] = [...RELU_ENTRIES, ...PIECEWISE_ENTRIES];
const ELEMENTWISE = ENTRIES.filter((e) => e.def.kind === 'elementwise');

function kernel(fw: string, name: string, params: Record<string, ParamValue> = {}): ElementwiseKernel {
  const r = resolve(fw, name, params);
  return kernelOf(r.entry.def, r.params, r.conventions);
}

describe('piecewise: derivative at the kinks, per framework', () => {
  // [framework, name, params, x, f′(x) that framework returns]
  const cases: [string, string, Record<string, ParamValue>, number, number][] = [
    ['torch', 'relu', {}, 0, 0],
    ['jax', 'relu', {}, 0, 0],
    ['torch', 'relu6', {}, 0, 0],
    ['torch', 'relu6', {}, 6, 0],
    ['jax', 'relu6', {}, 6, 0],
    ['tf', 'relu6', {}, 6, 0],
    ['tfjs', 'relu6', {}, 6, 1], // tfjs-core Relu6_grad: x <= 6
    ['torch', 'leaky_relu', {}, 0, 0.01],
    ['jax', 'leaky_relu', {}, 0, 1],
    ['tfjs', 'leakyRelu', {}, 0, 0.2],
    ['torch', 'prelu', { weight: 0.3 }, 0, 0.3],
    ['keras', 'PReLU', { alpha: 0.3 }, 0, 0],
    ['jax', 'PReLU', {}, 0, 1],
    ['tfjs', 'prelu', { alpha: 0.3 }, 0, 0.3],
    ['torch', 'rrelu', { lower: 0.1, upper: 0.3 }, 0, 0.2],
    ['torch', 'hardtanh', {}, -1, 0],
    ['torch', 'hardtanh', {}, 1, 0],
    ['torch', 'Hardtanh', { min_val: -2, max_val: 3 }, 3, 0],
    ['jax', 'hard_tanh', {}, -1, 1],
    ['jax', 'hard_tanh', {}, 1, 1],
    ['keras', 'hard_tanh', {}, 1, 1],
    ['tfjs', 'clipByValue', { clipValueMin: -2, clipValueMax: 2 }, 2, 1],
    ['torch', 'hardsigmoid', {}, -3, 0],
    ['torch', 'hardsigmoid', {}, 0, Math.fround(1 / 6)],
    ['jax', 'hard_sigmoid', {}, 0, 1 / 6],
    ['jax', 'hard_sigmoid', {}, 3, 0],
    ['tf', 'hard_sigmoid', {}, 2.5, 0.2],
    ['tfjs', 'hardSigmoid', {}, -2.5, 0.2],
    ['torch', 'hardswish', {}, -3, 0],
    ['torch', 'hardswish', {}, 3, 1],
    ['jax', 'hard_silu', {}, -3, 0],
    ['jax', 'hard_swish', {}, 3, 1],
    ['torch', 'hardshrink', {}, 0.5, 0],
    ['torch', 'hardshrink', {}, -0.5, 0],
    ['torch', 'softshrink', { lambd: 1 }, 1, 0],
    ['torch', 'threshold', { threshold: 0.1, value: 20 }, 0.1, 0],
    ['tf', 'ThresholdedReLU', {}, 1, 0],
    ['jax', 'sparse_plus', {}, -1, 0],
    ['jax', 'sparse_plus', {}, 1, 1],
    ['jax', 'sparse_sigmoid', {}, 1, 0.25],
    ['keras', 'sparse_sigmoid', {}, 1, 0],
    ['tfjs', 'step', {}, 0, 0],
    ['tfjs', 'reLU', { maxValue: 6 }, 6, 1],
    ['keras', 'relu', { max_value: 6 }, 6, 0],
    ['keras', 'relu', { max_value: 5 }, 5, 1],
  ];
  for (const [fw, name, params, x, want] of cases) {
    it(`${fw} ${name}${Object.keys(params).length ? JSON.stringify(params) : ''}: f′(${x}) = ${want}`, () => {
      assert.equal(kernel(fw, name, params).df(x), want);
    });
  }

  it('agrees with the PyTorch/JAX reference data at every kink the data contains', () => {
    const ref = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'pytorch-jax-reference.json'), 'utf8')) as {
      elementwise: { framework: string; fn: string; params: Record<string, ParamValue>; x: unknown[]; dy: unknown[] }[];
    };
    let checked = 0;
    for (const c of ref.elementwise) {
      let r;
      try {
        r = resolve(c.framework, c.fn, c.params);
      } catch {
        continue; // not a piecewise activation
      }
      if (!ENTRIES.includes(r.entry) || r.entry.def.kind !== 'elementwise') continue;
      const k = kernelOf(r.entry.def, r.params, r.conventions);
      for (const kink of r.entry.def.kinks(r.params, r.conventions)) {
        const i = c.x.findIndex((v) => fromJsonNumber(v) === kink.x);
        if (i < 0) continue;
        assert.equal(k.df(kink.x), fromJsonNumber(c.dy[i]), `${c.framework} ${c.fn} f′(${kink.x})`);
        checked++;
      }
    }
    assert.ok(checked >= 25, `only ${checked} kinks found in the reference data`);
  });

  it('torch hardsigmoid has no second derivative through the CLI path; jax has 0', () => {
    const t = evaluate({ framework: 'torch', fn: 'hardsigmoid', params: {}, x: [-1, 0, 4] }) as ElementwiseResult;
    assert.deepEqual(t.d2y, [null, null, null]);
    assert.deepEqual(t.dy, [Math.fround(1 / 6), Math.fround(1 / 6), 0]);
    const j = evaluate({ framework: 'jax', fn: 'hard_sigmoid', params: {}, x: [-1, 0, 4] }) as ElementwiseResult;
    assert.deepEqual(j.d2y, [0, 0, 0]);
  });

  it('rrelu in eval mode is leaky_relu with the mean slope; rrelu_eval is the reference name', () => {
    const k = kernel('torch', 'rrelu_eval', { lower: 0.125, upper: 1 / 3 });
    assert.equal(k.f(-2), -2 * ((0.125 + 1 / 3) / 2));
    assert.equal(k.f(3), 3);
  });
});

describe('piecewise: bindings', () => {
  it('every name of every binding resolves to that binding (no spelling is shadowed)', () => {
    for (const e of ENTRIES) {
      for (const b of e.bindings) {
        for (const name of b.names) assert.equal(resolve(b.framework, name).binding, b, `${b.framework} ${name}`);
      }
    }
  });
  it('every binding resolves with its own defaults, and its defaults are valid canonical values', () => {
    for (const e of ENTRIES) {
      for (const b of e.bindings) {
        const r = resolve(b.framework, b.names[0] as string);
        for (const s of e.def.params) assert.ok(s.name in r.params, `${b.framework} ${b.names[0]}: ${s.name} missing`);
        for (const c of e.def.conventions) assert.ok(c.options.some((o) => o.value === r.conventions[c.name]), `${b.framework} ${b.names[0]}: convention ${c.name}`);
      }
    }
  });
});

describe('piecewise: parameter validation', () => {
  const rejects = (fw: string, name: string, params: Record<string, ParamValue>, ...words: string[]): void => {
    assert.throws(
      () => resolve(fw, name, params),
      (e: unknown) => e instanceof CatalogError && words.every((w) => e.message.includes(w)),
      `${fw} ${name} ${JSON.stringify(params)} should be rejected mentioning ${words.join(', ')}`,
    );
  };
  it('hardtanh needs min_val < max_val, reported in the framework’s names', () => {
    rejects('torch', 'hardtanh', { min_val: 2, max_val: 1 }, 'min_val', 'max_val', 'less than');
    rejects('torch', 'hardtanh', { min_val: 1, max_val: 1 }, 'min_val', 'max_val');
    rejects('tfjs', 'clipByValue', { clipValueMin: 3, clipValueMax: -3 }, 'clipValueMin', 'clipValueMax');
    assert.throws(() => resolveCanonical('hardtanh', { min_val: 0, max_val: -1 }), CatalogError);
    assert.doesNotThrow(() => resolve('torch', 'hardtanh', { min_val: -0.5, max_val: 0.5 }));
  });
  it('rrelu needs lower ≤ upper and refuses training=True (random)', () => {
    rejects('torch', 'rrelu', { lower: 0.5, upper: 0.1 }, 'lower', 'upper');
    rejects('torch', 'rrelu', { training: true }, 'training', 'random');
    rejects('torch', 'RReLU', { training: true }, 'no parameter', 'training'); // the module's mode is not an argument
    rejects('torch', 'rrelu', { training: 'True' }, 'training');
    assert.doesNotThrow(() => resolve('torch', 'rrelu', { training: 'false' }));
  });
  it('out-of-range and mistyped values name the parameter', () => {
    rejects('torch', 'softshrink', { lambd: -0.1 }, 'lambd', 'out of range');
    rejects('keras', 'hard_shrink', { threshold: -1 }, 'threshold', 'out of range');
    rejects('keras', 'relu', { max_value: -1 }, 'max_value', 'out of range');
    rejects('keras', 'ReLU', { negative_slope: -0.1 }, 'negative_slope');
    rejects('keras', 'relu', { max_value: 'lots' }, 'max_value', 'number');
    rejects('torch', 'hardtanh', { max: 1 }, 'no parameter', 'max_val');
    rejects('torch', 'relu', { negative_slope: 0.1 }, 'takes no parameters');
  });
  it('Keras max_value accepts None and numbers from the command line', () => {
    assert.equal(resolve('keras', 'relu', { max_value: 'None' }).params['max_value'], Infinity);
    assert.equal(resolve('keras', 'relu', { max_value: '2.5' }).params['max_value'], 2.5);
    assert.equal(resolve('tfjs', 'reLU', { maxValue: 'null' }).params['max_value'], Infinity);
  });
});

describe('piecewise: formulas carry the parameter values', () => {
  const text = (fw: string, name: string, params: Record<string, ParamValue>): { all: string; latex: string } => {
    const r = resolve(fw, name, params);
    const fm = r.entry.def.formulas(r.params, r.conventions);
    return { all: [fm.f.text, fm.df.text].join(' | '), latex: [fm.f.latex, fm.df.latex].join(' | ') };
  };
  const cases: [string, string, Record<string, ParamValue>, string[], string[]][] = [
    ['torch', 'hardtanh', { min_val: -2.5, max_val: 3.25 }, ['−2.5', '3.25'], ['-2.5', '3.25']],
    ['torch', 'leaky_relu', { negative_slope: 0.07 }, ['0.07'], ['0.07']],
    ['torch', 'prelu', { weight: 0.42 }, ['0.42'], ['0.42']],
    ['torch', 'rrelu', { lower: 0.1, upper: 0.3 }, ['0.2', '0.1', '0.3'], ['0.2']],
    ['torch', 'threshold', { threshold: 0.1, value: 20 }, ['0.1', '20'], ['0.1', '20']],
    ['torch', 'softshrink', { lambd: 0.75 }, ['0.75'], ['0.75']],
    ['keras', 'hard_shrink', { threshold: 0.7 }, ['0.7'], ['0.7']],
    ['keras', 'relu', { negative_slope: 0.1, max_value: 6, threshold: 1 }, ['0.1', '6', '1'], ['0.1', '6']],
    ['keras', 'relu', { max_value: 4.5 }, ['4.5'], ['4.5']],
    ['tf', 'hard_sigmoid', {}, ['0.2', '2.5'], ['0.2']],
    ['torch', 'hardsigmoid', {}, ['x/6', '0.1666666716'], ['\\tfrac16']],
    ['tfjs', 'step', { alpha: -1 }, ['−1'], ['-1']],
  ];
  for (const [fw, name, params, inText, inLatex] of cases) {
    it(`${fw} ${name} ${JSON.stringify(params)}`, () => {
      const t = text(fw, name, params);
      for (const s of inText) assert.ok(t.all.includes(s), `"${s}" missing from ${t.all}`);
      for (const s of inLatex) assert.ok(t.latex.includes(s), `"${s}" missing from ${t.latex}`);
    });
  }
});

describe('piecewise: NaN and ±∞', () => {
  for (const e of ELEMENTWISE) {
    for (const b of e.bindings) {
      it(`${b.framework} ${b.names[0]}: NaN → NaN, ±∞ → the limit`, () => {
        const k = kernel(b.framework, b.names[0] as string);
        for (const fn of [k.f, k.df, k.d2f]) assert.ok(Number.isNaN(fn(NaN)));
        for (const s of [1, -1]) {
          const inf = s * Infinity;
          const far = s * 1e300;
          // Every piece is linear or constant far out: f(±∞) is f(±1e300) or the same infinity.
          const fFar = k.f(far);
          const want = Math.abs(fFar) > 1e250 ? Math.sign(fFar) * Infinity : fFar;
          assert.ok(k.f(inf) === want, `f(${inf}) = ${k.f(inf)}, want ${want}`);
          assert.ok(k.df(inf) === k.df(far), `f′(${inf}) = ${k.df(inf)}, f′(${far}) = ${k.df(far)}`);
          assert.ok(k.d2f(inf) === k.d2f(far), `f″(${inf}) = ${k.d2f(inf)}, f″(${far}) = ${k.d2f(far)}`);
        }
      });
    }
  }
});

describe('piecewise: typed-array loops match the scalar functions', () => {
  const xs = [-1e300, -7, -6, -3, -2.5, -1, -0.5, -0.25, 0, -0, 1e-300, 0.25, 0.5, 1, 2.5, 3, 6, 7, 1e300, Infinity, -Infinity, NaN];
  for (const e of ELEMENTWISE) {
    for (const b of e.bindings) {
      it(`${b.framework} ${b.names[0]} (Float64Array and Float32Array)`, () => {
        const k = kernel(b.framework, b.names[0] as string);
        for (const Arr of [Float64Array, Float32Array]) {
          const x = Arr.from(xs);
          const y = new Arr(x.length);
          const gy = Arr.from(xs.map((_, i) => 1 + i / 8));
          const gx = new Arr(x.length);
          k.forward(x, y);
          k.backward(x, y, gy, gx);
          x.forEach((v, i) => {
            const want = Arr === Float32Array ? Math.fround(k.f(v)) : k.f(v);
            assert.ok(Object.is(y[i], want) || (y[i] === want), `f(${v}) loop ${y[i]} vs scalar ${want}`);
            const g = k.df(v) * (gy[i] as number);
            const wantG = Arr === Float32Array ? Math.fround(g) : g;
            assert.ok(gx[i] === wantG || (Number.isNaN(gx[i] as number) && Number.isNaN(wantG)), `gx(${v}) loop ${gx[i]} vs ${wantG}`);
          });
        }
      });
    }
  }
});

describe('piecewise: derivatives, metadata and kink tables on random valid parameters', () => {
  /** Random canonical params within each spec's valid range, with the special values mixed in. */
  function paramsArb(def: ElementwiseDef): fc.Arbitrary<Params> {
    const fields: Record<string, fc.Arbitrary<ParamValue>> = {};
    for (const s of def.params) {
      if (s.type !== 'number') continue;
      const lo = s.min ?? s.uiMin ?? -3;
      const hi = Number.isFinite(s.max ?? Infinity) ? (s.max as number) : (s.uiMax ?? 3);
      const specials = [s.default as number, lo, 0, 1, 6].filter((v) => v >= lo && (v <= hi || v === s.default));
      // Sane magnitudes only: a slope of 5e-324 makes s·x underflow, which no metadata can promise.
      const sane = fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).filter((v) => v === 0 || Math.abs(v) >= 1e-6);
      fields[s.name] = fc.oneof(sane, fc.constantFrom(...specials));
    }
    return fc.record(fields) as fc.Arbitrary<Params>;
  }
  const conventionSets = (e: CatalogEntry): Record<string, string>[] => {
    const seen = new Map<string, Record<string, string>>();
    for (const b of e.bindings) seen.set(JSON.stringify(b.conventions), { ...b.conventions });
    return [...seen.values()];
  };
  const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

  for (const e of ELEMENTWISE) {
    const def = e.def as ElementwiseDef;
    for (const conv of conventionSets(e)) {
      it(`${def.id} ${JSON.stringify(conv)}`, () => {
        fc.assert(
          fc.property(paramsArb(def), fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true }), (p, x, x2) => {
            let r;
            try {
              r = resolveCanonical(def.id, p, conv);
            } catch (err) {
              if (err instanceof CatalogError) return; // e.g. min_val ≥ max_val: rejected, tested above
              throw err;
            }
            const k = def.kernel(r.params, r.conventions);
            const kinks = def.kinks(r.params, r.conventions);
            const m = def.meta(r.params);
            const scale = Math.max(1, Math.abs(x));
            // f′ and f″ against central differences, away from kinks.
            if (kinks.every((q) => Math.abs(x - q.x) > 1e-3 * scale)) {
              const h = 1e-6 * scale;
              const fd1 = (k.f(x + h) - k.f(x - h)) / (2 * h);
              assert.ok(rel(k.df(x), fd1) < 1e-5, `f′(${x}) = ${k.df(x)}, finite difference ${fd1}`);
              if (k.hasSecond) {
                const fd2 = (k.df(x + h) - k.df(x - h)) / (2 * h);
                assert.ok(rel(k.d2f(x), fd2) < 1e-5, `f″(${x}) = ${k.d2f(x)}, finite difference ${fd2}`);
              }
            }
            // Bounds and monotonicity claimed by the metadata.
            for (const v of [x, x2, 1e6, -1e6]) {
              const y = k.f(v);
              assert.ok(y >= m.lower && y <= m.upper, `f(${v}) = ${y} outside [${m.lower}, ${m.upper}]`);
            }
            const [a, b] = x < x2 ? [x, x2] : [x2, x];
            if (m.monotonic === 'non-decreasing' || m.monotonic === 'increasing') assert.ok(k.f(a) <= k.f(b), `f(${a}) > f(${b})`);
            if (m.monotonic === 'increasing' && b - a > 1e-9 * Math.max(1, Math.abs(a))) assert.ok(k.f(a) < k.f(b), `f(${a}) ≥ f(${b})`);
            // One-sided slopes in the kink table, probed from each side.
            kinks.forEach((q, i) => {
              const gap = Math.min(i > 0 ? q.x - (kinks[i - 1] as { x: number }).x : Infinity, i + 1 < kinks.length ? (kinks[i + 1] as { x: number }).x - q.x : Infinity);
              const d = 1e-7 * Math.max(1, Math.abs(q.x));
              if (gap < 4 * d) return;
              const left = (k.f(q.x - d) - k.f(q.x - 2 * d)) / d;
              const right = (k.f(q.x + 2 * d) - k.f(q.x + d)) / d;
              assert.ok(rel(q.left, left) < 1e-4, `kink ${q.x}: left slope ${q.left}, measured ${left}`);
              assert.ok(rel(q.right, right) < 1e-4, `kink ${q.x}: right slope ${q.right}, measured ${right}`);
            });
          }),
          { numRuns: 150 },
        );
      });
    }
  }
});

// TensorFlow.js itself (a devDependency): its ops and layers on the CPU backend, float32, against
// our TF.js bindings — values and gradients, including at every kink (tf.relu6′(6) = 1, the
// inclusive clipByValue of layers.reLU and "hardSigmoid", step's zero gradient).
describe('piecewise: TensorFlow.js bindings vs TensorFlow.js (float32)', function () {
  this.timeout(60000);
  type Tf = typeof import('@tensorflow/tfjs');
  type T = import('@tensorflow/tfjs').Tensor;
  let tf: Tf;
  before(async () => {
    tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
  });
  const xs = [-7, -6, -3, -2.5, -1, -0.3, 0, 0.3, 1, 2.5, 3, 6, 7];
  // [our binding name, its params, the same thing in TF.js, differentiable in TF.js?]
  const cases: [string, Record<string, ParamValue>, (t: Tf) => (v: T) => T, boolean][] = [
    ['relu', {}, (t) => (v) => t.relu(v), true],
    ['relu6', {}, (t) => (v) => t.relu6(v), true],
    ['leakyRelu', {}, (t) => (v) => t.leakyRelu(v), true],
    ['leakyRelu', { alpha: 0.05 }, (t) => (v) => t.leakyRelu(v, 0.05), true],
    ['leakyReLU', {}, (t) => (v) => t.layers.leakyReLU({}).apply(v) as T, true],
    ['prelu', { alpha: 0.25 }, (t) => (v) => t.prelu(v, t.scalar(0.25)), true],
    ['step', {}, (t) => (v) => t.step(v), true],
    ['step', { alpha: 0.5 }, (t) => (v) => t.step(v, 0.5), true],
    ['clipByValue', { clipValueMin: -2.5, clipValueMax: 3 }, (t) => (v) => t.clipByValue(v, -2.5, 3), true],
    ['reLU', { maxValue: 2.5 }, (t) => (v) => t.layers.reLU({ maxValue: 2.5 }).apply(v) as T, true],
    ['reLU', { maxValue: 6 }, (t) => (v) => t.layers.reLU({ maxValue: 6 }).apply(v) as T, true],
    ['hardSigmoid', {}, (t) => (v) => t.layers.activation({ activation: 'hardSigmoid' }).apply(v) as T, true],
    ['linear', {}, (t) => (v) => t.layers.activation({ activation: 'linear' }).apply(v) as T, true],
    ['thresholdedReLU', { theta: 1 }, (t) => (v) => t.layers.thresholdedReLU({ theta: 1 }).apply(v) as T, false],
  ];
  for (const [name, params, make, differentiable] of cases) {
    it(`tfjs ${name} ${JSON.stringify(params)}`, () => {
      const op = make(tf);
      const x = tf.tensor1d(xs, 'float32');
      const y = Array.from(op(x).dataSync());
      const g = differentiable ? Array.from(tf.grad((v: T) => op(v).sum())(x).dataSync()) : undefined;
      const k = kernel('tfjs', name, params);
      const tol = (v: number): number => 4e-7 * Math.max(Math.abs(v), 1);
      xs.forEach((xv, i) => {
        assert.ok(Math.abs((y[i] as number) - k.f(xv)) <= tol(k.f(xv)), `f(${xv}): tfjs ${y[i]}, ours ${k.f(xv)}`);
        if (g) assert.ok(Math.abs((g[i] as number) - k.df(xv)) <= tol(k.df(xv)), `f′(${xv}): tfjs ${g[i]}, ours ${k.df(xv)}`);
      });
    });
  }
});
