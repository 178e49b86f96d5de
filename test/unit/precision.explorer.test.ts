// The explorer's dtype selector (src/webview/explorer/model.ts): curves evaluated in a dtype
// are the engine's dtype values (the staircase, the exactly-zero gradients), float64 is
// unchanged, a curve in a dtype carries what the precision view needs (with the user's
// parameters), and restored state with an unknown dtype is rejected.
import * as assert from 'node:assert/strict';
import { defaultState, evaluate, isExplorerState, sample } from '../../src/webview/explorer/model';
import { roundBf16 } from '../../src/engine/precision/round';
import { precisionRegions } from '../../src/engine/precision/regions';
import { finiteValues } from '../../src/engine/precision/tables';

describe('explorer: dtype selector', () => {
  const spec = { id: 'sigmoid', framework: 'torch' as const, name: 'sigmoid', params: {} };

  it('bfloat16 curves are the stored values: a staircase, and f′ = 0 where σ rounds to 1', () => {
    const ev = evaluate(spec, 'bfloat16');
    const s = sample(ev, 6, 8, 200);
    const distinct = new Set(s.f);
    assert.ok(distinct.size <= 3, `${distinct.size} distinct values of σ on [6, 8] in bfloat16`);
    for (let i = 0; i < s.xs.length; i++) assert.equal(s.f[i], roundBf16(s.f[i] as number));
    assert.equal(ev.kernel.df(7), 0);
    assert.ok(evaluate(spec).kernel.df(7) > 0);
  });

  it('float64 stays the plain kernel', () => {
    assert.equal(evaluate(spec).kernel.f(0.1), 1 / (1 + Math.exp(-0.1)));
    assert.equal(evaluate(spec, 'float64').kernel.f(0.1), 1 / (1 + Math.exp(-0.1)));
  });

  it('a curve in a dtype carries its scalars for the precision view, with the user\'s parameters', () => {
    assert.equal(evaluate(spec).precision, undefined);
    const soft = (beta: number) => evaluate({ id: 'softplus', framework: 'torch', name: 'softplus', params: { beta } }, 'bfloat16');
    const p1 = soft(1).precision;
    const p2 = soft(2).precision;
    assert.ok(p1 && p2);
    assert.equal(p2.s.dtype, 'bfloat16');
    assert.equal(p2.f64.dtype, 'float64');
    // softplus_β(x) = log(1 + e^{βx})/β: β = 2 underflows to 0 from a threshold nearer 0
    const under = (p: NonNullable<typeof p1>) => precisionRegions(p.s, p.f64).find((r) => r.kind === 'underflow');
    const u1 = under(p1);
    const u2 = under(p2);
    assert.ok(u1 && u2);
    assert.ok(u2.last > u1.last, `${u2.where} vs ${u1.where}`);
    // the boundary is where the bfloat16 result stops being 0, on neighbouring inputs
    const xs = finiteValues('bfloat16');
    const next = xs[xs.indexOf(u2.last) + 1] as number;
    assert.equal(p2.s.f(u2.last), 0);
    assert.notEqual(p2.s.f(next), 0);
  });

  it('restored state: a known dtype passes, anything else is rejected', () => {
    assert.ok(isExplorerState({ ...defaultState(), dtype: 'float16' }));
    assert.ok(isExplorerState(defaultState()));
    assert.ok(!isExplorerState({ ...defaultState(), dtype: 'half' }));
  });
});
