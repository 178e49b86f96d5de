// What the editor shows for probe results: lenses on model classes/factories, the input shape
// from the first layer, annotation text, health and warnings.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotation, findModels, guessInputShape, health, hoverMarkdown, inputShapeError, lineAnnotations, probeRefusal, warning } from '../../src/probe/present';
import type { ProbeSite } from '../../src/probe/types';

const site = (over: Partial<ProbeSite>): ProbeSite => ({
  name: 'act', kind: 'relu', file: '/m.py', line: 3, column: null, exact_line: true, shape: [8, 4], calls: 1,
  dead_fraction: 0.375, zero_fraction: 0.5, saturated_fraction: null, mean: 0.1, std: 0.2, mean_in: 0, std_in: 1,
  grad_norm: 0.0012, nan: 0, inf: 0, nan_in: 0, inf_in: 0,
  histogram: { edges: Array.from({ length: 33 }, (_, i) => -8 + i / 2), counts: Array.from({ length: 32 }, (_, i) => (i === 16 ? 5 : 0)), under: 1, over: 2 },
  ...over,
});

describe('probe presentation', () => {
  it('finds nn.Module classes and factories with their first-layer input shapes', () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'probe', 'known.py'), 'utf8');
    assert.deepEqual(findModels(text), [
      { name: 'Known', line: 8, kind: 'class', shapeGuess: '8,4' },
      { name: 'make_mlp', line: 38, kind: 'factory', shapeGuess: '8,5' },
    ]);
    assert.deepEqual(findModels('def helper(x):\n    return x + 1\nclass Data(object):\n    pass\n'), []);
    assert.equal(guessInputShape('self.c = nn.Conv2d(3, 16, 3)\nself.f = nn.Linear(10, 2)'), '8,3,32,32');
    assert.equal(guessInputShape('x = 1'), undefined);
  });

  it('annotates a site as the issue shows it', () => {
    assert.equal(annotation(site({})), 'ReLU · 37.5% dead · ‖g‖ 1.2e-3');
    assert.equal(annotation(site({ kind: 'sigmoid', dead_fraction: null, saturated_fraction: 0.5, grad_norm: null })), 'Sigmoid · 50.0% saturated · ‖g‖ —');
    assert.equal(annotation(site({ kind: 'softmax', dead_fraction: null, zero_fraction: 0, nan: 2 })), 'Softmax · 0.0% zero · ‖g‖ 1.2e-3 · 2 NaN, 0 Inf');
  });

  it('grades health and warns on mostly dead or saturated layers', () => {
    assert.equal(health(site({ dead_fraction: 0.05 })), 'ok');
    assert.equal(health(site({})), 'warn');
    assert.equal(health(site({ dead_fraction: 0.5 })), 'bad');
    assert.equal(health(site({ dead_fraction: 0, inf: 1 })), 'bad');
    assert.equal(warning(site({})), undefined);
    assert.match(warning(site({ dead_fraction: 0.625 })) ?? '', /62\.5% of its units never activate.*Leaky ReLU, He \(Kaiming\) initialisation or a lower learning rate/);
    assert.match(warning(site({ kind: 'tanh', dead_fraction: null, saturated_fraction: 0.75 })) ?? '', /^Tanh "act": 75\.0% of its outputs are saturated/);
  });

  it('hover holds the numbers and the histogram', () => {
    const md = hoverMarkdown(site({}));
    assert.match(md, /\| dead units \| 37\.5% \|/);
    assert.match(md, /\[0, 1\)\s+█+ 5/);
    assert.match(md, /< -8\s+█+ 1/);
    assert.match(md, /> 8\s+█+ 2/);
  });

  it('accepts the CLI\'s input shapes and rejects the rest', () => {
    for (const ok of ['8,3,32,32', '8x3x32x32', ' 64 , 16 ', '16,4;2,3,8,8', '5']) assert.equal(inputShapeError(ok), undefined, ok);
    for (const bad of ['', '8,-1', '8,0', '0,3', '8,,3', '8;', 'a,b', '8.5,2', '8 3']) assert.match(inputShapeError(bad) ?? '', /positive integers/, bad);
  });

  it('refuses to run user code in an untrusted workspace, and needs a file on disk', () => {
    assert.match(probeRefusal({ trusted: false, scheme: 'file' }) ?? '', /Trust this workspace/);
    assert.match(probeRefusal({ trusted: false, scheme: undefined }) ?? '', /Trust this workspace/);
    assert.match(probeRefusal({ trusted: true, scheme: 'untitled' }) ?? '', /Open the Python file/);
    assert.match(probeRefusal({ trusted: true, scheme: undefined }) ?? '', /Open the Python file/);
    assert.equal(probeRefusal({ trusted: true, scheme: 'file' }), undefined);
  });

  it('makes one annotation per line, worst health wins, lines outside the file dropped', () => {
    const a = site({ name: 'a', line: 5, dead_fraction: 0.75 });
    const b = site({ name: 'b', line: 5, kind: 'tanh', dead_fraction: null, saturated_fraction: 0 });
    const c = site({ name: 'c', line: 2, dead_fraction: 0.2 });
    const far = site({ name: 'far', line: 40 });
    const none = site({ name: 'none', line: null });
    const shown = lineAnnotations([b, a, c, far, none], 10);
    assert.deepEqual(shown.map((x) => [x.line, x.health, x.sites.map((s) => s.name)]), [[1, 'warn', ['c']], [4, 'bad', ['b', 'a']]]);
    assert.equal(shown[1]?.text, `${annotation(b)}   ${annotation(a)}`);
    assert.equal(shown[1]?.text, 'Tanh · 0.0% saturated · ‖g‖ 1.2e-3   ReLU · 75.0% dead · ‖g‖ 1.2e-3');
    assert.deepEqual(lineAnnotations([], 10), []);
  });
});
