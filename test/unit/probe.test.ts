// The probe with the real thing: Debian's python3-torch at /usr/bin/python3. The Python
// package's own tests (test/python) run here, then the bundled CLI as a user runs it, laid out
// as shipped (dist/cli.js beside python/). Without torch this FAILS with a clear message.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runProbe } from '../../src/probe/python';

const PY = '/usr/bin/python3';
const root = join(__dirname, '..', '..');
const fix = join(root, 'test', 'fixtures', 'probe');
const inst = mkdtempSync(join(tmpdir(), 'ai-probe-cli-'));
const cli = join(inst, 'dist', 'cli.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const c = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ACTIVATION_INSPECTOR_PYTHON: PY, ...env } });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => done({ code: code ?? -1, out, err }));
  });
}

describe('probe: the user’s PyTorch model through /usr/bin/python3', function () {
  this.timeout(1_200_000); // the Python suite imports torch in many child processes

  before(async () => {
    const t = spawnSync(PY, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (t.status !== 0) {
      assert.fail(`${PY} cannot import torch (install Debian's python3-torch: apt-get install python3-torch): ${(t.stderr || t.error?.message || '').trim().split('\n').pop()}`);
    }
    mkdirSync(join(inst, 'dist'));
    symlinkSync(join(root, 'python'), join(inst, 'python'));
    await build({ entryPoints: [join(root, 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'error' });
  });

  it('the Python package’s unit tests pass (test/python)', () => {
    const r = spawnSync(PY, ['-m', 'unittest', 'discover', '-s', join(root, 'test', 'python')], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: join(root, 'python') },
    });
    assert.equal(r.status, 0, `python unittest failed:\n${r.stderr}`);
    assert.match(r.stderr, /Ran \d+ tests/);
  });

  it('probe --json: exact dead and saturated fractions at the construction and call lines', async () => {
    const r = await run(['probe', join(fix, 'known.py'), '--model', 'Known', '--input-shape', '16,4;2,3,8,8', '--json']);
    assert.equal(r.code, 0, r.err);
    const sites = JSON.parse(r.out).sites as Record<string, unknown>[];
    const pick = sites.map((s) => [s.name, s.kind, s.line, s.dead_fraction, s.saturated_fraction]);
    assert.deepEqual(pick, [
      ['act', 'relu', 13, 3 / 8, null],
      ['gate', 'sigmoid', 15, null, 0.5],
      ['conv.1', 'relu', 18, 1 / 4, null],
      ['leaky', 'leaky_relu', 20, 2 / 4, null],
      ['torch.tanh', 'tanh', 34, null, 0.75],
      ['F.relu', 'relu', 35, 3 / 4, null],
      ['g.relu', 'relu', 35, 1 / 4, null],
    ]);
    for (const s of sites) {
      for (const k of ['name', 'kind', 'file', 'line', 'shape', 'dead_fraction', 'zero_fraction', 'saturated_fraction', 'mean', 'std', 'grad_norm', 'nan', 'inf', 'histogram']) {
        assert.ok(k in s, `site ${String(s.name)} lacks ${k}`);
      }
      assert.equal(s.file, join(fix, 'known.py'));
    }
    assert.equal(sites[0]?.zero_fraction !== undefined, true);
  });

  it('probe without --json prints one row per site', async () => {
    const r = await run(['probe', join(fix, 'known.py'), '--model', 'make_mlp(width=3)', '--input-shape', '4x5']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0] ?? '', /^Sequential: 1 activation site \(torch /);
    assert.match(lines[1] ?? '', /known\.py:42\s+1\s+tanh\s+dead —\s+sat 0\.0%/);
  });

  for (const [file, model, shape, pattern] of [
    ['syntax_error.py', 'Broken', '2,2', /syntax_error\.py:5: SyntaxError: expected ':'$/],
    ['import_error.py', 'X', '2,2', /import_error\.py:3: ModuleNotFoundError: No module named 'activation_inspector_no_such_module'$/],
    ['shape_error.py', 'Mismatch', '8,4', /shape_error\.py:11: RuntimeError: mat1 and mat2 shapes cannot be multiplied \(8x4 and 10x5\)$/],
  ] as const) {
    it(`a broken file gives exit 2 and one line naming file:line (${file})`, async () => {
      const r = await run(['probe', join(fix, file), '--model', model, '--input-shape', shape]);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      const lines = r.err.trim().split('\n');
      assert.equal(lines.length, 1, r.err);
      assert.match(lines[0] ?? '', pattern);
      const v = await run(['probe', join(fix, file), '--model', model, '--input-shape', shape, '--verbose']);
      assert.equal(v.code, 2);
      assert.match(v.err, /Traceback \(most recent call last\)/);
    });
  }

  it('an interpreter without torch: exit 2 naming it and how to choose another', async () => {
    const fake = join(inst, 'python-no-torch');
    writeFileSync(fake, `#!/bin/sh\nexec ${PY} -S "$@"\n`);
    chmodSync(fake, 0o755);
    const r = await run(['probe', join(fix, 'known.py'), '--model', 'Known', '--input-shape', '2,4', '--python', fake]);
    assert.equal(r.code, 2);
    assert.match(r.err.trim(), /^activation-inspector probe: no torch in .*ModuleNotFoundError.*--python PATH or ACTIVATION_INSPECTOR_PYTHON$/);
  });

  it('the time limit ends the probe with one line', async () => {
    // 1 ms: no Python starts, imports torch and answers within it.
    const r = await run(['probe', join(fix, 'known.py'), '--model', 'Known', '--input-shape', '2,4', '--timeout', '0.001']);
    assert.equal(r.code, 2);
    assert.equal(r.err.trim(), "activation-inspector probe: timed out after 0.001 s (the probe's time limit); the Python process group was killed");
  });

  it('a cancel kills the whole process group, grandchildren included', async () => {
    const pidFile = join(inst, 'child.pid');
    const ac = new AbortController();
    process.env.AI_TEST_PIDFILE = pidFile;
    const pending = runProbe({ python: PY, file: join(fix, 'slow_import.py'), model: 'X', inputShape: '2', signal: ac.signal, packageDir: join(root, 'python') });
    // Cancel once the user's code has started its child (an event, not a delay).
    while (!existsSync(pidFile) || !readFileSync(pidFile, 'utf8')) await new Promise((res) => setTimeout(res, 50));
    const pid = Number(readFileSync(pidFile, 'utf8'));
    ac.abort();
    const outcome = await pending;
    delete process.env.AI_TEST_PIDFILE;
    assert.deepEqual([outcome.ok, outcome.ok ? '' : outcome.error], [false, 'cancelled']);
    // The grandchild got SIGKILL with its group; wait until it is gone or a zombie.
    for (;;) {
      const st = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
      if (st.status !== 0 || st.stdout.trim().startsWith('Z')) break;
      await new Promise((res) => setTimeout(res, 50));
    }
  });

  it('python-path and runs: a watched 60-step training logs every 10 steps', async () => {
    const p = await run(['python-path']);
    assert.equal(p.code, 0, p.err);
    const pyPath = p.out.trim();
    assert.ok(existsSync(join(pyPath, 'activation_inspector', '__init__.py')), pyPath);
    const runs = mkdtempSync(join(tmpdir(), 'ai-runs-'));
    const t = spawnSync(PY, [join(fix, 'train_watch.py'), '10', '60', runs], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: pyPath } });
    assert.equal(t.status, 0, t.stderr);
    const expected = (t.stdout.trim().split('\n')[1] ?? '').split(',').map(Number);
    const r = await run(['runs', '--dir', runs, '--json']);
    assert.equal(r.code, 0, r.err);
    const all = JSON.parse(r.out);
    assert.equal(all.length, 1);
    assert.equal(all[0].run, 'fixture');
    assert.deepEqual(all[0].steps, [10, 20, 30, 40, 50, 60]);
    assert.equal(all[0].sites.length, 1);
    const s = all[0].sites[0];
    assert.deepEqual([s.name, s.kind, s.file, s.line], ['1', 'relu', join(fix, 'train_watch.py'), 13]);
    assert.deepEqual(s.dead_fraction, expected);
    assert.equal(s.saturated_fraction.length, 6);
    assert.equal(s.grad_norm.length, 6);
    for (const g of s.grad_norm) assert.ok(g > 0);
  });

  it('usage errors are one line and exit 2', async () => {
    for (const args of [['probe', join(fix, 'known.py'), '--model', 'Known'], ['probe', join(fix, 'nope.py'), '--model', 'X', '--input-shape', '2'], ['probe', join(fix, 'known.py'), '--model', 'Known', '--input-shape', '2,a'], ['runs', '--dir', join(inst, 'missing')]]) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
  });
});
