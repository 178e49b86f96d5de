// `eval --dtype`: the CLI's pure core (evaluate) and its command (EVAL through runCommand, with
// in-memory I/O)
// give y and dy exactly as PyTorch 1.13 stores them in bfloat16 (the CPU reference fixture),
// values rounded to float16/float32 in the other dtypes, and one-line usage errors.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../src/cli/command';
import { EVAL, evaluate, type ElementwiseResult } from '../../src/cli/evaluate';
import type { CliIo } from '../../src/cli/io';
import { CatalogError } from '../../src/engine/activations/registry';
import { bf16FromBits, roundBf16, roundF16 } from '../../src/engine/precision/round';

interface Fixture {
  readonly x: string;
  readonly cases: readonly { fn: string; params: Record<string, number | string>; y: string; dy: string | null }[];
}

function decode(b64: string): number[] {
  const bytes = Buffer.from(b64, 'base64');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) out.push(bf16FromBits(bytes.readUInt16LE(i)));
  return out;
}

function elementwise(r: ReturnType<typeof evaluate>): ElementwiseResult {
  assert.ok(!('jacobian' in r));
  return r as ElementwiseResult;
}

async function runEval(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => (out += s), err: (s) => (err += s), readFile: () => '', listDir: () => undefined };
  const code = await runCommand(EVAL, argv, io);
  return { code, out, err };
}

describe('eval --dtype', () => {
  const fx = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'precision-bf16-torch.json'), 'utf8')) as Fixture;
  const x = decode(fx.x);

  for (const fn of ['sigmoid', 'gelu', 'silu', 'softsign']) {
    it(`bfloat16 ${fn}: y and dy are PyTorch's stored values, bit for bit, on [−20, 20]`, () => {
      const c = fx.cases.find((k) => k.fn === fn && Object.keys(k.params).length === 0);
      assert.ok(c && c.dy);
      const want = decode(c.y);
      const wantDy = decode(c.dy);
      const idx = x.map((_, i) => i).filter((i) => Math.abs(x[i] as number) <= 20);
      const r = elementwise(evaluate({ framework: 'torch', fn, params: {}, x: idx.map((i) => x[i] as number), dtype: 'bfloat16' }));
      let same = 0;
      idx.forEach((i, j) => {
        if (Object.is(r.y[j], want[i]) && Object.is(r.dy[j], wantDy[i])) same++;
      });
      assert.ok(same / idx.length >= 0.99, `${fn}: ${same} of ${idx.length}`);
    });
  }

  it('rounds x to the dtype first and reports the dtype', () => {
    const r = elementwise(evaluate({ framework: 'torch', fn: 'relu', params: {}, x: [0.1, 1 + 2 ** -9], dtype: 'bfloat16' }));
    assert.equal(r.dtype, 'bfloat16');
    assert.deepEqual(r.x, [roundBf16(0.1), 1]);
    assert.deepEqual(r.y, r.x);
    const h = elementwise(evaluate({ framework: 'torch', fn: 'relu', params: {}, x: [0.1], dtype: 'float16' }));
    assert.deepEqual(h.x, [roundF16(0.1)]);
  });

  it('float16: exp overflows to ∞ above 11.09 (65504 is the largest float16)', () => {
    const r = elementwise(evaluate({ framework: 'torch', fn: 'exp', params: {}, x: [11.0859375, 11.09375, 12], dtype: 'float16' }));
    assert.deepEqual(r.y, [65248, Infinity, Infinity]); // e^11.0859375 = 65258.6 → 65248 (spacing 32)
    const b = elementwise(evaluate({ framework: 'torch', fn: 'exp', params: {}, x: [12], dtype: 'bfloat16' }));
    assert.equal(b.y[0], roundBf16(Math.exp(12)));
  });

  it('bfloat16 sigmoid: f′ is exactly 0 once the saved output rounds to 1', () => {
    const r = elementwise(evaluate({ framework: 'torch', fn: 'sigmoid', params: {}, x: [5, 8], dtype: 'bfloat16' }));
    assert.ok((r.y[0] as number) < 1 && (r.dy[0] as number) > 0);
    assert.deepEqual([r.y[1], r.dy[1]], [1, 0]);
  });

  it('float32: every value is a float32 and d2y is null where torch has no double backward', () => {
    const r = elementwise(evaluate({ framework: 'torch', fn: 'gelu', params: { approximate: 'tanh' }, x: [-1.3, 0.2, 2.7], dtype: 'float32' }));
    for (const v of [...r.x, ...r.y, ...r.dy, ...r.d2y]) assert.equal(Math.fround(v as number), v);
    const hs = elementwise(evaluate({ framework: 'torch', fn: 'hardsigmoid', params: {}, x: [0.5], dtype: 'float16' }));
    assert.deepEqual(hs.d2y, [null]);
  });

  it('the command prints exact values (shortest round trip of the stored number)', async () => {
    const r = await runEval('--framework', 'torch', '--fn', 'tanh', '--x', '0.3,inf', '--dtype', 'bfloat16', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['framework', 'fn', 'params', 'dtype', 'x', 'y', 'dy', 'd2y']);
    assert.equal(j.dtype, 'bfloat16');
    assert.deepEqual(j.x, [0.30078125, 'inf']);
    assert.deepEqual(j.y, [roundBf16(Math.tanh(0.30078125)), 1]);
    const t = (await runEval('--framework', 'torch', '--fn', 'tanh', '--x', '0.3', '--dtype', 'float16')).out;
    assert.match(t, /in float16/);
    assert.match(t, /0\.300048828125/);
    const plain = JSON.parse((await runEval('--framework', 'torch', '--fn', 'tanh', '--x', '0.3', '--json')).out);
    assert.ok(!('dtype' in plain));
  });

  it('rejects unknown dtypes and vector functions with one line on stderr and exit 2', async () => {
    const bad = await runEval('--framework', 'torch', '--fn', 'tanh', '--x', '1', '--dtype', 'half');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^activation-inspector eval: --dtype must be one of float64, float32, bfloat16, float16, got "half"/);
    assert.equal(bad.err.trim().split('\n').length, 1);
    const vec = await runEval('--framework', 'torch', '--fn', 'softmax', '--x', '1,2', '--dtype', 'float16');
    assert.equal(vec.code, 2);
    assert.match(vec.err, /only elementwise activations/);
    assert.throws(() => evaluate({ framework: 'torch', fn: 'softmax', params: {}, x: [1, 2], dtype: 'float16' }), (e: unknown) => e instanceof CatalogError && /elementwise/.test(e.message));
  });

  it('--help lists --dtype', async () => {
    const h = await runEval('--help');
    assert.equal(h.code, 0);
    assert.match(h.out, /--dtype float64\|float32\|bfloat16\|float16/);
  });
});
