// The CLI as a user runs it: the real esbuild bundle in a child process, checking the JSON
// contract, exit codes and that errors are one plain line (never a stack trace).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const dir = mkdtempSync(join(tmpdir(), 'ai-cli-'));
const cli = join(dir, 'cli.js');

function run(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('CLI (bundled, in a child process)', function () {
  this.timeout(60000);
  before(async () => {
    await build({ entryPoints: [join(__dirname, '..', '..', 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'error' });
  });

  it('eval --json prints the contract with defaults filled in', () => {
    const r = run('eval', '--framework', 'torch', '--fn', 'leaky_relu', '--x', '-2,0,3', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['framework', 'fn', 'params', 'x', 'y', 'dy', 'd2y']);
    assert.deepEqual(j.params, { negative_slope: 0.01 });
    assert.deepEqual(j.y, [-0.02, 0, 3]);
    assert.deepEqual(j.dy, [0.01, 0.01, 1]);
    assert.deepEqual(j.d2y, [0, 0, 0]);
  });

  it('follows each framework at the kink: JAX leaky_relu′(0) = 1', () => {
    const r = run('eval', '--framework', 'jax', '--fn', 'leaky_relu', '--param', 'negative_slope=0.2', '--x', '0', '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).dy, [1]);
  });

  it('accepts module names and --x-file with non-finite strings', () => {
    const f = join(dir, 'x.json');
    writeFileSync(f, JSON.stringify([-1, 'inf', '-inf', 'nan']));
    const r = run('eval', '--framework', 'torch', '--fn', 'LeakyReLU', '--param', 'negative_slope=0.5', '--x-file', f, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.x, [-1, 'inf', '-inf', 'nan']);
    assert.deepEqual(j.y, [-0.5, 'inf', '-inf', 'nan']);
  });

  it('x values may be negative right after --x', () => {
    const r = run('eval', '--framework', 'torch', '--fn', 'relu', '--x', '-1,-2', '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).y, [0, 0]);
  });

  for (const [args, pattern] of [
    [['eval', '--framework', 'torch', '--fn', 'leaky_rel', '--x', '1'], /unknown torch activation "leaky_rel".*leaky_relu/],
    [['eval', '--framework', 'torch', '--fn', 'leaky_relu', '--param', 'negative_slop=0.1', '--x', '1'], /no parameter "negative_slop".*negative_slope/],
    [['eval', '--framework', 'torch', '--fn', 'leaky_relu', '--param', 'negative_slope=abc', '--x', '1'], /expects a number/],
    [['eval', '--framework', 'pytorch', '--fn', 'relu', '--x', '1'], /unknown framework "pytorch"/],
    [['eval', '--framework', 'torch', '--fn', 'relu', '--x', '1,x'], /not a number/],
    [['eval', '--framework', 'torch', '--fn', 'relu'], /--x/],
    [['eval', '--framework', 'torch', '--fn', 'glu', '--x', '1,2,3'], /even/],
    [['frobnicate'], /unknown command/],
  ] as const) {
    it(`exit 2 with a plain message: ${args.join(' ')}`, () => {
      const r = run(...args);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, pattern);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    });
  }

  it('train replays a reference training through the dispatcher', () => {
    const ref = JSON.parse(require('node:fs').readFileSync(join(__dirname, '..', 'fixtures', 'pytorch-jax-reference.json'), 'utf8'));
    const t = ref.trainings[0];
    const f = join(dir, 'spec.json');
    writeFileSync(f, JSON.stringify(t));
    const r = run('train', '--spec', f, '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    for (const k of ['loss_per_step', 'grads_step0_flat', 'weight_grad_norm_step0', 'final_params_flat', 'final_loss', 'final_accuracy', 'final_dead_fraction_per_hidden_layer', 'elapsed_ms']) assert.ok(k in j, k);
    t.expect.loss_per_step.forEach((w: number, i: number) => assert.ok(Math.abs(j.loss_per_step[i] - w) <= 1e-9 * Math.abs(w), `step ${i}`));
  });

  it('explain and lint are dispatched', () => {
    const f = join(dir, 'm.py');
    writeFileSync(f, 'import torch.nn as nn\nact = nn.LeakyReLU(0.2)\n');
    const e = run('explain', '--file', f, '--line', '2', '--column', '10', '--json');
    assert.equal(e.code, 0, e.err);
    const j = JSON.parse(e.out);
    assert.equal(j.match.framework, 'torch');
    assert.equal(j.match.params.negative_slope, 0.2);
    const l = run('lint', f, '--json');
    assert.equal(l.code, 0, l.err);
    assert.deepEqual(JSON.parse(l.out), []);
    assert.equal(run('lint').code, 2);
    assert.equal(run('train', '--spec', join(dir, 'missing.json')).code, 2);
  });

  it('list and show describe the catalog', () => {
    const l = run('list', '--framework', 'torch');
    assert.equal(l.code, 0, l.err);
    assert.match(l.out, /LeakyReLU/);
    const s = run('show', 'leaky_relu');
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /PyTorch/);
    assert.match(s.out, /JAX/);
    assert.match(s.out, /negative_slope=0\.01/);
    assert.match(s.out, /negative_slope=0\.3/, 'Keras layer default');
    assert.match(s.out, /this framework returns 1\b/, 'JAX kink convention');
  });
});
