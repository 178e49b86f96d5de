// The explorer's "Custom…" curve (src/webview/explorer/custom.ts): restored state is
// validated, the model binds parameters and evaluates f, f′, f″ through the closure back end
// (what the webview's CSP allows), and a malformed text reports the column of its error.
import * as assert from 'node:assert/strict';
import { caretLine, customModel, DEFAULT_PARAM_VALUE, defaultCustomState, isCustomState, sliderFor } from '../../src/webview/explorer/custom';
import { defaultState, isExplorerState, sampleFns } from '../../src/webview/explorer/model';

const sig = (z: number): number => 1 / (1 + Math.exp(-z));

describe('explorer: custom activation model', () => {
  it('x * sigmoid(beta * x): one slider, values and derivatives vs the closed form and finite differences', () => {
    const m = customModel({ expr: 'x * sigmoid(beta * x)', params: { beta: 1.5 }, open: true });
    assert.ok(m.ok);
    assert.deepEqual(m.sliders.map((s) => s.name), ['beta']);
    assert.equal(m.sliders[0]?.value, 1.5);
    assert.deepEqual(m.values, { beta: 1.5 });
    for (const x of [-4, -1.3, -0.2, 0.7, 2.5, 5]) {
      const s = sig(1.5 * x);
      assert.ok(Math.abs(m.f(x) - x * s) < 1e-14, `f(${x})`);
      assert.ok(Math.abs(m.df(x) - (s + 1.5 * x * s * (1 - s))) < 1e-13, `f′(${x})`);
      const h = 1e-4;
      const fd2 = (m.df(x + h) - m.df(x - h)) / (2 * h);
      assert.ok(Math.abs(m.d2f(x) - fd2) < 1e-6, `f″(${x}) = ${m.d2f(x)} vs ${fd2}`);
    }
    assert.match(m.label, /beta=1\.5/);
  });

  it('a parameter without a stored value starts at the default; values of unused names are ignored', () => {
    const m = customModel({ expr: 'a * x + b * x**2', params: { b: -2, gone: 7 }, open: true });
    assert.ok(m.ok);
    assert.deepEqual(m.sliders.map((s) => s.name), ['a', 'b']);
    assert.deepEqual(m.values, { a: DEFAULT_PARAM_VALUE, b: -2 });
    assert.equal(m.f(3), DEFAULT_PARAM_VALUE * 3 - 2 * 9);
    assert.equal(m.df(3), DEFAULT_PARAM_VALUE - 4 * 3);
    assert.equal(m.d2f(3), -4);
  });

  it('no parameters: no sliders; the default text parses', () => {
    const m = customModel({ expr: 'tanh(x)', params: {}, open: true });
    assert.ok(m.ok);
    assert.equal(m.sliders.length, 0);
    assert.ok(Math.abs(m.df(0.5) - (1 - Math.tanh(0.5) ** 2)) < 1e-15);
    assert.ok(customModel(defaultCustomState()).ok);
  });

  it('a malformed text reports the 1-based column of the offending token', () => {
    const cases: [string, number][] = [
      ['x * sigmoid(beta * x', 21], // missing ')': at the end
      ['x * * 2', 5],
      ['x + foo(x)', 5],
    ];
    for (const [expr, col] of cases) {
      const m = customModel({ expr, params: {}, open: true });
      assert.ok(!m.ok, expr);
      assert.equal(m.column, col, `${expr}: ${m.message}`);
      assert.match(m.message, new RegExp(`column ${col}$`));
    }
    const empty = customModel({ expr: '   ', params: {}, open: true });
    assert.ok(!empty.ok && empty.column === undefined);
  });

  it('the caret line puts ^ under the column', () => {
    assert.equal(caretLine(1), '^');
    assert.equal(caretLine(5), '    ^');
    assert.equal('x * * 2'.charAt(caretLine(5).length - 1), '*');
  });

  it('slider bounds hold the value, with room around it', () => {
    assert.deepEqual([sliderFor('a', 1).min, sliderFor('a', 1).max], [-5, 5]);
    const big = sliderFor('a', 12);
    assert.ok(big.min <= 12 && big.max > 12 && big.step > 0);
    const neg = sliderFor('a', -30);
    assert.ok(neg.min < -30 && neg.max >= 5);
  });

  it('the sampler gives f, f′, f″ at evenly spaced points', () => {
    const m = customModel({ expr: 'x**3', params: {}, open: true });
    assert.ok(m.ok);
    const s = sampleFns(m, -2, 2, 5);
    assert.deepEqual(Array.from(s.xs), [-2, -1, 0, 1, 2]);
    assert.deepEqual(Array.from(s.f), [-8, -1, 0, 1, 8]);
    assert.deepEqual(Array.from(s.df), [12, 3, 0, 3, 12]);
    assert.deepEqual(Array.from(s.d2f), [-12, -6, 0, 6, 12]);
  });
});

describe('explorer: custom state restored from setState', () => {
  const ok = { expr: 'x * sigmoid(beta * x)', params: { beta: 1.5 }, open: true };
  it('accepts a well-formed custom state, also with malformed text (restored as the user left it)', () => {
    assert.ok(isCustomState(ok));
    assert.ok(isCustomState({ ...ok, expr: 'x * (' }));
    assert.ok(isExplorerState({ ...defaultState(), custom: ok }));
    assert.ok(isExplorerState(defaultState()));
  });
  it('rejects bad shapes, non-finite values, odd names, oversized text', () => {
    for (const bad of [
      null,
      { ...ok, expr: 3 },
      { ...ok, open: 'yes' },
      { ...ok, params: [] },
      { ...ok, params: { beta: NaN } },
      { ...ok, params: { beta: '1' } },
      { ...ok, params: { 'be ta': 1 } },
      { ...ok, expr: 'x+'.repeat(300) },
    ]) {
      assert.ok(!isCustomState(bad), JSON.stringify(bad));
      assert.ok(!isExplorerState({ ...defaultState(), custom: bad }));
    }
  });
});
