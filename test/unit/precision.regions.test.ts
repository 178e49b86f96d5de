// The explorer's precision regions (src/engine/precision/regions.ts): overflow, underflow and
// zero-gradient runs agree with docs/precision-tables.md (the same sweep) and with
// independent arithmetic, the shaded extent is exactly the real x that round into a region,
// float32's bisected boundaries are neighbouring float32 values, and errors in ULPs are right
// on values worked out by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolve } from '../../src/engine/activations/registry';
import type { ElementwiseDef } from '../../src/engine/activations/types';
import { dtypeScalars, type DtypeScalars } from '../../src/engine/precision/evaluate';
import { precisionRegions, ulpError, ulpErrors, visibleRegions, type PrecisionRegion } from '../../src/engine/precision/regions';
import { type Dtype, roundBf16, roundF32ToBf16 } from '../../src/engine/precision/round';
import { finiteValues } from '../../src/engine/precision/tables';

function scalars(name: string, dtype: Dtype, framework: 'torch' | 'jax' = 'torch'): { s: DtypeScalars; f64: DtypeScalars } {
  const r = resolve(framework, name, {});
  const k = (r.entry.def as ElementwiseDef).kernel(r.params, r.conventions);
  return {
    s: dtypeScalars(framework, r.entry.def.id, r.params, r.conventions, k, dtype),
    f64: dtypeScalars(framework, r.entry.def.id, r.params, r.conventions, k, 'float64'),
  };
}

const regionsOf = (name: string, dtype: Dtype, xmin?: number, xmax?: number): PrecisionRegion[] => {
  const { s, f64 } = scalars(name, dtype);
  return precisionRegions(s, f64, xmin, xmax);
};

/** A cell of docs/precision-tables.md: the row of `id` in the section of `dtype`, column `col`. */
function tableCell(dtype: 'bfloat16' | 'float16', id: string, col: number): string {
  const md = readFileSync(join(__dirname, '..', '..', 'docs', 'precision-tables.md'), 'utf8');
  const section = md.split(`## ${dtype}`)[1]?.split('\n## ')[0] ?? '';
  const row = section.split('\n').find((l) => l.startsWith(`| ${id} |`));
  assert.ok(row, `no row ${id} in ${dtype}`);
  return (row.split('|')[col + 1] as string).trim();
}

