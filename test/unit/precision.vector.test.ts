// The vector activations in bfloat16 (src/engine/precision/vector.ts, and `eval --dtype` on
// them) against PyTorch 1.13's CPU kernels: softmax, log_softmax, softmin and glu on random
// vectors of lengths 1 … 1000 — several scales, magnitudes up to the largest bfloat16, ties,
// −∞ entries, rows with +∞/NaN/only −∞ (test/fixtures/precision-bf16-torch-vector.json, made by
// test/fixtures/gen-precision-more.py with Debian's python3-torch). Per function and per
// quantity (y, dy = x.grad for grad_output = ones, Jacobian rows for one-hot grad_output): at
// least 99% of values bit-exact, every other value within 1 bfloat16 ULP (NaN only for NaN).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, type VectorResultJson } from '../../src/cli/evaluate';
import { dtypeVector } from '../../src/engine/precision/vector';
import { bf16FromBits, ulpDistance } from '../../src/engine/precision/round';

interface VectorCase {
  readonly x: string;
  readonly y: string;
  readonly dy: string;
  readonly jac?: string;
}
interface Fixture {
  readonly torch: string;
  readonly cases: readonly { fn: string; params: Record<string, number>; vectors: readonly VectorCase[] }[];
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'precision-bf16-torch-vector.json');

function decodeBf16(b64: string): Float64Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Float64Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = bf16FromBits(bytes.readUInt16LE(2 * i));
  return out;
}

class Tally {
  n = 0;
  exact = 0;
  worstUlp = 0;
  worst = '';
  add(want: ArrayLike<number>, got: ArrayLike<number>, where: string): void {
    assert.equal(got.length, want.length, `${where}: length`);
    for (let i = 0; i < want.length; i++) {
      const w = want[i] as number;
      const g = got[i] as number;
      this.n++;
      if (Object.is(g, w) || (g !== g && w !== w)) {
        this.exact++;
        continue;
      }
      const d = ulpDistance(g, w, 'bfloat16');
      if (d > this.worstUlp || this.worst === '') {
        this.worstUlp = Math.max(this.worstUlp, d);
        this.worst = `${where}[${i}]: torch ${w}, engine ${g}`;
      }
    }
  }
  get percent(): string {
    return `${((100 * this.exact) / this.n).toFixed(2)}%`;
  }
  check(label: string): void {
    assert.ok(this.n > 0, `${label}: nothing compared`);
    assert.ok(this.exact / this.n >= 0.99, `${label}: ${this.percent} bit-exact (${this.worst})`);
    assert.ok(this.worstUlp <= 1, `${label}: ${this.worstUlp} ULP apart at ${this.worst}`);
  }
}

describe('precision: bfloat16 vector functions against PyTorch 1.13 CPU', () => {
  const fx = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;

  it('the reference has softmax, log_softmax, softmin and glu with −∞, +∞ and NaN rows', () => {
    assert.match(fx.torch, /^1\.13/);
    assert.deepEqual(fx.cases.map((c) => c.fn), ['softmax', 'log_softmax', 'softmin', 'glu']);
    for (const c of fx.cases) {
      const xs = c.vectors.map((v) => [...decodeBf16(v.x)]);
      assert.ok(xs.some((x) => x.includes(-Infinity)) && xs.some((x) => x.includes(Infinity)) && xs.some((x) => x.some((v) => v !== v)));
      assert.ok(xs.some((x) => x.length >= 1000) && c.vectors.some((v) => v.jac !== undefined));
    }
  });

  for (const c of fx.cases) {
    it(`${c.fn}: y, dy and Jacobian rows ≥ 99% bit-exact, the rest within 1 ULP`, function () {
      const y = new Tally();
      const dy = new Tally();
      const jac = new Tally();
      c.vectors.forEach((v, k) => {
        const x = decodeBf16(v.x);
        const e = dtypeVector('torch', c.fn, [...x], 'bfloat16');
        assert.equal(e.rule, 'torch-cpu');
        y.add(decodeBf16(v.y), e.y, `vector ${k} (n = ${x.length}) y`);
        dy.add(decodeBf16(v.dy), e.dy, `vector ${k} (n = ${x.length}) dy`);
        if (v.jac !== undefined) {
          const want = decodeBf16(v.jac);
          const got = new Float64Array(e.y.length * e.cols);
          const row = new Float64Array(e.cols);
          const diagWant: number[] = [];
          const diagGot: number[] = [];
          for (let i = 0; i < e.y.length; i++) {
            e.row(i, row);
            got.set(row, i * e.cols);
            diagWant.push(want[i * e.cols + i] as number);
            diagGot.push(e.diag(i));
          }
          jac.add(want, got, `vector ${k} (n = ${x.length}) jacobian`);
          jac.add(diagWant, diagGot, `vector ${k} (n = ${x.length}) diag`);
        }
      });
      this.test!.title += ` [y ${y.percent}, dy ${dy.percent}, jacobian ${jac.percent}; worst ${Math.max(y.worstUlp, dy.worstUlp, jac.worstUlp)} ULP]`;
      y.check(`${c.fn} y`);
      dy.check(`${c.fn} dy`);
      jac.check(`${c.fn} jacobian`);
    });
  }

  it('eval --dtype bfloat16 (the CLI core) prints the same y, dy and Jacobian', () => {
    for (const c of fx.cases) {
      const v = c.vectors.find((w) => w.jac !== undefined && decodeBf16(w.x).length >= 4) as VectorCase;
      const x = [...decodeBf16(v.x)];
      const r = evaluate({ framework: 'torch', fn: c.fn, params: {}, x, dtype: 'bfloat16' }) as VectorResultJson;
      assert.equal(r.dtype, 'bfloat16');
      const e = dtypeVector('torch', c.fn, x, 'bfloat16');
      assert.deepEqual(r.y, [...e.y]);
      assert.deepEqual(r.dy, [...e.dy]);
      assert.equal(r.jacobian.length, e.y.length);
      r.jacobian.forEach((got, i) => {
        const want = new Float64Array(e.cols);
        e.row(i, want);
        assert.deepEqual(got, [...want]);
      });
    }
  });
});
