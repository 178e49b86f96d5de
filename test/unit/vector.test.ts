// Vector activations (softmax, log_softmax, softmin, GLU, sparsemax): values and Jacobians
// against PyTorch's own numbers, finite differences, hand-derived sparsemax values, limits.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { CatalogError, getDef, resolve } from '../../src/engine/activations/registry';
import type { VectorDef, VectorResult } from '../../src/engine/activations/types';
import reference from '../fixtures/pytorch-jax-reference.json';

type Num = number | string;
interface VectorCase {
  framework: string;
  fn: string;
  params: Record<string, string | number | boolean>;
  x: Num[];
  y: Num[];
  jacobian: Num[][];
}

const num = (v: Num): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : (v as number));

/** |a − b| ≤ rel·|b|, with an absolute floor of 1e-300 (the acceptance rule). */
function close(a: number, b: number, rel = 1e-12): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= Math.max(rel * Math.abs(b), 1e-300);
}

function vdef(id: string): VectorDef {
  const d = getDef(id);
  assert.equal(d.kind, 'vector', `${id} should be a vector activation`);
  return d as VectorDef;
}

function run(id: string, x: number[]): VectorResult {
  return vdef(id).apply(Float64Array.from(x), { dim: '-1' }, {});
}

function assertVec(actual: ArrayLike<number>, expected: readonly number[], what: string, rel = 1e-12, abs = 0): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ok = close(a, e, rel) || Math.abs(a - e) <= abs;
    assert.ok(ok, `${what}[${i}] = ${a}, expected ${e}`);
  }
}

function assertMatrix(actual: readonly ArrayLike<number>[], expected: readonly (readonly number[])[], what: string, abs = 0): void {
  assert.equal(actual.length, expected.length, `${what}: rows`);
  expected.forEach((row, i) => assertVec(actual[i] as ArrayLike<number>, row, `${what}[${i}]`, 1e-12, abs));
}

/** Central differences of apply, column by column: J_fd[i][j] ≈ (y(x + h e_j) − y(x − h e_j))_i / 2h. */
function fdJacobian(def: VectorDef, x: Float64Array): number[][] {
  const m = def.outputLength(x.length);
  const J = Array.from({ length: m }, () => new Array<number>(x.length).fill(0));
  for (let j = 0; j < x.length; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[j] as number));
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[j] = (x[j] as number) + h;
    xm[j] = (x[j] as number) - h;
    const yp = def.apply(xp, { dim: '-1' }, {}).y;
    const ym = def.apply(xm, { dim: '-1' }, {}).y;
    for (let i = 0; i < m; i++) (J[i] as number[])[j] = ((yp[i] as number) - (ym[i] as number)) / (xp[j]! - xm[j]!);
  }
  return J;
}

