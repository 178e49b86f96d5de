// The explorer's gated heatmaps (src/webview/explorer/gatedModel.ts): the grid orientation
// (a across, b up), values equal to the catalog's f and partials, and the colour scale.
import * as assert from 'node:assert/strict';
import { diverging, GATED_IDS, gatedDef, gatedGrid } from '../../src/webview/explorer/gatedModel';
import { defaultState, isExplorerState } from '../../src/webview/explorer/model';

describe('explorer: gated heatmaps', () => {
  it('grid: a left→right, b top→bottom decreasing; values are f and its partials', () => {
    const d = gatedDef('swiglu');
    assert.ok(d);
    const g = gatedGrid(d, 'f', 5, -2, 2);
    // row 0 is b = 2, column 4 is a = 2
    assert.equal(g.values[0 * 5 + 4], 2 * (2 / (1 + Math.exp(-2))));
    assert.equal(g.values[4 * 5 + 0], -2 * (-2 / (1 + Math.exp(2))));
    assert.equal(g.values[2 * 5 + 3], d.f(1, 0));
    const gb = gatedGrid(d, 'dfdb', 5, -2, 2);
    assert.equal(gb.values[1 * 5 + 1], d.dfdb(-1, 1));
    const ga = gatedGrid(d, 'dfda', 5, -2, 2);
    assert.equal(ga.values[3 * 5 + 2], d.dfda(0, -1));
    assert.equal(g.max, Math.max(...g.values));
    assert.equal(g.min, Math.min(...g.values));
  });

  it('argument order (docs/conventions.md): the heatmap is a·g(b) — a the value across, b the gate up — not g(a)·b', () => {
    const d = gatedDef('swiglu');
    assert.ok(d);
    const g = gatedGrid(d, 'f', 5, -2, 2);
    const silu = (x: number): number => x / (1 + Math.exp(-x));
    // bottom-right: a = 2, b = −2
    assert.ok(Math.abs((g.values[4 * 5 + 4] as number) - 2 * silu(-2)) < 1e-15);
    assert.ok(Math.abs((g.values[4 * 5 + 4] as number) - silu(2) * -2) > 0.5);
  });

  it('ReGLU ∂f/∂a is relu(b): zero on the lower half', () => {
    const d = gatedDef('reglu');
    assert.ok(d);
    const g = gatedGrid(d, 'dfda', 9, -4, 4);
    for (let row = 4; row < 9; row++) for (let col = 0; col < 9; col++) assert.equal(g.values[row * 9 + col], 0);
    assert.equal(g.values[0], 4);
  });

  it('colours: 0 is the neutral middle, the ends are blue and red, NaN transparent', () => {
    assert.deepEqual(diverging(0, 3, false), [247, 247, 247, 255]);
    assert.deepEqual(diverging(0, 3, true), [48, 48, 48, 255]);
    assert.deepEqual(diverging(-3, 3, false), [33, 102, 172, 255]);
    assert.deepEqual(diverging(9, 3, true), [178, 24, 43, 255]);
    assert.deepEqual(diverging(NaN, 3, true), [0, 0, 0, 0]);
  });

  it('restored state: a known gated id or none', () => {
    assert.deepEqual(GATED_IDS, ['glu_ab', 'reglu', 'geglu', 'swiglu']);
    assert.ok(isExplorerState({ ...defaultState(), gated: 'geglu' }));
    assert.ok(isExplorerState({ ...defaultState(), gated: '' }));
    assert.ok(!isExplorerState({ ...defaultState(), gated: 'swish' }));
    assert.ok(!isExplorerState({ ...defaultState(), gated: 3 }));
  });
});
