// Seeded randomness, data sets, CSV loading, the train/test split, initializers, spec
// validation and experiments.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperimentFile, runSpecFile } from '../../src/cli/train';
import { Rng } from '../../src/engine/random';
import { generate, parseCsv, split } from '../../src/engine/train/data';
import { experimentConfigs, formatExperimentTable, parseExperiment, runExperiment } from '../../src/engine/train/experiments';
import { calculateGain, initWeight } from '../../src/engine/train/init';
import { trainSpec } from '../../src/engine/train/trainer';
import { parseTrainingSpec, SpecError, type DatasetSpec, type InitSchemeSpec } from '../../src/engine/train/spec';

const dir = mkdtempSync(join(tmpdir(), 'ai-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function stats(a: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / a.length;
  return { mean, std: Math.sqrt(s2 / a.length - mean * mean), min, max };
}
const ds = (kind: DatasetSpec['kind'], over: Partial<DatasetSpec> = {}): DatasetSpec => ({ kind, n: 400, noise: 0, classes: 2, ...over });

describe('seeded PRNG', () => {
  it('is reproducible, seed-sensitive and well distributed', () => {
    const a = new Rng(7), b = new Rng(7), c = new Rng(8);
    const xa = Array.from({ length: 50 }, () => a.next());
    assert.deepEqual(xa, Array.from({ length: 50 }, () => b.next()));
    assert.notDeepEqual(xa, Array.from({ length: 50 }, () => c.next()));
    const r = new Rng(1);
    const u = Float64Array.from({ length: 40000 }, () => r.next());
    const su = stats(u);
    assert.ok(su.min >= 0 && su.max < 1 && Math.abs(su.mean - 0.5) < 0.01 && Math.abs(su.std - Math.sqrt(1 / 12)) < 0.01);
    const z = Float64Array.from({ length: 40000 }, () => r.normal());
    const sz = stats(z);
    assert.ok(Math.abs(sz.mean) < 0.02 && Math.abs(sz.std - 1) < 0.02, JSON.stringify(sz));
    assert.notEqual(Rng.derive(7, 'init').next(), Rng.derive(7, 'data').next());
    const p = new Rng(3).permutation(100);
    assert.deepEqual([...p].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('data sets', () => {
  it('circle: label 1 inside radius 0.5, 0 on the ring', () => {
    const d = generate(ds('circle'), 1);
    assert.equal(d.n, 400);
    for (let i = 0; i < d.n; i++) {
      const r = Math.hypot(d.X[2 * i] as number, d.X[2 * i + 1] as number);
      assert.ok(d.Y[i] === 1 ? r <= 0.5 : r >= 0.7 && r <= 1);
    }
  });
  it('xor: label is the sign of x·y', () => {
    const d = generate(ds('xor'), 2);
    for (let i = 0; i < d.n; i++) assert.equal(d.Y[i], (d.X[2 * i] as number) * (d.X[2 * i + 1] as number) > 0 ? 1 : 0);
  });
  it('spiral and gaussians with 3 classes, moons with 2: balanced labels', () => {
    for (const [kind, k] of [['spiral', 3], ['gaussians', 3], ['spiral', 2], ['moons', 2]] as const) {
      const d = generate(ds(kind, { classes: k }), 3);
      const counts = new Array(k).fill(0);
      for (const y of d.Y) counts[y]++;
      assert.equal(counts.reduce((a, b) => a + b, 0), 400);
      assert.ok(counts.every((c) => c === Math.floor(400 / k) || c === Math.ceil(400 / k)), `${kind}: ${counts}`);
    }
  });
  it('spiral3 is the three-class spiral: the same points and labels, a multiclass task', () => {
    const a = generate(ds('spiral3', { noise: 0.1, classes: 3 }), 9), b = generate(ds('spiral', { noise: 0.1, classes: 3 }), 9);
    assert.deepEqual(a.X, b.X);
    assert.deepEqual(a.Y, b.Y);
    assert.equal(Math.max(...a.Y), 2);
    const spec = parseTrainingSpec({ task: 'multiclass', sizes: [2, 4, 3], data: { kind: 'spiral3' }, optimizer: { kind: 'sgd' }, steps: 1 });
    assert.equal(spec.data?.classes, 3);
    assert.throws(() => parseTrainingSpec({ task: 'binary', sizes: [2, 4, 1], data: { kind: 'spiral3', classes: 2 }, optimizer: { kind: 'sgd' }, steps: 1 }), /"classes" must be 3 for spiral3/);
  });

  it('1-D regression curves: sine, abs, step (noise-free values exact)', () => {
    const f = { sine: Math.sin, abs: Math.abs, step: (x: number) => (x > 0 ? 1 : 0) };
    for (const kind of ['sine', 'abs', 'step'] as const) {
      const d = generate(ds(kind), 4);
      assert.equal(d.d, 1);
      for (let i = 0; i < d.n; i++) assert.equal(d.Y[i], f[kind](d.X[i] as number));
    }
  });
  it('generators are deterministic per seed and noise is applied', () => {
    assert.deepEqual(generate(ds('moons', { noise: 0.1 }), 5).X, generate(ds('moons', { noise: 0.1 }), 5).X);
    assert.notDeepEqual(generate(ds('moons', { noise: 0.1 }), 5).X, generate(ds('moons', { noise: 0.1 }), 6).X);
    const clean = generate(ds('sine'), 5), noisy = generate(ds('sine', { noise: 0.1 }), 5);
    const res = Float64Array.from(noisy.Y, (y, i) => y - Math.sin(noisy.X[i] as number));
    assert.ok(Math.abs(stats(res).std - 0.1) < 0.02);
    assert.equal(clean.n, noisy.n);
  });
  it('split: disjoint, complete, seeded', () => {
    const d = generate(ds('xor', { n: 100 }), 1);
    const { train, test } = split(d, 0.25, 9);
    assert.equal(test?.n, 25);
    assert.equal(train.n, 75);
    const key = (X: Float64Array, i: number): string => `${X[2 * i]},${X[2 * i + 1]}`;
    const all = new Set(Array.from({ length: 100 }, (_, i) => key(d.X, i)));
    const got = [...Array.from({ length: 75 }, (_, i) => key(train.X, i)), ...Array.from({ length: 25 }, (_, i) => key((test as typeof d).X, i))];
    assert.equal(new Set(got).size, 100);
    for (const k of got) assert.ok(all.has(k));
    assert.deepEqual(split(d, 0.25, 9).test?.X, test?.X);
  });
});

describe('CSV loading', () => {
  it('reads a header, a named or indexed target, comments and blank lines', () => {
    const d = parseCsv('# data\nx1,x2,label\n0.5,1,1\n\n-2,3e-1,0\n', 'label');
    assert.deepEqual([...d.X], [0.5, 1, -2, 0.3]);
    assert.deepEqual([...d.Y], [1, 0]);
    assert.deepEqual(d.columns, ['x1', 'x2']);
    assert.deepEqual([...parseCsv('1,2,3\n4,5,6', -1).Y], [3, 6]);
    assert.deepEqual([...parseCsv('1;2;3\n4;5;6', 0).X], [2, 3, 5, 6]);
  });
  it('names the line and column of bad rows', () => {
    const bad: [string, string | number, RegExp][] = [
      ['a,b,y\n1,2,0\n1,2\n', 'y', /CSV line 3 has 2 fields, expected 3/],
      ['a,b,y\n1,2,0\n1,oops,1\n', 'y', /CSV line 3, column 2 \("b"\): "oops" is not a finite number/],
      ['a,b,y\n1,,0\n', 'y', /line 2, column 2/],
      ['a,b,y\n1,2,0\n', 'z', /no column "z" \(columns: a, b, y\)/],
      ['1,2,0\n', 'y', /no header row/],
      ['1,2,0\n', 5, /out of range/],
      ['a,b\n', 'a', /no data rows/],
    ];
    for (const [text, target, msg] of bad) assert.throws(() => parseCsv(text, target), (e: Error) => e instanceof SpecError && msg.test(e.message), String(msg));
  });
  it('trains from a CSV file named relative to the spec', () => {
    const rng = new Rng(4);
    const rows = ['u,v,cls'];
    for (let i = 0; i < 60; i++) {
      const u = rng.uniform(-1, 1), v = rng.uniform(-1, 1);
      rows.push(`${u},${v},${u + v > 0 ? 1 : 0}`);
    }
    writeFileSync(join(dir, 'points.csv'), rows.join('\n'));
    const spec = join(dir, 'csv-spec.json');
    writeFileSync(spec, JSON.stringify({ task: 'binary', data: { kind: 'csv', path: 'points.csv', target: 'cls' }, sizes: [2, 8, 1], activation: 'tanh', init: 'xavier_uniform', optimizer: { kind: 'adam', lr: 0.05 }, steps: 150, seed: 1 }));
    const r = runSpecFile(spec);
    assert.ok((r.final_accuracy as number) >= 0.9, `accuracy ${r.final_accuracy}`);
    writeFileSync(join(dir, 'bad.csv'), 'u,v,cls\n1,2,7\n');
    writeFileSync(spec, JSON.stringify({ task: 'binary', data: { kind: 'csv', path: 'bad.csv', target: 'cls' }, sizes: [2, 1], optimizer: { kind: 'sgd' }, steps: 1 }));
    assert.throws(() => runSpecFile(spec), /target of row 1 is 7: binary targets must be in \[0, 1\]/);
  });
});

describe('initializers (torch.nn.init semantics)', () => {
  const draw = (s: InitSchemeSpec, rows = 64, cols = 128): Float64Array => {
    const W = new Float64Array(rows * cols);
    initWeight(W, rows, cols, s, new Rng(12));
    return W;
  };
  it('calculate_gain matches torch', () => {
    assert.equal(calculateGain('linear'), 1);
    assert.equal(calculateGain('sigmoid'), 1);
    assert.equal(calculateGain('tanh'), 5 / 3);
    assert.equal(calculateGain('relu'), Math.SQRT2);
    assert.equal(calculateGain('leaky_relu'), Math.sqrt(2 / (1 + 0.01 ** 2)));
    assert.equal(calculateGain('leaky_relu', 0.2), Math.sqrt(2 / 1.04));
    assert.equal(calculateGain('selu'), 0.75);
    assert.throws(() => calculateGain('swish'), SpecError);
  });
  it('uniform families respect their bounds and fill them', () => {
    const cases: [InitSchemeSpec, number][] = [
      [{ scheme: 'xavier_uniform' }, Math.sqrt(6 / (128 + 64))],
      [{ scheme: 'xavier_uniform', gain: 5 / 3 }, (5 / 3) * Math.sqrt(6 / 192)],
      [{ scheme: 'kaiming_uniform', nonlinearity: 'relu' }, Math.SQRT2 * Math.sqrt(3 / 128)],
      [{ scheme: 'kaiming_uniform', nonlinearity: 'relu', mode: 'fan_out' }, Math.SQRT2 * Math.sqrt(3 / 64)],
      [{ scheme: 'kaiming_uniform' }, Math.SQRT2 * Math.sqrt(3 / 128)], // torch default: leaky_relu, a = 0
      [{ scheme: 'kaiming_uniform', a: Math.sqrt(5) }, 1 / Math.sqrt(128)], // nn.Linear's own call
      [{ scheme: 'torch_default' }, 1 / Math.sqrt(128)],
    ];
    for (const [s, bound] of cases) {
      const st = stats(draw(s));
      assert.ok(st.min >= -bound && st.max <= bound && st.max > 0.97 * bound && st.min < -0.97 * bound, `${JSON.stringify(s)}: ${JSON.stringify(st)} vs ±${bound}`);
    }
  });
  it('normal families have the right standard deviation', () => {
    const cases: [InitSchemeSpec, number][] = [
      [{ scheme: 'normal', std: 0.3 }, 0.3],
      [{ scheme: 'xavier_normal' }, Math.sqrt(2 / 192)],
      [{ scheme: 'kaiming_normal', nonlinearity: 'tanh' }, 5 / 3 / Math.sqrt(128)],
      [{ scheme: 'kaiming_normal', nonlinearity: 'leaky_relu', negative_slope: 0.2, mode: 'fan_out' }, Math.sqrt(2 / 1.04) / 8],
      [{ scheme: 'lecun_normal' }, 1 / Math.sqrt(128)],
    ];
    for (const [s, std] of cases) {
      const st = stats(draw(s));
      assert.ok(Math.abs(st.std / std - 1) < 0.03 && Math.abs(st.mean) < 0.05 * std, `${s.scheme}: std ${st.std} vs ${std}`);
    }
    const ln = stats(draw({ scheme: 'lecun_normal' }));
    assert.ok(ln.max <= 2 * (1 / Math.sqrt(128)) / 0.8796256610342398 + 1e-12, 'lecun_normal is truncated at 2σ');
  });
  it('zeros, constant and orthogonal', () => {
    assert.ok(draw({ scheme: 'zeros' }).every((v) => v === 0));
    assert.ok(draw({ scheme: 'constant', value: 0.25 }).every((v) => v === 0.25));
    for (const [rows, cols] of [[8, 5], [5, 8], [6, 6]] as const) {
      const W = draw({ scheme: 'orthogonal', gain: 2 }, rows, cols);
      // the smaller side is orthonormal (×gain²)
      const k = Math.min(rows, cols);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          if (rows <= cols) for (let c = 0; c < cols; c++) dot += (W[a * cols + c] as number) * (W[b * cols + c] as number);
          else for (let r = 0; r < rows; r++) dot += (W[r * cols + a] as number) * (W[r * cols + b] as number);
          assert.ok(Math.abs(dot - (a === b ? 4 : 0)) < 1e-12, `${rows}×${cols} [${a},${b}] = ${dot}`);
        }
      }
    }
  });
});

describe('spec validation', () => {
  const base = { task: 'binary', sizes: [2, 4, 1], X: [[0, 0], [1, 1]], y: [[0], [1]], optimizer: { kind: 'sgd', lr: 0.1 }, steps: 3 };
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ activation: ['relu', 'tanh'] }, /lists 2 activations but there are 1 hidden layers/],
    [{ optimizer: { kind: 'sgd', nesterov: true } }, /Nesterov momentum requires/],
    [{ dropout: 1 }, /"dropout" must be a probability/],
    [{ batches: [[0, 5]] }, /batches\[0\] must be a non-empty list of row indices below 2/],
    [{ task: 'regression', loss: 'bce_with_logits_mean' }, /uses loss "mse_mean"/],
    [{ grad_clip_norm: -1 }, /grad_clip_norm/],
    [{ norm: 'group' }, /"norm" must be one of none, batch, layer/],
    [{ init: { scheme: 'he' } }, /"scheme" must be one of/],
    [{ steps: 1.5 }, /"steps" must be a non-negative integer/],
    [{ optimizer: { kind: 'adam', momentum: 0.9 } }, /optimizer adam has no option "momentum" \(options: lr, betas, eps, weight_decay, amsgrad, maximize\)/],
    [{ X: undefined, y: undefined }, /needs data/],
  ];
  for (const [over, msg] of bad) it(`rejects ${JSON.stringify(over)}`, () => assert.throws(() => parseTrainingSpec({ ...base, ...over }), (e: Error) => e instanceof SpecError && msg.test(e.message)));
  it('parsing is idempotent, so parsed specs can be sent to the worker as they are', () => {
    const specs = [
      { ...base, activation: ['tanh'], dropout: 0.1, norm: 'layer', optimizer: { kind: 'adamw', lr: 0.01, amsgrad: true } },
      { task: 'multiclass', data: { kind: 'spiral', classes: 3 }, sizes: [2, 8, 8, 3], activation: [{ name: 'leaky_relu', params: { negative_slope: 0.2 } }, 'gelu'], init: { scheme: 'orthogonal', gain: 2 }, optimizer: { kind: 'rmsprop', centered: true, momentum: 0.5 }, batch_size: 16, steps: 10, seed: 4 },
      { ...base, optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, maximize: true }, init: { W: [[[1, 2], [3, 4], [5, 6], [7, 8]], [[1, 2, 3, 4]]], b: [[0, 0, 0, 0], [1]] } },
    ];
    for (const raw of specs) {
      const once = parseTrainingSpec(raw);
      assert.deepEqual(parseTrainingSpec(JSON.parse(JSON.stringify(once))), once);
    }
  });

  it('fills torch defaults (AdamW weight decay 1e-2, RMSprop lr 1e-2, betas, eps)', () => {
    const a = parseTrainingSpec({ ...base, optimizer: { kind: 'adamw' } }).optimizer;
    assert.equal(a.weight_decay, 0.01);
    assert.equal(a.lr, 1e-3);
    assert.deepEqual(a.betas, [0.9, 0.999]);
    assert.equal(a.eps, 1e-8);
    const r = parseTrainingSpec({ ...base, optimizer: { kind: 'rmsprop' } }).optimizer;
    assert.equal(r.lr, 1e-2);
    assert.equal(r.alpha, 0.99);
  });
});