describe('vector activations', () => {
  describe('PyTorch reference (test/fixtures/pytorch-jax-reference.json, vector[])', () => {
    const cases = (reference as unknown as { vector: VectorCase[] }).vector;
    it('has the 24 cases of softmax, log_softmax, softmin and glu', () => {
      assert.equal(cases.length, 24);
      assert.deepEqual([...new Set(cases.map((c) => c.fn))].sort(), ['glu', 'log_softmax', 'softmax', 'softmin']);
    });
    cases.forEach((c, n) => {
      it(`${c.framework} ${c.fn} #${n} x=[${c.x.join(', ')}]: y and Jacobian within 1e-12`, () => {
        const r = resolve(c.framework, c.fn, c.params);
        assert.equal(r.entry.def.kind, 'vector');
        const out = (r.entry.def as VectorDef).apply(Float64Array.from(c.x.map(num)), r.params, r.conventions);
        assertVec(out.y, c.y.map(num), 'y');
        assertMatrix(out.jacobian, c.jacobian.map((row) => row.map(num)), 'jacobian');
      });
    });
  });

  describe('Jacobians agree with central finite differences', () => {
    for (const id of ['softmax', 'log_softmax', 'softmin', 'glu']) {
      it(`${id} on random vectors`, () => {
        const def = vdef(id);
        const vec = fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 2, maxLength: 8 });
        fc.assert(
          fc.property(vec, (arr) => {
            const x = Float64Array.from(id === 'glu' && arr.length % 2 ? arr.slice(1) : arr);
            const J = def.apply(x, { dim: '-1' }, {}).jacobian;
            const fd = fdJacobian(def, x);
            fd.forEach((row, i) =>
              row.forEach((v, j) => {
                const a = (J[i] as Float64Array)[j] as number;
                // step 1e-6·max(1,|x|): truncation ~1e-12·|f‴|, rounding ~1e-10·max|y|
                const tol = 1e-6 * (1 + Math.abs(v)) * (id === 'glu' ? 1 + Math.abs(x[i] as number) : 1);
                assert.ok(Math.abs(a - v) <= tol, `${id} x=[${[...x].join(', ')}] J[${i}][${j}] = ${a}, finite difference ${v}`);
              }),
            );
          }),
          { numRuns: 150 },
        );
      });
    }

    it('sparsemax away from its kinks (no entry within 1e-3 of τ)', () => {
      const def = vdef('sparsemax');
      const vec = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 8 });
      fc.assert(
        fc.property(vec, (arr) => {
          const x = Float64Array.from(arr);
          const out = def.apply(x, { dim: '-1' }, {});
          const s = out.y.findIndex((v) => v > 0);
          const tau = (x[s] as number) - (out.y[s] as number);
          fc.pre(x.every((v) => Math.abs(v - tau) > 1e-3));
          const fd = fdJacobian(def, x);
          fd.forEach((row, i) =>
            row.forEach((v, j) => {
              const a = (out.jacobian[i] as Float64Array)[j] as number;
              assert.ok(Math.abs(a - v) <= 1e-7, `sparsemax x=[${[...x].join(', ')}] J[${i}][${j}] = ${a}, finite difference ${v}`);
            }),
          );
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('sparsemax: values derived by hand from Keras 3’s formula', () => {
    // keras/src/backend/jax/nn.py (and the numpy/tensorflow/torch backends), `sparsemax`:
    //   sort descending, C = cumsum, support_r = x_(r) − (C_r − 1)/r > 0, k = |support|,
    //   τ = (Σ_{support} x_(r) − 1)/k, y = max(x − τ, 0)
    // with the fix of keras-team/keras PR #23469 (issue #23425): before it, τ summed the
    // cumulative sums over the support, e.g. [0, 0.5, 1] gave [0, 0, 0.25].
    // Jacobian (Martins & Astudillo 2016, eq. 12): J = diag(s) − s sᵀ/k, s = support indicator.
    const third = 1 / 3;
    it('[-1, 0, 1] → [0, 0, 1] (the Keras docstring example; support {2}, τ = 0)', () => {
      const out = run('sparsemax', [-1, 0, 1]);
      assertVec(out.y, [0, 0, 1], 'y');
      assertMatrix(out.jacobian, [[0, 0, 0], [0, 0, 0], [0, 0, 0]], 'J');
    });
    it('[0, 0.5, 1] → [0, 0.25, 0.75] (issue #23425: support {1, 2}, τ = (1.5 − 1)/2)', () => {
      const out = run('sparsemax', [0, 0.5, 1]);
      assertVec(out.y, [0, 0.25, 0.75], 'y', 1e-15);
      assertMatrix(out.jacobian, [[0, 0, 0], [0, 0.5, -0.5], [0, -0.5, 0.5]], 'J');
    });
    it('[2.5, 0.2, 0.1, 3, 0.1, 2.5] → [1/6, 0, 0, 2/3, 0, 1/6] (k = 3, τ = 7/3)', () => {
      const out = run('sparsemax', [2.5, 0.2, 0.1, 3, 0.1, 2.5]);
      assertVec(out.y, [1 / 6, 0, 0, 2 / 3, 0, 1 / 6], 'y', 1e-14);
      const S = [1, 0, 0, 1, 0, 1];
      const J = S.map((si, i) => S.map((sj, j) => (si ? (i === j ? 1 : 0) - sj * third : 0)));
      assertMatrix(out.jacobian, J, 'J', 1e-15);
    });
    it('[0.1, 0.2, 0.3, 0.4, 0.5] → [0, 0.1, 0.2, 0.3, 0.4] (PR #23469’s example; τ = 0.1)', () => {
      assertVec(run('sparsemax', [0.1, 0.2, 0.3, 0.4, 0.5]).y, [0, 0.1, 0.2, 0.3, 0.4], 'y', 1e-12, 1e-15);
    });
    it('ties share equally and the Jacobian is I − 11ᵀ/n', () => {
      const out = run('sparsemax', [1, 1, 1, 1]);
      assertVec(out.y, [0.25, 0.25, 0.25, 0.25], 'y');
      assertMatrix(out.jacobian, [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 0.75 : -0.25))), 'J');
    });
    it('outputs are a probability vector on random inputs, and shift-invariant', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 10 }), fc.double({ min: -100, max: 100, noNaN: true }), (arr, c) => {
          const y = run('sparsemax', arr).y;
          const sum = y.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(sum - 1) < 1e-12, `sum ${sum} for [${arr.join(', ')}]`);
          assert.ok(y.every((v) => v >= 0 && v <= 1));
          const ys = run('sparsemax', arr.map((v) => v + c)).y;
          ys.forEach((v, i) => assert.ok(Math.abs(v - (y[i] as number)) < 1e-9, `shift by ${c} changed y[${i}]: ${y[i]} → ${v}`));
        }),
        { numRuns: 200 },
      );
    });
    it('huge, infinite and NaN inputs', () => {
      assertVec(run('sparsemax', [1e308, -1e308, 1e308]).y, [0.5, 0, 0.5], 'huge');
      assertVec(run('sparsemax', [Infinity, 0, Infinity]).y, [0.5, 0, 0.5], '+inf limit');
      assertVec(run('sparsemax', [-Infinity, -Infinity]).y, [0.5, 0.5], 'all -inf');
      assertVec(run('sparsemax', [-Infinity, 2, 2.5]).y, [0, 0.25, 0.75], '-inf entry');
      assert.ok(run('sparsemax', [1, NaN, 2]).y.every(Number.isNaN));
    });
  });

  describe('softmax family: stability and limits', () => {
    it('huge inputs do not overflow (max subtraction)', () => {
      assertVec(run('softmax', [1e300, -1e300, 1e300]).y, [0.5, 0, 0.5], 'softmax');
      assertVec(run('softmax', [1e308, 1e308]).y, [0.5, 0.5], 'softmax equal huge');
      assertVec(run('log_softmax', [0, -1e300]).y, [0, -1e300], 'log_softmax');
      assertVec(run('softmin', [-1e300, 1e300]).y, [1, 0], 'softmin');
    });
    it('log_softmax is the log-sum-exp form: y = x − m − log Σ exp(x − m)', () => {
      const x = [700, 710, 720];
      const m = 720;
      const lse = Math.log(Math.exp(-20) + Math.exp(-10) + 1);
      assertVec(run('log_softmax', x).y, x.map((v) => v - m - lse), 'y');
    });
    it('+inf entries share the mass; an all −inf row is uniform (limits, where torch gives NaN)', () => {
      assertVec(run('softmax', [Infinity, 3, Infinity]).y, [0.5, 0, 0.5], 'softmax +inf');
      assertVec(run('softmax', [-Infinity, -Infinity, -Infinity, -Infinity]).y, [0.25, 0.25, 0.25, 0.25], 'softmax all -inf');
      assertVec(run('softmax', [-Infinity, 0, 0]).y, [0, 0.5, 0.5], 'softmax -inf entry');
      assertVec(run('log_softmax', [Infinity, 3, Infinity]).y, [-Math.LN2, -Infinity, -Math.LN2], 'log_softmax +inf');
      assertVec(run('log_softmax', [-Infinity, -Infinity]).y, [-Math.LN2, -Math.LN2], 'log_softmax all -inf');
      assertVec(run('softmin', [-Infinity, 5]).y, [1, 0], 'softmin -inf');
      const J = run('softmax', [Infinity, 3]).jacobian;
      assertMatrix(J, [[0, 0], [0, 0]], 'softmax J at the +inf limit');
    });
    it('NaN anywhere makes the whole row NaN (as max-subtraction does in the frameworks)', () => {
      for (const id of ['softmax', 'log_softmax', 'softmin']) {
        const out = run(id, [1, NaN, 2]);
        assert.ok(out.y.every(Number.isNaN), `${id} y`);
        assert.ok(out.jacobian.every((row) => row.every(Number.isNaN)), `${id} J`);
      }
    });
    it('softmax rows sum to 1 and exp(log_softmax) = softmax on random inputs', () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -700, max: 700, noNaN: true }), { minLength: 1, maxLength: 10 }), (arr) => {
          const s = run('softmax', arr).y;
          const ls = run('log_softmax', arr).y;
          assert.ok(Math.abs(s.reduce((a, b) => a + b, 0) - 1) < 1e-14);
          s.forEach((v, i) => assert.ok(Math.abs(Math.exp(ls[i] as number) - v) <= 1e-14 * Math.max(1, v * 100)));
          const sm = run('softmin', arr.map((v) => -v)).y;
          sm.forEach((v, i) => assert.equal(v, s[i]));
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('GLU', () => {
    it('splits into halves a, b and returns a·σ(b) with the exact Jacobian', () => {
      const out = run('glu', [2, -3, 0, Math.log(3)]);
      // σ(0) = 1/2, σ(ln 3) = 3/4; ∂y/∂b = a σ (1 − σ)
      assertVec(out.y, [1, -2.25], 'y', 1e-15);
      assertMatrix(out.jacobian, [[0.5, 0, 0.5, 0], [0, 0.75, 0, -3 * 0.75 * 0.25]], 'J', 1e-15);
    });
    it('b = ±inf gates fully open or closed', () => {
      const out = run('glu', [2, 5, Infinity, -Infinity]);
      assertVec(out.y, [2, 0], 'y');
      assertMatrix(out.jacobian, [[1, 0, 0, 0], [0, 0, 0, 0]], 'J');
    });
    it('an odd length is a clear error; outputLength halves', () => {
      assert.throws(() => run('glu', [1, 2, 3]), /length must be even \(got 3\)/);
      assert.equal(vdef('glu').outputLength(6), 3);
      assert.throws(() => vdef('glu').outputLength(5), /even/);
      assert.equal(vdef('softmax').outputLength(5), 5);
    });
  });

  describe('bindings', () => {
    it('torch softmax/log_softmax/softmin default to dim=None (implicit-dim warning documented)', () => {
      for (const name of ['softmax', 'Softmax', 'log_softmax', 'LogSoftmax', 'softmin', 'Softmin']) {
        const r = resolve('torch', name);
        assert.equal(r.frameworkParams['dim'], 'None', name);
        assert.equal(r.params['dim'], '-1', name);
        assert.ok((r.binding.notes ?? []).some((n) => /Implicit dimension/.test(n)), `${name} notes`);
      }
    });
    it('accepts -1 and 0 for one vector and rejects other axes with exit-code-2 errors', () => {
      assert.equal(resolve('torch', 'softmax', { dim: '0' }).params['dim'], '0');
      assert.equal(resolve('jax', 'glu', { axis: '-1' }).params['dim'], '-1');
      assert.equal(resolve('tf', 'softmax', {}).frameworkParams['axis'], 'None');
      assert.throws(() => resolve('torch', 'softmax', { dim: '1' }), (e: unknown) => e instanceof CatalogError && /out of range/.test(e.message));
      assert.throws(() => resolve('torch', 'glu', { dim: 'None' }), CatalogError);
      assert.throws(() => resolve('keras', 'softmax', { axis: '1.5' }), CatalogError);
    });
    it('every framework named in the issue finds its spelling', () => {
      const expect: [string, string, string][] = [
        ['torch', 'GLU', 'glu'],
        ['keras', 'sparsemax', 'sparsemax'],
        ['keras', 'Softmax', 'softmax'],
        ['jax', 'log_softmax', 'log_softmax'],
        ['tf', 'log_softmax', 'log_softmax'],
        ['tfjs', 'logSoftmax', 'log_softmax'],
        ['tfjs', 'softmax', 'softmax'],
      ];
      for (const [fw, name, id] of expect) assert.equal(resolve(fw, name).entry.def.id, id, `${fw} ${name}`);
    });
  });
});
