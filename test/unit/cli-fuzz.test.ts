// Oversized and malformed input to every CLI command, in-process through the injected I/O
// (fast), plus a few cases through the real bundle in a child process: every case ends with
// exit 0, 1 or 2 and at most a few lines on stderr — never a stack trace, an internal error,
// an out-of-memory or a hang. Bounded by construction: limits refuse before allocating, and
// trainings that pass run under a small --max-work.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { EXIT_CODES, main } from '../../src/cli/main';
import { COMMANDS } from '../../src/cli/commands';
import type { CliIo } from '../../src/cli/io';
import { allEntries } from '../../src/engine/activations/registry';

interface Ran {
  code: number;
  out: string;
  err: string[];
}

/** Runs the CLI core with a virtual file system. */
async function run(argv: string[], files: Record<string, string> = {}): Promise<Ran> {
  let out = '';
  const err: string[] = [];
  const io: CliIo = {
    out: (s) => void (out += s.endsWith('\n') ? s : `${s}\n`),
    write: (s) => void (out += s),
    err: (s) => void err.push(...s.replace(/\n$/, '').split('\n')),
    readFile: (p) => {
      const t = Object.hasOwn(files, p) ? files[p] : undefined;
      if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return t;
    },
    listDir: (p) => (p === 'dir' ? Object.keys(files).filter((f) => f.startsWith('dir/')).map((f) => ({ name: f.slice(4), dir: false })) : undefined),
  };
  const code = await main(argv, io);
  return { code, out, err };
}

/** Mostly a valid 2-…-1 network (so the limits are reached), sometimes the raw draw (invalid ends). */
function fcSizes(sizes: number[]): number[] {
  return sizes.length % 3 === 0 ? sizes : [2, ...sizes.slice(1, -1), 1];
}

/** The contract every case must keep. */
function contract(r: Ran, what: string): void {
  const msg = `${what}\nexit ${r.code}\nstderr: ${r.err.join('\n')}`;
  assert.ok(r.code === 0 || r.code === 1 || r.code === 2, msg);
  assert.ok(r.err.length <= 3, msg);
  for (const l of r.err) {
    assert.ok(!/internal error/i.test(l), msg);
    assert.ok(!/^\s+at /.test(l), msg);
  }
  if (r.code === 2) {
    assert.equal(r.err.length, 1, msg);
    assert.match(r.err[0] ?? '', /^activation-inspector/, msg);
  }
}

const NAMES = [...new Set(allEntries().flatMap((e) => [e.def.id, ...e.bindings.flatMap((b) => b.names)]))];
const FRAMEWORKS = ['torch', 'keras', 'jax', 'tf', 'tfjs'];

const word = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.constantFrom(...NAMES).map((n) => n.toUpperCase()),
  fc.constantFrom(...NAMES).map((n) => `${n}x`),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', '__proto__', 'constructor', 'toString', 'x'.repeat(5000)),
);
const numberText = fc.oneof(
  fc.double().map(String),
  fc.integer().map(String),
  fc.constantFrom('inf', '-inf', 'Infinity', '1e400', '-1e400', 'nan', 'NaN', '1/0', '0/0', '', 'abc', '0x10', '1e', '--1', 'None', 'true', 'tanh', 'none', 'exact'),
);