describe('experiments', () => {
  const base = { task: 'binary', data: { kind: 'circle', n: 160 }, test_fraction: 0.25, sizes: [2, 12, 12, 1], activation: 'relu', optimizer: { kind: 'sgd', lr: 5 }, steps: 60, seed: 3 };
  it('runs configurations that differ in one factor on the same data and seed', () => {
    const exp = parseExperiment({ base, factor: 'activation', values: ['relu', 'leaky_relu', { name: 'leaky_relu', params: { negative_slope: 0.2 } }] });
    const cfgs = experimentConfigs(exp);
    assert.deepEqual(cfgs.map((c) => c.label), ['relu', 'leaky_relu', 'leaky_relu{"negative_slope":0.2}']);
    const rows = runExperiment(exp);
    assert.equal(rows.length, 3);
    assert.ok((rows[1] as { deadPercent: number }).deadPercent === 0 && (rows[2] as { deadPercent: number }).deadPercent === 0);
    for (const r of rows) assert.ok(r.testLoss !== null && r.elapsedMs >= 0);
    const table = formatExperimentTable('activation', rows);
    assert.match(table.split('\n')[0] as string, /activation\s+final loss\s+accuracy\s+test loss\s+dead %\s+time ms/);
    assert.equal(table.split('\n').length, 5);
  });
  it('learning-rate, depth and norm factors change only that factor', () => {
    const lr = experimentConfigs(parseExperiment({ base, factor: 'lr', values: [0.01, 0.1] }));
    assert.deepEqual(lr.map((c) => c.spec.optimizer.lr), [0.01, 0.1]);
    assert.deepEqual(lr.map((c) => c.label), ['lr=0.01', 'lr=0.1']);
    const depth = experimentConfigs(parseExperiment({ base, factor: 'depth', values: [1, 4] }));
    assert.deepEqual(depth.map((c) => c.spec.sizes), [[2, 12, 1], [2, 12, 12, 12, 12, 1]]);
    const norm = experimentConfigs(parseExperiment({ base, factor: 'norm', values: ['none', 'batch', 'layer'] }));
    assert.deepEqual(norm.map((c) => c.spec.norm), ['none', 'batch', 'layer']);
    // same seed, same data: the first step's loss is identical when only the learning rate differs
    const [a, b] = lr.map((c) => trainSpec(c.spec));
    assert.equal(a?.loss_per_step[0], b?.loss_per_step[0]);
    assert.notEqual(a?.loss_per_step[5], b?.loss_per_step[5]);
    assert.throws(() => experimentConfigs(parseExperiment({ base, factor: 'norm', values: ['group'] })), /group: "norm" must be one of/);
  });
  it('the CLI runs experiment files', () => {
    const p = join(dir, 'exp.json');
    writeFileSync(p, JSON.stringify({ base: { ...base, steps: 20 }, factor: 'init', values: ['xavier_uniform', { scheme: 'kaiming_normal', nonlinearity: 'relu' }] }));
    const r = runExperimentFile(p);
    assert.match(r.table, /xavier_uniform/);
    assert.equal(JSON.parse(r.json).rows.length, 2);
  });
});
