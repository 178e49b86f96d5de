// `eval --dtype`: the CLI's pure core (evaluate) and its command (EVAL through runCommand, with
// in-memory I/O)
// give y and dy exactly as PyTorch 1.13 stores them in bfloat16 (the CPU reference fixture),
// values rounded to float16/float32 in the other dtypes, and one-line usage errors.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../src/cli/command';
import { EVAL, evaluate, toJson, type ElementwiseResult } from '../../src/cli/evaluate';
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

  it('rejects unknown dtypes with one line on stderr and exit 2', async () => {
    const bad = await runEval('--framework', 'torch', '--fn', 'tanh', '--x', '1', '--dtype', 'half');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^activation-inspector eval: --dtype must be one of float64, float32, bfloat16, float16, got "half"/);
    assert.equal(bad.err.trim().split('\n').length, 1);
    const odd = await runEval('--framework', 'torch', '--fn', 'glu', '--x', '1,2,3', '--dtype', 'bfloat16');
    assert.equal(odd.code, 2);
    assert.match(odd.err, /even/);
    assert.throws(() => evaluate({ framework: 'torch', fn: 'glu', params: {}, x: [1, 2, 3], dtype: 'float16' }), (e: unknown) => e instanceof CatalogError && /even/.test(e.message));
  });

  // Values printed by PyTorch 1.13 (CPU, bfloat16) for x = [0.1, 2, 3] (0.1 → 0.10009765625):
  // y, x.grad for grad_output = ones, and x.grad for each one-hot grad_output (the rows).
  const TORCH_BF16: Record<string, { y: number[]; dy: number[]; rows: number[][] }> = {
    softmax: {
      y: [0.03857421875, 0.2578125, 0.703125],
      dy: [0, 0, 0],
      rows: [[0.037109375, -0.00994873046875, -0.027099609375], [-0.00994873046875, 0.19140625, -0.181640625], [-0.027099609375, -0.181640625, 0.208984375]],
    },
    log_softmax: {
      y: [-3.25, -1.3515625, -0.3515625],
      dy: [0.8828125, 0.2236328125, -1.109375],
      rows: [[0.9609375, -0.259765625, -0.703125], [-0.038818359375, 0.7421875, -0.703125], [-0.038818359375, -0.259765625, 0.296875]],
    },
    softmin: {
      y: [0.83203125, 0.1240234375, 0.045654296875],
      dy: [-0, -0, -0],
      rows: [[-0.1396484375, 0.10302734375, 0.0380859375], [0.10302734375, -0.1083984375, 0.00567626953125], [0.0380859375, 0.00567626953125, -0.04345703125]],
    },
  };

  for (const [fn, want] of Object.entries(TORCH_BF16)) {
    it(`vector functions: ${fn} in bfloat16 prints PyTorch's y, dy and Jacobian rows`, async () => {
      const r = await runEval('--framework', 'torch', '--fn', fn, '--x', '0.1,2,3', '--dtype', 'bfloat16', '--json');
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.deepEqual(Object.keys(j), ['framework', 'fn', 'params', 'dtype', 'x', 'y', 'dy', 'jacobian']);
      assert.equal(j.dtype, 'bfloat16');
      assert.deepEqual(j.x, [0.10009765625, 2, 3]);
      assert.deepEqual(j.y, want.y);
      // JSON prints −0 as 0 (as everywhere in the contract)
      (j.dy as number[]).forEach((v, i) => assert.ok(v === want.dy[i], `dy[${i}] = ${v}`));
      assert.deepEqual(j.jacobian, want.rows);
      const diag = JSON.parse((await runEval('--framework', 'torch', '--fn', fn, '--x', '0.1,2,3', '--dtype', 'bfloat16', '--jacobian', 'diag', '--json')).out);
      assert.deepEqual(Object.keys(diag), ['framework', 'fn', 'params', 'dtype', 'x', 'y', 'dy', 'jacobian_diag']);
      assert.deepEqual(diag.jacobian_diag, want.rows.map((row, i) => row[i]));
      const none = JSON.parse((await runEval('--framework', 'torch', '--fn', fn, '--x', '0.1,2,3', '--dtype', 'bfloat16', '--jacobian', 'none', '--json')).out);
      assert.deepEqual(Object.keys(none), ['framework', 'fn', 'params', 'dtype', 'x', 'y', 'dy']);
      // the pure core gives the same numbers
      const core = evaluate({ framework: 'torch', fn, params: {}, x: [0.1, 2, 3], dtype: 'bfloat16' });
      assert.ok('jacobian' in core);
      assert.deepEqual([core.y, core.jacobian], [want.y, want.rows]);
      // the core keeps the sign of zero: softmin's gradient is the negated softmax one, −0
      (core.dy ?? []).forEach((v, i) => assert.ok(Object.is(v, want.dy[i]), `dy[${i}] = ${v}`));
      assert.equal(toJson(core), JSON.stringify(j));
    });
  }

  it('vector functions: glu in bfloat16 (a = [0.1, −2], b = [3, 0.5]) is PyTorch\'s, −0 included', async () => {
    const j = JSON.parse((await runEval('--framework', 'torch', '--fn', 'glu', '--x', '0.1,-2,3,0.5', '--dtype', 'bfloat16', '--json')).out);
    assert.deepEqual(j.y, [0.09521484375, -1.2421875]);
    assert.deepEqual(j.dy, [0.953125, 0.62109375, 0.004486083984375, -0.470703125]);
    assert.deepEqual(j.jacobian, [[0.953125, 0, 0.004486083984375, 0], [0, 0.62109375, 0, -0.470703125]]);
    // ∂y₀/∂b₁ = (1 − s)·s·a₁·0 with a₁ = −2: PyTorch stores −0
    const core = evaluate({ framework: 'torch', fn: 'glu', params: {}, x: [0.1, -2, 3, 0.5], dtype: 'bfloat16' });
    assert.ok('jacobian' in core && Object.is(core.jacobian[0]?.[3], -0));
  });

  it('vector functions: log_softmax sums 257 ones to 256 in bfloat16 (the backward\'s reduction is stored in the dtype)', async () => {
    const x = Array.from({ length: 257 }, () => 1);
    const core = evaluate({ framework: 'torch', fn: 'log_softmax', params: {}, x, dtype: 'bfloat16' });
    assert.ok('dy' in core && core.dy);
    const y = core.y[0] as number;
    // the forward's Σe^(x − m) is stored in bfloat16 too: log 256, not log 257 (PyTorch: −5.53125)
    assert.equal(y, -5.53125);
    // 1 − e^y·256 (not 257): float32 arithmetic, one rounding to bfloat16 (PyTorch: −0.0140380859375)
    assert.equal(core.dy[0], -0.0140380859375);
    assert.equal(core.dy[0], roundBf16(Math.fround(1 - Math.fround(Math.fround(Math.exp(y)) * 256))));
    assert.notEqual(core.dy[0], roundBf16(Math.fround(1 - Math.fround(Math.fround(Math.exp(y)) * 257))));
  });

  it('vector functions: float16 is float32 arithmetic rounded once (the opmath rule); float64 output is unchanged', async () => {
    const j = JSON.parse((await runEval('--framework', 'torch', '--fn', 'softmax', '--x', '1,2,3', '--dtype', 'float16', '--json')).out);
    const e = [1, 2, 3].map((v) => Math.exp(v - 3));
    const total = e.reduce((a, b) => a + b);
    assert.deepEqual(j.y, e.map((v) => roundF16(v / total)));
    assert.equal(j.dtype, 'float16');
    const plain = JSON.parse((await runEval('--framework', 'torch', '--fn', 'softmax', '--x', '1,2,3', '--json')).out);
    assert.deepEqual(Object.keys(plain), ['framework', 'fn', 'params', 'x', 'y', 'jacobian']);
    assert.ok(!plain.y.every((v: number, i: number) => v === j.y[i]));
    const table = await runEval('--framework', 'torch', '--fn', 'softmax', '--x', '1,2,3', '--dtype', 'bfloat16');
    assert.match(table.out, /softmax\(dim=.*\) in bfloat16/);
    assert.match(table.out, /dy \(grad_output = 1\)/);
  });

  it('--help lists --dtype', async () => {
    const h = await runEval('--help');
    assert.equal(h.code, 0);
    assert.match(h.out, /--dtype float64\|float32\|bfloat16\|float16/);
  });
});