describe('CLI fuzz: malformed and oversized input (in-process)', function () {
  this.timeout(240_000);

  it('eval: names, parameters and points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...FRAMEWORKS), word),
        word,
        fc.array(fc.tuple(fc.oneof(fc.constantFrom('negative_slope', 'alpha', 'approximate', 'max_value', 'min_val', 'max_val', 'beta', 'threshold', 'dim', 'lambd'), word), numberText), { maxLength: 3 }),
        fc.array(numberText, { minLength: 0, maxLength: 8 }),
        fc.option(fc.constantFrom('full', 'diag', 'none', 'half', ''), { nil: undefined }),
        fc.boolean(),
        async (fw, fn, params, xs, jac, json) => {
          const argv = ['eval', '--framework', fw, '--fn', fn, ...params.flatMap(([k, v]) => ['--param', `${k}=${v}`]), '--x', xs.join(',')];
          if (jac !== undefined) argv.push('--jacobian', jac);
          if (json) argv.push('--json');
          const r = await run(argv);
          contract(r, argv.join(' '));
          if (r.code === 0 && json) {
            const j = JSON.parse(r.out) as Record<string, unknown>;
            // infinite parameters print as "inf", never null (only Python None is null)
            for (const v of Object.values(j.params as object)) assert.notEqual(typeof v === 'number' && !Number.isFinite(v), true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('eval: vector inputs of any size — full Jacobian refused above 1000, diag/none stream', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('softmax', 'log_softmax', 'softmin', 'glu'), fc.integer({ min: 1, max: 30_000 }), fc.constantFrom(undefined, 'full', 'diag', 'none'), async (fn, n, jac) => {
        const x = JSON.stringify(Array.from({ length: n }, (_, i) => Math.sin(i) * 5));
        const argv = ['eval', '--framework', 'torch', '--fn', fn, '--x-file', 'x.json', '--json', ...(jac ? ['--jacobian', jac] : [])];
        const r = await run(argv, { 'x.json': x });
        contract(r, `${fn} n=${n} ${jac}`);
        if ((jac ?? 'full') === 'full' && n > 1000) {
          assert.equal(r.code, 2);
          assert.match(r.err[0] ?? '', /full Jacobians are limited to 1000 inputs .* --jacobian diag/);
        }
        if (r.code === 0) {
          const j = JSON.parse(r.out) as { y: unknown[]; jacobian?: unknown[][]; jacobian_diag?: unknown[] };
          const m = fn === 'glu' ? n / 2 : n;
          assert.equal(j.y.length, m);
          if ((jac ?? 'full') === 'full') assert.equal(j.jacobian?.length, m);
          if (jac === 'diag') assert.equal(j.jacobian_diag?.length, m);
          if (jac === 'none') assert.equal(j.jacobian, undefined);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('eval: malformed point files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 50 }), fc.json(), fc.constantFrom('[', '[1,2', '{"x":[1]}', '[[1,2]]', '["inf","nan",1e999]', '\u0000\u0001', '[]')), async (text) => {
        const r = await run(['eval', '--framework', 'torch', '--fn', 'relu', '--x-file', 'p.json', '--json'], { 'p.json': text });
        contract(r, JSON.stringify(text));
      }),
      { numRuns: 200 },
    );
  });

  it('train: sizes, steps, data and optimizers — refused before allocating or run under a small work limit', async () => {
    const size = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, -1, 1.5, 30000, 100000, 1e9, 1e300));
    await fc.assert(
      fc.asyncProperty(
        fc.array(size, { minLength: 1, maxLength: 5 }),
        fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, -5, 2.5, 1e7, 1e12, 1e300)),
        fc.constantFrom('sgd', 'adam', 'adamw', 'rmsprop', 'lbfgs'),
        fc.oneof(fc.integer({ min: 4, max: 300 }), fc.constantFrom(1e6, 1e9, 1e15, 3, 0)),
        fc.option(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom(0, 1e9)), { nil: undefined }),
        fc.constantFrom('float64', 'float32'),
        async (sizes, steps, kind, n, batch, precision) => {
          const spec = {
            id: 'f', task: 'binary', loss: 'bce_with_logits', data: { kind: 'moons', n }, sizes: fcSizes(sizes),
            activations: sizes.slice(1, -1).map(() => ({ framework: 'torch', name: 'relu', params: {} })), output_activation: 'linear',
            init: { scheme: 'kaiming_uniform' }, optimizer: { kind, lr: 0.01 }, steps, seed: 1, ...(batch !== undefined ? { batch_size: batch } : {}), precision,
          };
          const argv = ['train', '--spec', 's.json', '--json', '--max-work', '2e7'];
          const r = await run(argv, { 's.json': JSON.stringify(spec) });
          contract(r, JSON.stringify(spec));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('train: the issue\'s oversized requests are one-line refusals naming the limit and the override', async () => {
    const base = { id: 'b', task: 'binary', loss: 'bce_with_logits', data: { kind: 'moons', n: 200 }, output_activation: 'linear', init: { scheme: 'kaiming_uniform' }, optimizer: { kind: 'adam', lr: 0.01 }, seed: 1 };
    const relu = { framework: 'torch', name: 'relu', params: {} };
    const cases: [object, RegExp][] = [
      [{ ...base, sizes: [2, 30000, 30000, 1], activations: [relu, relu], steps: 100 }, /^activation-inspector train: a 2-30000-30000-1 network with Adam \(float64\) needs about [\d.]+ GiB of memory .*the limit is 2 GiB — set --max-memory to override$/],
      [{ ...base, sizes: [2, 100000, 100000, 1], activations: [relu, relu], steps: 100 }, /needs about [\d.]+ GiB of memory/],
      [{ ...base, sizes: [2, 8, 1], activations: [relu], steps: 10_000_000 }, /print up to 238 MiB of results .* --max-output/],
    ];
    for (const [spec, want] of cases) {
      const r = await run(['train', '--spec', 's.json', '--json'], { 's.json': JSON.stringify(spec) });
      contract(r, JSON.stringify(spec));
      assert.equal(r.code, 2);
      assert.match(r.err[0] ?? '', want);
    }
    // the override lets a refused run through to the next limit
    const r = await run(['train', '--spec', 's.json', '--max-output', '1GiB', '--max-work', '1e5'], { 's.json': JSON.stringify(cases[2]?.[0]) });
    assert.equal(r.code, 2);
    assert.match(r.err[0] ?? '', /multiply-adds; the limit is 100000 — .*--max-work/);
  });

  it('explain and lint: positions past the end, binary and undecodable files', async () => {
    const content = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('import torch\nx = torch.relu(y)\n', 'ELF\u0000\u0001\u0002', 'caf\uFFFD', '', '\n\n\n', '{"cells": [}', '{"cells": []}'),
    );
    await fc.assert(
      fc.asyncProperty(content, fc.constantFrom('a.py', 'a.ipynb', 'a.js', 'a.ts', 'a.txt'), fc.oneof(fc.integer({ min: -2, max: 1000 }).map(String), fc.constantFrom('abc', '1e3', '')), fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('x')), async (text, name, line, col) => {
        const files = { [name]: text, [`dir/${name}`]: text, 'dir/ok.py': 'import torch\nx = torch.relu(y)\n' };
        const e = await run(['explain', '--file', name, '--line', line, '--column', col, '--json'], files);
        contract(e, `explain ${name} ${line}:${col} ${JSON.stringify(text).slice(0, 80)}`);
        if (e.code === 0 && /^\d+$/.test(line)) assert.ok(Number(line) <= Math.max(1, text.split('\n').length), `line ${line} past the end answered`);
        const l = await run(['lint', name, 'dir'], files);
        contract(l, `lint ${name} ${JSON.stringify(text).slice(0, 80)}`);
        if (/\u0000/.test(text) && /\.(py|js|ts|ipynb)$/.test(name)) assert.ok(l.err.some((x) => /not linted/.test(x)), 'binary reported');
      }),
      { numRuns: 200 },
    );
  });

  it('show, list and unknown commands or options', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('show', 'list', 'eval', 'train', 'explain', 'lint', 'nope', '--nope', ''), fc.array(fc.oneof(word, fc.constantFrom('--framework', '--json', '--help', '--x', '--', '-h', '--version')), { maxLength: 4 }), async (cmd, rest) => {
        const argv = cmd ? [cmd, ...rest] : rest;
        const r = await run(argv, {});
        contract(r, argv.join(' '));
      }),
      { numRuns: 300 },
    );
  });

  it('--help for the tool and every command exits 0; --version prints the version; the help lists the exit codes', async () => {
    for (const c of COMMANDS) {
      const r = await run([c.name, '--help']);
      assert.equal(r.code, 0, c.name);
      assert.match(r.out, new RegExp(`^usage: activation-inspector ${c.name}`));
    }
    const h = await run(['--help']);
    assert.equal(h.code, 0);
    for (const l of EXIT_CODES) assert.ok(h.out.includes(l), l);
    const v = await run(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.out, /^activation-inspector \d+\.\d+\.\d+\n$/);
  });
});