describe('precision regions', function () {
  this.timeout(0); // sweeps of 65,536 inputs

  it('sigmoid in bfloat16: f′ = 0 exactly for x ≥ 6.25, where the stored σ first rounds to 1', () => {
    const regs = regionsOf('sigmoid', 'bfloat16');
    const tail = regs.find((r) => r.kind === 'zero-grad' && r.last > 0);
    assert.ok(tail);
    const xs = finiteValues('bfloat16');
    // independent: σ computed in float64, stored via float32 then bfloat16, equals 1
    const firstOne = xs.find((x) => x > 0 && roundF32ToBf16(1 / (1 + Math.exp(-x))) === 1);
    assert.equal(tail.first, firstOne);
    assert.equal(tail.first, 6.25);
    assert.equal(tail.text, 'f′ = 0 exactly for x ≥ 6.25 in bfloat16 (float64: nonzero)');
    // shaded from halfway between 6.21875 and 6.25: every real x that rounds to 6.25 or more
    assert.equal(tail.from, 6.234375);
    assert.equal(tail.to, Infinity);
    const { s } = scalars('sigmoid', 'bfloat16');
    assert.equal(s.df(6.2344), 0);
    assert.ok(s.df(6.2343) > 0);
  });

  for (const dtype of ['bfloat16', 'float16'] as const) {
    for (const [name, id] of [['sigmoid', 'sigmoid'], ['tanh', 'tanh'], ['softplus', 'softplus'], ['exp', 'exponential'], ['logsigmoid', 'log_sigmoid']] as const) {
      it(`${id} in ${dtype}: the same runs as docs/precision-tables.md`, () => {
        const regs = regionsOf(name, dtype);
        const where = (pred: (r: PrecisionRegion) => boolean): string => regs.filter(pred).map((r) => r.where).join('; ') || '—';
        // overflow of f (column 2), underflow (3), f′ = 0 exactly (4): in these activations
        // every zero-gradient run holds inputs whose float64 gradient is not 0
        const over = regs.filter((r) => r.kind === 'overflow' && r.of === 'f');
        const overCell = over.map((r) => (r.last > 0 ? `x ≥ ${r.where.replace('x ≥ ', '')}` : r.where)).join('; ') || '—';
        assert.equal(overCell, tableCell(dtype, id, 2));
        assert.equal(where((r) => r.kind === 'zero-grad'), tableCell(dtype, id, 4));
        // the table lists underflow input by input (f = 0 where float64's is not); a region is
        // the whole run of f = 0 around it (out to where float64 underflows too): the same
        // threshold on the side of 0, and it covers the table's interval
        const cell = tableCell(dtype, id, 3);
        const under = regs.filter((r) => r.kind === 'underflow');
        if (cell === '—') assert.deepEqual(under, []);
        else {
          const nums = (cell.match(/-?[\d.]+(e[-+]?\d+)?/g) ?? []).map(Number);
          assert.equal(nums.length, 2, cell);
          const [a, b] = nums as [number, number];
          const inner = Math.abs(a) < Math.abs(b) ? a : b;
          assert.equal(under.length, 1, JSON.stringify(under));
          const r = under[0] as PrecisionRegion;
          assert.ok(r.first <= a + 1e-5 * Math.abs(a) && r.last >= b - 1e-5 * Math.abs(b), `${r.where} covers ${cell}`);
          assert.ok(r.where.includes(String(inner)), `${r.where} has the threshold ${inner}`);
        }
      });
    }
  }

  it('exp in float16 overflows from 11.09375 (e^x ≥ 65520, the first value that rounds to ∞)', () => {
    const over = regionsOf('exp', 'float16').filter((r) => r.kind === 'overflow');
    assert.deepEqual(over.map((r) => [r.of, r.first]), [['f', 11.09375], ['df', 11.09375]]);
    const xs = finiteValues('float16');
    assert.equal(over[0]?.first, xs.find((x) => x > 0 && Math.fround(Math.exp(x)) >= 65520));
    assert.equal(over[0]?.text, 'f overflows to +∞ for x ≥ 11.0938 in float16 (float64: finite)');
  });

  it('no regions where rounding changes nothing of the kind: relu in every dtype, anything in float64', () => {
    for (const dtype of ['bfloat16', 'float16', 'float32'] as const) assert.deepEqual(regionsOf('relu', dtype), []);
    for (const name of ['sigmoid', 'exp', 'gelu']) assert.deepEqual(regionsOf(name, 'float64'), []);
  });

  it('float32: boundaries found by bisection are neighbouring float32 values', () => {
    const { s } = scalars('sigmoid', 'float32');
    const regs = precisionRegions(s, scalars('sigmoid', 'float64').s, -30, 30);
    const tail = regs.find((r) => r.kind === 'zero-grad' && r.last > 0);
    assert.ok(tail, JSON.stringify(regs));
    assert.equal(s.df(tail.first), 0);
    assert.equal(Math.fround(tail.first), tail.first);
    const prev = tail.first - 2 ** (Math.floor(Math.log2(tail.first)) - 23); // the float32 value below
    assert.ok(s.df(prev) > 0, `f′(${prev}) = ${s.df(prev)}`);
    assert.equal(tail.last, Math.fround(30));
    assert.match(tail.text, /^f′ = 0 exactly for x ≥ 16\.6355 in float32 \(float64: nonzero; checked up to the edge of the plotted range\)$/);
  });

  it('visibleRegions keeps those that reach into the range', () => {
    const regs = regionsOf('sigmoid', 'bfloat16');
    assert.deepEqual(visibleRegions(regs, -6, 6), []);
    assert.deepEqual(visibleRegions(regs, -6, 6.24).map((r) => r.where), ['x ≥ 6.25']);
    assert.equal(visibleRegions(regs, -100, 10).length, 3);
  });

  it('ULP error: hand-worked values', () => {
    // bfloat16 spacing is 2^-7 on [1, 2), 2^-8 on [0.5, 1)
    assert.equal(ulpError(1 + 2 ** -6, 1 + 2 ** -7, 'bfloat16'), 1);
    assert.equal(ulpError(1, 1 + 2 ** -7, 'bfloat16'), -1);
    assert.equal(ulpError(1.5, 1.5, 'bfloat16'), 0);
    assert.equal(ulpError(1, 1 + 2 ** -9, 'bfloat16'), -0.25);
    assert.equal(ulpError(2048, 2049, 'float16'), -0.5); // float16 spacing is 2 on [2048, 4096)
    assert.equal(ulpError(Infinity, 70000, 'float16'), Infinity);
    assert.equal(ulpError(-Infinity, -1e39, 'bfloat16'), 0 - Infinity);
    assert.equal(ulpError(Infinity, Infinity, 'float16'), 0);
    assert.ok(Number.isNaN(ulpError(NaN, 1, 'float16')));
    assert.equal(ulpError(NaN, NaN, 'float16'), 0);
    // subnormal: the float16 ulp below 2^-14 is 2^-24
    assert.equal(ulpError(2 ** -24, 0.75 * 2 ** -24, 'float16'), 0.25);
  });

  it('ULP errors per point: 0 for an exact function, within ½ for sigmoid, the whole value where f′ is lost', () => {
    const xs = Array.from({ length: 241 }, (_, i) => -6 + i * 0.05);
    const relu = scalars('relu', 'bfloat16');
    const e = ulpErrors(relu.s, relu.f64, xs);
    assert.ok(e.f.every((v) => v === 0) && e.df.every((v) => v === 0));
    const sig = scalars('sigmoid', 'bfloat16');
    const es = ulpErrors(sig.s, sig.f64, xs);
    for (let i = 0; i < xs.length; i++) assert.ok(Math.abs(es.f[i] as number) <= 0.5 + 2 ** -8, `σ at ${xs[i]}: ${es.f[i]} ulp`);
    // at x = 7 bfloat16 returns f′ = 0; float64's f′(7) = 9.1e-4 is 128…256 ulps of itself
    const at7 = ulpErrors(sig.s, sig.f64, [7]).df[0] as number;
    const d64 = sig.f64.df(7);
    assert.equal(at7, -d64 / 2 ** (Math.floor(Math.log2(d64)) - 7));
    assert.ok(at7 <= -128 && at7 > -256);
    // the input is rounded first: 0.1 is not a bfloat16 value, its error is the computation's
    assert.equal(ulpErrors(sig.s, sig.f64, [0.1]).f[0], ulpError(sig.s.f(0.1), sig.f64.f(roundBf16(0.1)), 'bfloat16'));
    const f64 = scalars('sigmoid', 'float64');
    assert.ok(ulpErrors(f64.s, f64.f64, xs).df.every((v) => v === 0));
  });
});
