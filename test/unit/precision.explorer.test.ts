// The explorer's dtype selector (src/webview/explorer/model.ts): curves evaluated in a dtype
// are the engine's dtype values (the staircase, the exactly-zero gradients), float64 is
// unchanged, and restored state with an unknown dtype is rejected.
import * as assert from 'node:assert/strict';
import { defaultState, evaluate, isExplorerState, sample } from '../../src/webview/explorer/model';
import { roundBf16 } from '../../src/engine/precision/round';

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

  it('restored state: a known dtype passes, anything else is rejected', () => {
    assert.ok(isExplorerState({ ...defaultState(), dtype: 'float16' }));
    assert.ok(isExplorerState(defaultState()));
    assert.ok(!isExplorerState({ ...defaultState(), dtype: 'half' }));
  });
});
