// Op-by-op float16 evaluation (src/engine/precision/perOp.ts): against PyTorch 1.13's CPU
// float16 kernels for arithmetic formulas (test/fixtures/perop-f16-torch.json, made by
// test/fixtures/gen-perop-f16-torch.py), bit for bit; and the float16 regimes on the classic
// overflow: log(1 + exp(x)) is inf from x = 11.09375 in a .half() model (exp(x) > 65504, the
// largest float16 rounds up to inf beyond 65520) but finite under CUDA autocast, which runs
// exp and log in float32.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evalPerOp, float16Overflow, thresholdText, type OpExpr } from '../../src/engine/precision/perOp';
import { f16FromBits, roundF16 } from '../../src/engine/precision/round';
import { finiteValues } from '../../src/engine/precision/tables';

const X: OpExpr = { k: 'x' };
const num = (v: number): OpExpr => ({ k: 'num', v });
const bin = (op: '+' | '-' | '*' | '/' | '**', a: OpExpr, b: OpExpr): OpExpr => ({ k: 'bin', op, a, b });
const fn = (name: 'exp' | 'log' | 'abs' | 'tanh' | 'sqrt', a: OpExpr): OpExpr => ({ k: 'fn', name, a });

/** The fixture's formulas as trees, each op in the order Python evaluates it. */
const TREES: Readonly<Record<string, OpExpr>> = {
  'x * x + 1': bin('+', bin('*', X, X), num(1)),
  'x / (1 + x.abs())': bin('/', X, bin('+', num(1), fn('abs', X))),
  '2 / (1 + x * x)': bin('/', num(2), bin('+', num(1), bin('*', X, X))),
  'x + 0.044715 * x * x * x': bin('+', X, bin('*', bin('*', bin('*', num(0.044715), X), X), X)),
  '(x - 3) * (x + 3) / 6': bin('/', bin('*', bin('-', X, num(3)), bin('+', X, num(3))), num(6)),
  'torch.maximum(x * 100, x)': { k: 'minmax', op: 'max', a: bin('*', X, num(100)), b: X },
  'x ** 3 - x': bin('-', bin('**', X, num(3)), X),
};

function decode(b64: string): Float64Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Float64Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = f16FromBits(bytes.readUInt16LE(2 * i));
  return out;
}

const softplusAsWritten = fn('log', bin('+', num(1), fn('exp', X)));