describe('CLI limits through the real bundle (child process)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'ai-fuzz-'));
  const cli = join(dir, 'cli.js');
  before(async () => {
    await build({ entryPoints: [join(__dirname, '..', '..', 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'error' });
  });
  const spawn = (...args: string[]): { code: number; out: string; err: string } => {
    // A V8 heap far below what the refused requests would need: a refusal must come first.
    const r = spawnSync(process.execPath, ['--max-old-space-size=256', cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };
  const oneLine = (r: { code: number; err: string }): void => {
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(!/internal error|^\s+at /m.test(r.err), r.err);
  };

  it('softmax over 20,000 points: full refused in one line; diag streams within a 256 MB heap', () => {
    const f = join(dir, 'x.json');
    writeFileSync(f, JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i / 1000)));
    oneLine(spawn('eval', '--framework', 'torch', '--fn', 'softmax', '--x-file', f, '--json'));
    const d = spawn('eval', '--framework', 'torch', '--fn', 'softmax', '--x-file', f, '--json', '--jacobian', 'diag');
    assert.equal(d.code, 0, d.err);
    const j = JSON.parse(d.out) as { y: number[]; jacobian_diag: number[] };
    assert.equal(j.jacobian_diag.length, 20_000);
    const s = j.y[5] as number;
    assert.equal(j.jacobian_diag[5], s * (1 - s));
  });

  it('a 2-100000-100000-1 network and 10⁷ steps are refused in one line under a 256 MB heap', () => {
    const relu = { framework: 'torch', name: 'relu', params: {} };
    const base = { id: 'b', task: 'binary', loss: 'bce_with_logits', data: { kind: 'moons', n: 200 }, output_activation: 'linear', init: { scheme: 'kaiming_uniform' }, optimizer: { kind: 'adam', lr: 0.01 }, seed: 1 };
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ ...base, sizes: [2, 100000, 100000, 1], activations: [relu, relu], steps: 100 }));
    oneLine(spawn('train', '--spec', big, '--json'));
    const long = join(dir, 'long.json');
    writeFileSync(long, JSON.stringify({ ...base, sizes: [2, 8, 1], activations: [relu], steps: 10_000_000 }));
    oneLine(spawn('train', '--spec', long, '--json'));
  });

  it('infinite parameters: refused, or accepted and printed as "inf"', () => {
    const r = spawn('eval', '--framework', 'torch', '--fn', 'leaky_relu', '--param', 'negative_slope=1e400', '--x', '1');
    oneLine(r);
    assert.match(r.err, /negative_slope must be a finite number, got "1e400"/);
    const ok = spawn('eval', '--framework', 'keras', '--fn', 'relu', '--param', 'max_value=inf', '--x', '1', '--json');
    assert.equal(ok.code, 0, ok.err);
    assert.equal(JSON.parse(ok.out).params.max_value, 'inf');
  });

  it('a reader that stops early (EPIPE) ends quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" list | head -c 10 >/dev/null`], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.ok(!/EPIPE|at /.test(r.stderr), r.stderr);
  });

  it('--version and --help', () => {
    const v = spawn('--version');
    assert.equal(v.code, 0);
    assert.match(v.out, /^activation-inspector \d+\.\d+\.\d+$/m);
    for (const c of ['eval', 'train', 'explain', 'lint', 'show', 'list']) assert.equal(spawn(c, '--help').code, 0, c);
  });
});

