// The bfloat16 engine (src/engine/precision) against PyTorch 1.13's CPU bfloat16 kernels:
// forward and backward (grad_output = 1) at every finite bfloat16 in [−20, 20] plus a spread
// of larger and tiny values, ±0, ±∞ and NaN (test/fixtures/precision-bf16-torch.json, made by
// test/fixtures/gen-precision-reference.py with Debian's python3-torch). Per function: at
// least 99% of values bit-exact, every other value within 1 bfloat16 ULP (NaN only for NaN).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolve } from '../../src/engine/activations/registry';
import { dtypeScalars } from '../../src/engine/precision/evaluate';
import { bf16FromBits, ulpDistance } from '../../src/engine/precision/round';

interface Case {
  readonly fn: string;
  readonly params: Record<string, number | string>;
  readonly y: string;
  readonly dy: string | null;
}
interface Fixture {
  readonly torch: string;
  readonly x: string;
  readonly cases: readonly Case[];
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'precision-bf16-torch.json');
const FIXTURE_D2 = join(__dirname, '..', 'fixtures', 'precision-bf16-torch-d2.json');
// parameters other than the defaults (hardshrink λ = 0.3, celu α = 0.5, hardtanh −2/3, …), made
// by test/fixtures/gen-precision-more.py at every bfloat16 with 2^−16 ≤ |x| ≤ 20 and a spread
const FIXTURE_PARAMS = join(__dirname, '..', 'fixtures', 'precision-bf16-torch-params.json');


export function decodeBf16(b64: string): Float64Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Float64Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = bf16FromBits(bytes.readUInt16LE(2 * i));
  return out;
}

export interface Agreement {
  readonly n: number;
  readonly exact: number;
  readonly worstUlp: number;
  readonly worst: string;
}

export function agreement(x: Float64Array, want: Float64Array, got: (x: number) => number): Agreement {
  let exact = 0;
  let worstUlp = 0;
  let worst = '';
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number;
    const w = want[i] as number;
    const g = got(xi);
    // bit-exact: the same value and the same sign of zero (any NaN equals any NaN)
    if (Object.is(g, w) || (g !== g && w !== w)) {
      exact++;
      continue;
    }
    const d = ulpDistance(g, w, 'bfloat16');
    if (d > worstUlp || worst === '') {
      worstUlp = Math.max(worstUlp, d);
      worst = `x = ${xi}: torch ${w}, engine ${g}`;
    }
  }
  return { n: x.length, exact, worstUlp, worst };
}

describe('precision: bfloat16 against PyTorch 1.13 CPU (forward and backward)', () => {
  const fx = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  const x = decodeBf16(fx.x);

  it('the reference covers every finite bfloat16 in [−20, 20], ±0, ±∞ and NaN', () => {
    assert.match(fx.torch, /^1\.13/);
    const seen = new Set<number>();
    for (const v of x) seen.add(Object.is(v, -0) ? -1e-999 - 1 : v);
    let inRange = 0;
    for (let b = 0; b < 0x10000; b++) {
      const v = bf16FromBits(b);
      if (Number.isFinite(v) && Math.abs(v) <= 20) inRange++;
    }
    assert.ok(x.filter((v) => Math.abs(v) <= 20).length >= inRange);
    assert.ok(x.includes(Infinity) && x.includes(-Infinity) && x.some((v) => Number.isNaN(v)));
    assert.ok([...x].some((v) => Object.is(v, -0)));
  });

  const px = JSON.parse(readFileSync(FIXTURE_PARAMS, 'utf8')) as Fixture;
  const xp = decodeBf16(px.x);

  it('the parameter variants cover the non-default parameters of the piecewise and ELU families', () => {
    assert.match(px.torch, /^1\.13/);
    const seen = new Set(px.cases.map((c) => `${c.fn} ${Object.keys(c.params).sort().join(',')}`));
    for (const want of ['hardshrink lambd', 'softshrink lambd', 'celu alpha', 'hardtanh max_val,min_val', 'rrelu lower,upper', 'elu alpha', 'leaky_relu negative_slope', 'softplus beta,threshold', 'threshold threshold,value']) {
      assert.ok(seen.has(want), want);
    }
    assert.ok(xp.includes(0.30078125) && xp.includes(-2) && xp.includes(3));
  });

  const all: [Fixture, Float64Array, Case][] = [...fx.cases.map((c): [Fixture, Float64Array, Case] => [fx, x, c]), ...px.cases.map((c): [Fixture, Float64Array, Case] => [px, xp, c])];
  for (const [, x, c] of all) {
    const label = `${c.fn}(${Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(', ')})`;
    it(`${label}: ≥ 99% bit-exact, the rest within 1 ULP`, function () {
      const r = resolve('torch', c.fn, c.params);
      const def = r.entry.def;
      assert.equal(def.kind, 'elementwise');
      if (def.kind !== 'elementwise') return;
      const k = dtypeScalars('torch', def.id, r.params, r.conventions, def.kernel(r.params, r.conventions), 'bfloat16');
      const parts: [string, Float64Array, (v: number) => number][] = [['y', decodeBf16(c.y), k.f]];
      if (c.dy !== null) parts.push(['dy', decodeBf16(c.dy), k.df]);
      const report: string[] = [];
      for (const [name, want, got] of parts) {
        const a = agreement(x, want, got);
        const frac = a.exact / a.n;
        report.push(`${name} ${(100 * frac).toFixed(2)}% exact, worst ${a.worstUlp} ULP`);
        assert.ok(frac >= 0.99, `${label} ${name}: ${(100 * frac).toFixed(3)}% bit-exact (${a.worst})`);
        assert.ok(a.worstUlp <= 1, `${label} ${name}: ${a.worstUlp} ULP apart at ${a.worst}`);
      }
      this.test!.title += ` [${report.join('; ')}]`;
    });
  }
});

describe('precision: bfloat16 second derivatives against PyTorch 1.13 double backward', () => {
  const fx = JSON.parse(readFileSync(FIXTURE_D2, 'utf8')) as { torch: string; x: string; cases: { fn: string; params: Record<string, number | string>; d2y: string }[] };
  const x = decodeBf16(fx.x);
  for (const c of fx.cases) {
    const label = `${c.fn}(${Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(', ')})`;
    it(`${label}: d2y ≥ 99% bit-exact, the rest within 1 ULP`, function () {
      const r = resolve('torch', c.fn, c.params);
      const def = r.entry.def;
      if (def.kind !== 'elementwise') throw new Error('not elementwise');
      const k = dtypeScalars('torch', def.id, r.params, r.conventions, def.kernel(r.params, r.conventions), 'bfloat16');
      const a = agreement(x, decodeBf16(c.d2y), (v) => k.d2f(v) ?? NaN);
      const frac = a.exact / a.n;
      this.test!.title += ` [${(100 * frac).toFixed(2)}% exact, worst ${a.worstUlp} ULP]`;
      assert.ok(frac >= 0.99, `${label}: ${(100 * frac).toFixed(3)}% bit-exact (${a.worst})`);
      assert.ok(a.worstUlp <= 1, `${label}: ${a.worstUlp} ULP apart at ${a.worst}`);
    });
  }
});
