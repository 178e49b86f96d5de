// Run files (activation_inspector.watch) summarised per site: series aligned with the logged
// steps, a half-written last line ignored.
import * as assert from 'node:assert/strict';
import { summariseRun, toRealRunView } from '../../src/probe/runs';
import { parseHostToDashboard } from '../../src/shared/protocol';
import { parseProbeResult, ProbeFormatError } from '../../src/probe/types';

const hist = { edges: [-8, 8], counts: [1], under: 0, over: 0 };
const site = (name: string, line: number, dead: number | null, g: number | string | null): object => ({
  name, kind: 'relu', file: '/m.py', line, shape: [2, 3], dead_fraction: dead, zero_fraction: 0.5, saturated_fraction: null,
  mean: 0, std: 1, grad_norm: g, nan: 0, inf: 0, histogram: hist,
});

describe('probe run files', () => {
  it('aligns each site with the steps and skips a partial trailing line', () => {
    const text = [
      JSON.stringify({ format: 1, run: 'r1', every: 5, model: 'Net', started: 1 }),
      JSON.stringify({ step: 5, sites: [site('a', 3, 0.25, 0.5)] }),
      JSON.stringify({ step: 10, sites: [site('a', 3, 0.5, 'inf'), site('b', 7, 0, null)] }),
      '{"step": 15, "sites": [',
    ].join('\n');
    const r = summariseRun(text, '/runs/r1.jsonl');
    assert.equal(r.run, 'r1');
    assert.equal(r.every, 5);
    assert.deepEqual(r.steps, [5, 10]);
    assert.deepEqual(r.sites.map((s) => [s.name, s.line, s.dead_fraction, s.grad_norm]), [
      ['a', 3, [0.25, 0.5], [0.5, Infinity]],
      ['b', 7, [null, 0], [null, null]],
    ]);
  });

  it('rejects a malformed probe result with a message naming the field', () => {
    assert.throws(() => parseProbeResult({ sites: [{ name: 'a', kind: 'relu', histogram: hist, dead_fraction: 'x' }] }), (e: unknown) => e instanceof ProbeFormatError && /dead_fraction/.test(e.message));
    assert.throws(() => parseProbeResult({}), ProbeFormatError);
  });

  it('becomes a validated "Real run" message: infinities as gaps, series aligned with the steps', () => {
    const text = [
      JSON.stringify({ format: 1, run: 'r1', every: 5, model: 'Net', started: 1 }),
      JSON.stringify({ step: 5, sites: [site('a', 3, 0.25, 0.5)] }),
      JSON.stringify({ step: 10, sites: [site('a', 3, 0.5, 'inf'), site('b', 7, 0, null)] }),
    ].join('\n') + '\n';
    const view = toRealRunView(summariseRun(text, '/runs/r1.jsonl'));
    assert.deepEqual(view, {
      run: 'r1', model: 'Net', steps: [5, 10],
      sites: [
        { name: 'a', kind: 'relu', line: 3, dead: [0.25, 0.5], saturated: [null, null], grad: [0.5, null] },
        { name: 'b', kind: 'relu', line: 7, dead: [null, 0], saturated: [null, null], grad: [null, null] },
      ],
    });
    const msg = { type: 'realrun/show', folder: '/runs', runs: [view] };
    assert.deepEqual(parseHostToDashboard(JSON.parse(JSON.stringify(msg))), msg);
    // series not aligned with the steps, non-finite numbers, a bad line: dropped
    const bad = (over: object) => ({ ...msg, runs: [{ ...view, sites: [{ ...view.sites[0], ...over }] }] });
    assert.equal(parseHostToDashboard(bad({ dead: [0.25] })), undefined);
    assert.equal(parseHostToDashboard(bad({ grad: [0.5, Infinity] })), undefined);
    assert.equal(parseHostToDashboard(bad({ line: 0 })), undefined);
    assert.equal(parseHostToDashboard({ ...msg, folder: 3 }), undefined);
    assert.equal(parseHostToDashboard({ ...msg, runs: [{ ...view, steps: [5, 'x'] }] }), undefined);
  });
});