describe('CLI train: progress and Ctrl-C (child process)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'ai-sigint-'));
  const cli = join(dir, 'cli.js');
  before(async () => {
    await build({ entryPoints: [join(__dirname, '..', '..', 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: cli, logLevel: 'error' });
  });

  it('shows progress on stderr and stops cleanly on SIGINT (exit 130, one line, nothing printed)', async () => {
    const { spawn } = await import('node:child_process');
    const relu = { framework: 'torch', name: 'relu', params: {} };
    const spec = join(dir, 'long.json');
    // far more work than the test will wait for: it must be interrupted, not finish
    writeFileSync(spec, JSON.stringify({ id: 'l', task: 'binary', loss: 'bce_with_logits', data: { kind: 'moons', n: 200 }, sizes: [2, 64, 64, 1], activations: [relu, relu], output_activation: 'linear', init: { scheme: 'kaiming_uniform' }, optimizer: { kind: 'adam', lr: 0.01 }, steps: 2_000_000, seed: 1 }));
    const child = spawn(process.execPath, [cli, 'train', '--spec', spec, '--json', '--max-work', '1e15', '--max-output', '1GiB'], { env: { ...process.env, ACTIVATION_INSPECTOR_PROGRESS: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString();
        if (/step \d+\/2000000/.test(err)) resolve();
      });
    });
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, err);
    assert.equal(out, '');
    const lines = err.replace(/\r[^\n]*\n?/g, '').split('\n').filter((l) => l.trim() && !l.includes('\x1b'));
    assert.deepEqual(lines.length, 1, err);
    assert.match(lines[0] ?? '', /^interrupted at step \d+ of 2000000; nothing printed$/);
  });
});
