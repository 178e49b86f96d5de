// The host ⇄ webview protocol: valid messages pass, malformed ones are rejected without
// throwing, whatever their shape (fast-check generates tens of thousands of them).
import * as assert from 'assert';
import fc from 'fast-check';
import { Decimator } from '../../src/engine/train/history';
import {
  isTrainingForm,
  parseHostToDashboard,
  parseHostToExplorer,
  parseWebviewToHost,
  type TrainingForm,
} from '../../src/shared/protocol';
import type { TrainingSnapshot } from '../../src/engine/train/snapshot';
import { DEFAULT_FORM, formToSpec } from '../../src/session/specAdapter';

const snapshot: TrainingSnapshot = {
  step: 10,
  steps: 100,
  fromStep: 0,
  losses: [0.7, 0.6, NaN],
  trainLoss: 0.5,
  testLoss: 0.55,
  trainAccuracy: 0.8,
  testAccuracy: null,
  layers: [
    {
      layer: 0, activation: 'relu', units: 8, deadFraction: 0.25, sparsity: 0.5, saturationFraction: 0.25, mean: 0.3, std: 0.4,
      histogram: { min: 0, max: 2, counts: [5, 3, 1] }, weightGradNorm: 0.01, updateRatio: 1e-3,
    },
  ],
  weightGradNorms: [0.01, 0.02],
  elapsedMs: 12,
};

const EXPLORER_STATE = {
  v: 1,
  curves: [{ id: 'gelu', framework: 'torch', name: 'gelu', params: { approximate: 'tanh' } }],
  show: { f: true, df: true, d2f: false },
  xmin: -4,
  xmax: 4,
  points: [0, 1],
  addFramework: 'jax',
  focus: 0,
  dtype: 'bfloat16',
  custom: { expr: 'x * sigmoid(beta * x)', params: { beta: 1.5 }, open: true },
  gated: 'swiglu',
};

const VALID_WEBVIEW = [
  { type: 'ready', panel: 'explorer' },
  { type: 'ready', panel: 'dashboard' },
  { type: 'export/result', requestId: 1, format: 'png', ok: true, data: 'data:image/png;base64,AAAA' },
  { type: 'export/result', requestId: 2, format: 'csv', ok: false, error: 'no canvas' },
  { type: 'train/start', form: DEFAULT_FORM },
  { type: 'train/control', command: 'pause' },
  { type: 'train/demo', demoId: 'dying-relu' },
  { type: 'train/openSpec' },
  { type: 'train/copyCode', target: 'jax' },
  { type: 'explorer/open', curve: { id: 'leaky_relu', framework: 'jax', name: 'leaky_relu', params: { negative_slope: 0.2 } } },
  { type: 'explorer/state', state: EXPLORER_STATE },
];

const VALID_DASHBOARD = [
  { type: 'dashboard/init', form: DEFAULT_FORM, demos: [{ id: 'a', title: 'A', lookAt: 'look' }], inits: ['zeros', 'kaiming_uniform'] },
  { type: 'runs/clear', title: 'Dying ReLU', lookAt: 'the dead chart' },
  { type: 'run/added', run: { runId: 1, label: 'ReLU', task: 'binary', inputDim: 2, hiddenLayers: 1, steps: 100 } },
  { type: 'run/snapshots', runId: 1, snapshots: [snapshot] },
  {
    type: 'run/snapshots', runId: 1, snapshots: [],
    boundary: { kind: '2d', xmin: -1, xmax: 1, ymin: -1, ymax: 1, nx: 2, ny: 2, values: [0, 1, 0.5, 0.2], px: [0], py: [0], plabel: [1] },
  },
  { type: 'run/status', runId: 1, status: 'done', message: 'finished' },
  { type: 'export/request', requestId: 3, format: 'svg' },
];

/** Arbitrary JSON-ish values, including the wrong types in the right places. */
const junk = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record({ type: fc.constantFrom('ready', 'export/result', 'train/start', 'train/control', 'run/snapshots', 'dashboard/init', 'explorer/show', 'export/request', 'run/status'), ...{} }),
  fc.dictionary(fc.constantFrom('type', 'panel', 'form', 'runId', 'snapshots', 'curves', 'requestId', 'format', 'ok', 'data', 'command'), fc.anything({ maxDepth: 2 })),
);

/** Replace one field of a valid message by a random value. */
function mutate(base: readonly Record<string, unknown>[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.constantFrom(...base), fc.nat(), fc.anything({ maxDepth: 2 })).map(([m, k, v]) => {
    const keys = Object.keys(m);
    const key = keys[k % keys.length] as string;
    return { ...m, [key]: v };
  });
}