describe('op-by-op float16 evaluation (perOp)', () => {
  const fx = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'perop-f16-torch.json'), 'utf8')) as { torch: string; x: string; cases: { name: string; y: string }[] };
  const xs = decode(fx.x);

  it('the reference covers every formula and thousands of inputs, overflow included', () => {
    assert.deepEqual(fx.cases.map((c) => c.name).sort(), Object.keys(TREES).sort());
    assert.ok(xs.length > 5000, String(xs.length));
    assert.ok(decode((fx.cases[0] as { y: string }).y).some((v) => v === Infinity), 'x * x + 1 overflows somewhere');
  });

  for (const name of Object.keys(TREES)) {
    it(`${name}: bit-exact against PyTorch ${'1.13'} CPU float16 at every input`, () => {
      const c = fx.cases.find((k) => k.name === name);
      assert.ok(c, name);
      const want = decode(c.y);
      const tree = TREES[name] as OpExpr;
      const bad: string[] = [];
      xs.forEach((x, i) => {
        const got = evalPerOp(tree, x, 'float16', { cpuScalars: true }).value;
        const w = want[i] as number;
        if (!(Object.is(got, w) || (Number.isNaN(got) && Number.isNaN(w)) || (got === 0 && w === 0))) bad.push(`x=${x}: ${got} vs torch ${w}`);
      });
      assert.deepEqual(bad.slice(0, 5), []);
    });
  }

  it('x * x overflows float16 from |x| = 256 (65536 > 65504), and names the op', () => {
    const sq = bin('*', X, X);
    assert.equal(evalPerOp(sq, 255.875, 'float16').value, roundF16(255.875 ** 2));
    const r = evalPerOp(bin('+', sq, num(1)), 256, 'float16');
    assert.equal(r.value, Infinity);
    assert.equal(r.overflow, sq);
  });

  it('log(1 + exp(x)) in a .half() model: inf exactly from the first float16 above ln(65520) = 11.0898', () => {
    const xs16 = finiteValues('float16');
    const first = xs16.find((x) => !Number.isFinite(evalPerOp(softplusAsWritten, x, 'float16').value));
    assert.equal(first, 11.09375);
    assert.equal(evalPerOp(softplusAsWritten, 11.0859375, 'float16').value, roundF16(Math.log1p(Math.exp(11.0859375))));
    const r = evalPerOp(softplusAsWritten, 12, 'float16');
    assert.equal(r.value, Infinity);
    assert.deepEqual(r.overflow, fn('exp', X));
  });

  it('under CUDA autocast exp and log run in float32: log(1 + exp(x)) stays finite until float32 overflows (x > 88.72)', () => {
    const r = evalPerOp(softplusAsWritten, 20, 'autocast');
    assert.equal(r.value, Math.fround(20));
    assert.equal(r.overflow, undefined);
    assert.equal(evalPerOp(softplusAsWritten, 88.6875, 'autocast').value < Infinity, true);
    assert.equal(evalPerOp(softplusAsWritten, 88.75, 'autocast').value, Infinity);
    assert.equal(evalPerOp(softplusAsWritten, 88.75, 'float32').value, Infinity);
  });

  it('under autocast an op outside the float32 list stays float16: x * x still overflows at 256', () => {
    assert.equal(evalPerOp(bin('*', X, X), 256, 'autocast').value, Infinity);
    // x ** 2 is pow: float32 under autocast
    assert.equal(evalPerOp(bin('**', X, num(2)), 256, 'autocast').value, 65536);
    // a float32 operand promotes the product: exp(x) * x is float32
    assert.equal(evalPerOp(bin('*', fn('exp', X), X), 12, 'autocast').value, Math.fround(Math.fround(Math.exp(12)) * 12));
    // 1 / t is reciprocal: float32 under autocast, float16 in a .half() model
    assert.equal(evalPerOp(bin('/', num(1), X), 1e-5, 'autocast').value, Math.fround(1 / roundF16(1e-5)));
    assert.equal(evalPerOp(bin('/', num(1), X), 1e-5, 'float16').value, Infinity);
  });

  it('an overflow that does not reach the output is not reported as the output (tanh(inf) = 1; where picks the other branch)', () => {
    const mish = bin('*', X, fn('tanh', softplusAsWritten));
    const r = evalPerOp(mish, 20, 'float16');
    assert.equal(r.value, 20);
    const elu: OpExpr = { k: 'where', op: '>', l: X, r: num(0), a: X, b: bin('-', fn('exp', X), num(1)) };
    const e = evalPerOp(elu, 20, 'float16');
    assert.equal(e.value, 20);
    assert.equal(e.overflow, undefined);
  });

  it('catalog activations called as one op (prim) run as one native kernel: F.silu never overflows', () => {
    const silu: OpExpr = { k: 'prim', name: 'silu', a: X, p: [] };
    for (const x of [-65504, -20, 11.09375, 60000, 65504]) assert.ok(Number.isFinite(evalPerOp(silu, x, 'float16').value), String(x));
  });

  it('Python scalars: the CPU rounds them to float16 first, CUDA reads them as float32 (x + 0.044715·x³ at x = 0.9497)', () => {
    const t = TREES['x + 0.044715 * x * x * x'] as OpExpr;
    assert.equal(evalPerOp(t, 0.94970703125, 'float16', { cpuScalars: true }).value, 0.98779296875);
    assert.equal(evalPerOp(t, 0.94970703125, 'float16').value, 0.98828125);
  });

  describe('float16Overflow: where float16 turns the formula into inf although its value fits', () => {
    const xs = finiteValues('float16');
    it('log(1 + exp(x)) in a .half() model: x ≥ 11.09375 up to the largest float16, culprit exp(x)', () => {
      const r = float16Overflow(softplusAsWritten, 'float16', xs);
      assert.equal(r.length, 1);
      const s = r[0];
      assert.ok(s);
      assert.equal(s.from, 11.09375);
      assert.equal(s.to, 65504);
      assert.deepEqual(s.culprit, fn('exp', X));
      assert.equal(s.y16, Infinity);
      assert.ok(Math.abs(s.y64 - 11.0937652) < 1e-6);
    });
    it('under autocast: nothing (exp and log in float32; beyond x = 88.7 float32 overflows too)', () => {
      assert.deepEqual(float16Overflow(softplusAsWritten, 'autocast', xs), []);
    });
    it('x / sqrt(1 + x * x) (ISRU) gives 0 instead of ±1 for |x| ≥ 256 in float16 and under autocast (mul stays float16)', () => {
      const isru = bin('/', X, fn('sqrt', bin('+', num(1), bin('*', X, X))));
      for (const regime of ['float16', 'autocast'] as const) {
        const r = float16Overflow(isru, regime, xs);
        assert.deepEqual(r.map((s) => [s.from, s.to, s.y16]), [[256, 65504, 0], [-256, -65504, -0]], regime);
        assert.deepEqual(r[0]?.culprit, bin('*', X, X));
      }
    });
    it('nothing for formulas that overflow harmlessly (mish as written, tanh(inf) = 1) or only where the value itself is too large (exp)', () => {
      assert.deepEqual(float16Overflow(bin('*', X, fn('tanh', softplusAsWritten)), 'float16', xs), []);
      assert.deepEqual(float16Overflow(fn('exp', X), 'float16', xs), []);
    });
    it('a pole is no overflow: log(clamp(x, min=1e-20)) is -inf in float16 because 1e-20 rounds to 0 (an underflow, not reported here)', () => {
      const logEps: OpExpr = { k: 'fn', name: 'log', a: { k: 'minmax', op: 'max', a: X, b: { k: 'param', name: 'eps' } } };
      const r = evalPerOp(logEps, -1, 'float16', { params: { eps: 1e-20 } });
      assert.equal(r.value, -Infinity);
      assert.equal(r.overflow, undefined);
      assert.deepEqual(float16Overflow(logEps, 'float16', xs, { params: { eps: 1e-20 } }), []);
    });
    it('thresholdText: the shortest decimal that names exactly the float16 inputs beyond the threshold', () => {
      assert.equal(thresholdText(11.09375, 11.0859375), '11.09');
      assert.equal(thresholdText(256, 255.875), '256');
      assert.equal(thresholdText(-11.09375, -11.0859375), '-11.09');
    });
  });
});

