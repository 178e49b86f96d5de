// `eval --expr` through the CLI's command runner with a recording I/O: the JSON contract,
// exit codes, and one-line errors that point at the column or name the parameter.
import * as assert from 'node:assert/strict';
import { runCommand } from '../../src/cli/command';
import { EVAL } from '../../src/cli/evaluate';
import type { CliIo } from '../../src/cli/io';
import { elementwiseKernel } from '../../src/engine/activations/registry';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (s) => void (out += `${s}\n`),
    err: (s) => void (err += `${s}\n`),
    readFile: (p) => {
      if (p === 'points.json') return JSON.stringify([-1, 'inf', 0.5]);
      throw new Error(`no such file ${p}`);
    },
    listDir: () => undefined,
  };
  const code = await runCommand(EVAL, argv, io);
  return { code, out, err };
}

describe('CLI: eval --expr', () => {
  it('prints the contract: expr, params, x, y, dy, d2y, latex{f, df, d2f}', async () => {
    const r = await run('--expr', 'x * sigmoid(beta * x)', '--param', 'beta=1.5', '--x', '-2,0,3,inf,nan', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['expr', 'params', 'x', 'y', 'dy', 'd2y', 'latex']);
    assert.equal(j.expr, 'x * sigmoid(beta * x)');
    assert.deepEqual(j.params, { beta: 1.5 });
    assert.deepEqual(j.x, [-2, 0, 3, 'inf', 'nan']);
    const k = elementwiseKernel('silu', { beta: 1.5 });
    [-2, 0, 3].forEach((x, i) => {
      assert.ok(Math.abs(j.y[i] - k.f(x)) <= 1e-15, `f(${x})`);
      assert.ok(Math.abs(j.dy[i] - k.df(x)) <= 1e-15, `f′(${x})`);
      assert.ok(Math.abs(j.d2y[i] - k.d2f(x)) <= 1e-14, `f″(${x})`);
    });
    // limits at +∞ like the catalog's kernels; NaN stays NaN
    assert.deepEqual([j.y[3], j.dy[3], j.d2y[3]], ['inf', 1, 0]);
    assert.deepEqual([j.y[4], j.dy[4], j.d2y[4]], ['nan', 'nan', 'nan']);
    assert.deepEqual(Object.keys(j.latex), ['f', 'df', 'd2f']);
    assert.equal(j.latex.f, 'x\\,\\sigma\\left(\\beta\\,x\\right)');
    assert.match(j.latex.df, /^\\sigma\\left\(\\beta\\,x\\right\)\\left\(1 \+ \\beta\\,x/);
  });

  it('reads points from --x-file', async () => {
    const r = await run('--expr', 'relu(x)**2', '--x-file', 'points.json', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.y, [0, 'inf', 0.25]);
    assert.deepEqual(j.dy, [0, 'inf', 1]);
  });

  it('a malformed expression: exit 2, one line pointing at the column', async () => {
    const r = await run('--expr', 'x * (sigmoid(x)', '--x', '1');
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.equal(r.err.trim().split('\n').length, 1);
    assert.match(r.err, /--expr: expected '\)' but found the end of the expression at column 16: x \* \(sigmoid\(x\)⟨here⟩/);
    const r2 = await run('--expr', 'x * sigmod(x)', '--x', '1');
    assert.equal(r2.code, 2);
    assert.match(r2.err, /unknown function 'sigmod'; did you mean 'sigmoid'\? at column 5/);
  });

  it('an unknown parameter: exit 2 naming it; a --param the expression lacks is an error too', async () => {
    const r = await run('--expr', 'x * sigmoid(beta * x) + gamma', '--param', 'beta=1', '--x', '1');
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown parameter "gamma" \(give --param gamma=VALUE/);
    const r2 = await run('--expr', 'x * sigmoid(beta * x)', '--param', 'beta=1', '--param', 'alpha=2', '--x', '1');
    assert.equal(r2.code, 2);
    assert.match(r2.err, /no parameter "alpha" \(its parameters: beta\)/);
    const r3 = await run('--expr', 'x * sigmoid(beta * x)', '--param', 'beta=fast', '--x', '1');
    assert.equal(r3.code, 2);
    assert.match(r3.err, /--param beta expects a number, got "fast"/);
  });

  it('--expr and --fn together are refused; the table shows formulas and stability notes', async () => {
    const r = await run('--expr', 'x', '--framework', 'torch', '--fn', 'relu', '--x', '1');
    assert.equal(r.code, 2);
    assert.match(r.err, /either --expr or --framework\/--fn/);
    const t = await run('--expr', 'log(1 + exp(x))', '--x', '800');
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /^f\(x\) {3}= softplus\(x\)$/m);
    assert.match(t.out, /^f'\(x\) {2}= sigmoid\(x\)$/m);
    assert.match(t.out, /note: log\(1 \+ exp\(x\)\) overflows for x ≳ 710 in float64, ≳ 89 in float32; use softplus\(x\)/);
    assert.match(t.out, /\s800\s+800\s+1\s+0$/m);
  });
});