describe('protocol', () => {
  it('accepts every valid message of each direction', () => {
    for (const m of VALID_WEBVIEW) assert.ok(parseWebviewToHost(m), JSON.stringify(m));
    for (const m of VALID_DASHBOARD) assert.ok(parseHostToDashboard(m), JSON.stringify(m).slice(0, 120));
    assert.ok(parseHostToExplorer({ type: 'explorer/show', replace: false, curves: [{ id: 'relu', framework: 'torch', name: 'relu', params: {} }] }));
    assert.ok(parseHostToExplorer({ type: 'export/request', requestId: 1, format: 'json' }));
  });

  it('explorer/show: an optional dtype, one of the engine\'s', () => {
    const show = { type: 'explorer/show', replace: false, curves: [{ id: 'sigmoid', framework: 'torch', name: 'sigmoid', params: {} }] };
    for (const dtype of ['float64', 'float32', 'bfloat16', 'float16']) assert.equal(parseHostToExplorer({ ...show, dtype })?.type, 'explorer/show');
    for (const dtype of ['half', 'fp16', '', 16, null, {}]) assert.equal(parseHostToExplorer({ ...show, dtype }), undefined, JSON.stringify(dtype));
  });

  it('rejects messages meant for the other direction or panel', () => {
    for (const m of VALID_WEBVIEW) {
      assert.strictEqual(parseHostToDashboard(m), undefined);
      assert.strictEqual(parseHostToExplorer(m), undefined);
    }
    for (const m of VALID_DASHBOARD.filter((x) => x.type !== 'export/request')) assert.strictEqual(parseHostToExplorer(m), undefined);
  });

  it('never throws and rejects garbage (30 000 random messages)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(junk, (m) => {
        const a = parseWebviewToHost(m);
        const b = parseHostToDashboard(m);
        const c = parseHostToExplorer(m);
        // a random value may by chance be a bare valid message; count, don't fail
        if (a || b || c) accepted++;
      }),
      { numRuns: 10_000 },
    );
    fc.assert(fc.property(mutate(VALID_WEBVIEW as Record<string, unknown>[]), (m) => void parseWebviewToHost(m)), { numRuns: 10_000 });
    fc.assert(fc.property(mutate(VALID_DASHBOARD as Record<string, unknown>[]), (m) => void parseHostToDashboard(m)), { numRuns: 10_000 });
    // only field-less messages (train/openSpec, train/openCsv) can be hit by chance
    assert.ok(accepted < 200, `accepted ${accepted} random messages`);
  });

  it('rejects the specific malformations a handler would trip over', () => {
    const bad: unknown[] = [
      null, undefined, 42, 'ready', [], { type: 'ready' }, { type: 'ready', panel: 'other' },
      { type: 'export/result', requestId: -1, format: 'png', ok: true, data: '' },
      { type: 'export/result', requestId: 1, format: 'gif', ok: true, data: '' },
      { type: 'export/result', requestId: 1, format: 'png', ok: true },
      { type: 'export/result', requestId: 1, format: 'png', ok: 'yes', data: '' },
      { type: 'train/control', command: 'explode' },
      { type: 'train/start', form: { ...DEFAULT_FORM, hidden: [8, 8], activations: ['relu'] } },
      { type: 'train/start', form: { ...DEFAULT_FORM, lr: -1 } },
      { type: 'train/start', form: { ...DEFAULT_FORM, lr: NaN } },
      { type: 'train/start', form: { ...DEFAULT_FORM, steps: 1.5 } },
      { type: 'train/start', form: { ...DEFAULT_FORM, hidden: Array(100).fill(4), activations: Array(100).fill('relu') } },
      { type: 'train/start', form: { ...DEFAULT_FORM, dataset: 'mnist' } },
      { type: 'train/demo', demoId: '../../etc/passwd' },
      { type: 'explorer/open', curve: { id: 'relu', framework: 'caffe', name: 'relu', params: {} } },
      { type: 'explorer/open', curve: { id: 'relu', framework: 'torch', name: 'relu', params: { x: {} } } },
      { type: 'export/result', requestId: 1, format: 'png', ok: true, data: 'x'.repeat(64 * 1024 * 1024 + 1) },
      { type: 'train/copyCode', target: 'caffe' },
      { type: 'explorer/state', state: { ...EXPLORER_STATE, dtype: 'float8' } },
      { type: 'explorer/state', state: { ...EXPLORER_STATE, xmin: 5 } },
      { type: 'explorer/state', state: { ...EXPLORER_STATE, custom: { expr: 'x'.repeat(501), params: {}, open: true } } },
      { type: 'explorer/state', state: { ...EXPLORER_STATE, gated: 'swish' } },
      { type: 'explorer/state' },
      { __proto__: { type: 'ready', panel: 'explorer' } },
    ];
    for (const m of bad) assert.strictEqual(parseWebviewToHost(m), undefined, JSON.stringify(m)?.slice(0, 100));
    const badDash: unknown[] = [
      { type: 'run/snapshots', runId: 1, snapshots: [{ ...snapshot, layers: [{ ...snapshot.layers[0], histogram: { min: 0, max: 1, counts: [NaN] } }] }] },
      { type: 'run/snapshots', runId: 1, snapshots: [{ ...snapshot, step: -1 }] },
      { type: 'run/snapshots', runId: 1, snapshots: Array(513).fill(snapshot) },
      { type: 'run/snapshots', runId: 1, snapshots: [], boundary: { kind: '2d', xmin: 0, xmax: 1, ymin: 0, ymax: 1, nx: 2, ny: 2, values: [1, 2, 3], px: [], py: [], plabel: [] } },
      { type: 'run/snapshots', runId: 1, snapshots: [], boundary: { kind: '2d', xmin: 0, xmax: 1, ymin: 0, ymax: 1, nx: 1000, ny: 1000, values: [], px: [], py: [], plabel: [] } },
      { type: 'run/status', runId: 1, status: 'exploded', message: '' },
      { type: 'run/added', run: { runId: 1, label: 'x', task: 'ranking', inputDim: 2, hiddenLayers: 1, steps: 1 } },
      { type: 'dashboard/init', form: DEFAULT_FORM, demos: 'all', inits: [] },
    ];
    for (const m of badDash) assert.strictEqual(parseHostToDashboard(m), undefined, JSON.stringify(m).slice(0, 100));
  });

  it('the default form is valid and becomes a valid training spec', () => {
    assert.ok(isTrainingForm(DEFAULT_FORM));
    const spec = formToSpec(DEFAULT_FORM);
    assert.deepStrictEqual(spec.sizes, [2, 8, 8, 1]);
    assert.strictEqual(spec.task, 'binary');
    assert.deepStrictEqual(spec.activations.map((a) => a.name), ['relu', 'relu']);
    const spiral: TrainingForm = { ...DEFAULT_FORM, dataset: 'spiral3', hidden: [16], activations: ['gelu'] };
    const s2 = formToSpec(spiral);
    assert.strictEqual(s2.task, 'multiclass');
    assert.deepStrictEqual(s2.sizes, [2, 16, 3]);
    const sine = formToSpec({ ...DEFAULT_FORM, dataset: 'sine' });
    assert.strictEqual(sine.task, 'regression');
    assert.strictEqual(sine.sizes[0], 1);
    const csv = formToSpec({ ...DEFAULT_FORM, dataset: 'csv', csvText: 'a,b,label\n0,1,2\n1,0,1\n1,1,0\n0,0,1\n', csvTarget: 'label' });
    assert.strictEqual(csv.task, 'multiclass');
    assert.deepStrictEqual(csv.sizes, [2, 8, 8, 3]);
  });
});

describe('Decimator (bounded history)', () => {
  it('keeps at most cap items spread over the whole stream, plus the newest', () => {
    for (const n of [0, 1, 5, 600, 601, 10_000, 123_457]) {
      const d = new Decimator<number>(600);
      for (let i = 0; i < n; i++) d.push(i);
      const v = d.values();
      assert.ok(v.length <= 601, `n=${n}: ${v.length} kept`);
      if (n > 0) {
        assert.strictEqual(v[0], 0, 'the first item stays');
        assert.strictEqual(v[v.length - 1], n - 1, 'the newest item is always there');
      }
      for (let i = 1; i < v.length; i++) assert.ok((v[i] as number) > (v[i - 1] as number), 'in order');
      if (n > 1200) {
        // evenly spread: the gaps between kept items are all equal but for the tail
        const gaps = new Set(v.slice(0, -1).map((x, i) => (v[i + 1] as number) - x).slice(0, -1));
        assert.strictEqual(gaps.size, 1, `uniform stride, got ${[...gaps].join(',')}`);
        assert.ok(v.length >= 300, `at least half the capacity used (${v.length})`);
      }
    }
  });
});
