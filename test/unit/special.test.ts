// Special functions (src/engine/math): erf, erfc, erfcx, the standard normal cdf/pdf and the
// logistic helpers, against mpmath values (test/fixtures/special-values.json, written by
// test/fixtures/gen-smooth-truth.py) measured in ulps, plus identities, tails and limits.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { erf, erfc, erfcx, expNegSq, logSigmoid, normalCdf, normalPdf, sech2, sigmoid, sigmoidPrime, softplus, tanhshrink } from '../../src/engine/math';

const sv = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'special-values.json'), 'utf8')) as Record<'x' | 'erf' | 'erfc' | 'ncdf' | 'npdf', number[]>;

/** Size of one ulp at v (the subnormal spacing below 2^-1022). */
function ulp(v: number): number {
  const a = Math.abs(v);
  if (a < 2.2250738585072014e-308) return 5e-324;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}
function maxUlps(fn: (x: number) => number, want: number[]): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  sv.x.forEach((x, i) => {
    const w = want[i] as number;
    const e = Math.abs(fn(x) - w) / ulp(w);
    if (e > worst.ulps) worst = { ulps: e, at: x };
  });
  return worst;
}

describe('special functions vs mpmath (ulps over both tails)', () => {
  // Measured: erf ≤ 1.2 ulp, erfc ≤ 3.3, Φ ≤ 4.3, φ ≤ 2; bounds leave a little room.
  const cases: [string, (x: number) => number, number[], number][] = [
    ['erf', erf, sv.erf, 2],
    ['erfc', erfc, sv.erfc, 4],
    ['normal cdf Φ', normalCdf, sv.ncdf, 5],
    ['normal pdf φ', normalPdf, sv.npdf, 3],
  ];
  for (const [name, fn, want, bound] of cases) {
    it(`${name} within ${bound} ulp at ${sv.x.length} points in [−40, 40] and ±1e-300…±1`, () => {
      const w = maxUlps(fn, want);
      assert.ok(w.ulps <= bound, `${name}: ${w.ulps.toFixed(2)} ulp at x = ${w.at}`);
    });
  }

  it('keeps full relative accuracy deep in the tails (no 1 − Φ cancellation)', () => {
    const at = (x: number): number => sv.x.indexOf(x);
    for (const x of [-8, -20, -26.5, -37.5]) {
      const i = at(x);
      assert.ok(i >= 0, `fixture has ${x}`);
      const want = sv.ncdf[i] as number;
      assert.ok(want > 0 && Math.abs(normalCdf(x) - want) <= 8 * ulp(want), `Φ(${x}) = ${normalCdf(x)}, want ${want}`);
    }
    const i = at(26.5);
    assert.ok(Math.abs(erfc(26.5) - (sv.erfc[i] as number)) <= 8 * ulp(sv.erfc[i] as number));
  });
});

describe('special functions: identities, limits, NaN', () => {
  const grid = Array.from({ length: 161 }, (_, i) => -8 + i * 0.1);
  it('erf is odd, erf + erfc = 1, Φ(x) + Φ(−x) = 1', () => {
    for (const x of grid) {
      assert.equal(erf(-x), -erf(x));
      assert.ok(Math.abs(erf(x) + erfc(x) - 1) <= 4e-16, `erf+erfc at ${x}`);
      assert.ok(Math.abs(normalCdf(x) + normalCdf(-x) - 1) <= 4e-16, `Φ symmetry at ${x}`);
    }
  });
  it('erfcx(z) = exp(z²)·erfc(z) and ≈ 1/(z√π) for large z', () => {
    for (const z of [-3, -1, -0.2, 0, 0.3, 0.7, 1.5, 3, 6]) {
      const direct = Math.exp(z * z) * erfc(z);
      assert.ok(Math.abs(erfcx(z) - direct) <= 1e-14 * direct, `erfcx(${z})`);
    }
    // asymptotic series z√π·erfcx(z) = 1 − 1/(2z²) + 3/(4z⁴) − …
    for (const z of [1e3, 1e8, 1e150, 1e300]) {
      const want = 1 - 0.5 / (z * z) + 0.75 / z ** 4;
      assert.ok(Math.abs(erfcx(z) * z * Math.sqrt(Math.PI) - want) <= 4e-16, `erfcx(${z})`);
    }
    assert.equal(erfcx(Infinity), 0);
  });
  it('±Infinity give the limits and NaN stays NaN', () => {
    assert.equal(erf(Infinity), 1);
    assert.equal(erf(-Infinity), -1);
    assert.equal(erfc(Infinity), 0);
    assert.equal(erfc(-Infinity), 2);
    assert.equal(normalCdf(Infinity), 1);
    assert.equal(normalCdf(-Infinity), 0);
    assert.equal(normalPdf(Infinity), 0);
    assert.equal(expNegSq(-Infinity), 0);
    for (const f of [erf, erfc, erfcx, normalCdf, normalPdf, expNegSq, sigmoid, softplus, logSigmoid, sigmoidPrime, tanhshrink, sech2]) {
      assert.ok(Number.isNaN(f(NaN)), `${f.name}(NaN)`);
    }
    assert.ok(Object.is(erf(-0), -0), 'erf(−0) = −0');
  });
  it('exp(−x²) keeps its digits where x² rounds (x = 27.3: 8e-14 in x² would show)', () => {
    // exp(−x²) for x = 1 + 2⁻³⁰: x² = 1 + 2⁻²⁹ + 2⁻⁶⁰ (the 2⁻⁶⁰ is lost in float64)
    const x = 1 + 2 ** -30;
    const want = Math.exp(-1) * Math.exp(-(2 ** -29)) * Math.exp(-(2 ** -60));
    assert.ok(Math.abs(expNegSq(x) - want) <= 2 * ulp(want));
  });
});

describe('logistic helpers never overflow', () => {
  it('sigmoid, softplus, log-sigmoid at ±1e300, ±∞ and in the tails', () => {
    assert.equal(sigmoid(1e300), 1);
    assert.equal(sigmoid(-1e300), 0);
    assert.equal(softplus(1e300), 1e300);
    assert.equal(softplus(-1e300), 0);
    assert.equal(softplus(Infinity), Infinity);
    assert.equal(logSigmoid(-1e300), -1e300);
    assert.equal(logSigmoid(Infinity), -0);
    assert.equal(sigmoidPrime(1e300), 0);
    // relative accuracy where naive formulas fail (mpmath values): σ(−40), softplus(−40), σ′(30)
    assert.ok(Math.abs(sigmoid(-40) / 4.248354255291589e-18 - 1) < 1e-15);
    assert.ok(Math.abs(softplus(-40) / 4.248354255291589e-18 - 1) < 1e-15);
    assert.ok(Math.abs(sigmoidPrime(30) / 9.357622968838423e-14 - 1) < 1e-15); // mpmath
  });
  it('x − tanh x near 0 equals its Taylor series x³/3 − 2x⁵/15 + … (no cancellation)', () => {
    for (const x of [1e-300, -1e-100, 1e-8, -1e-4, 0.01]) {
      const s = (x * x * x) / 3 - (2 * x ** 5) / 15 + (17 * x ** 7) / 315 - (62 * x ** 9) / 2835;
      assert.ok(Math.abs(tanhshrink(x) - s) <= 2e-16 * Math.abs(s), `tanhshrink(${x}) = ${tanhshrink(x)}, series ${s}`);
    }
    assert.ok(Object.is(tanhshrink(-0), -0));
  });
});
