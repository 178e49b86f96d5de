// `activation-inspector lint FILE… [--json]`: the JSON contract (1-based positions that
// point at the flagged text), exit codes 0/1/2, notebooks, and the built CLI end to end.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { lintCommand, type JsonFinding } from '../../src/cli/lint';
import { processIo } from '../../src/cli/io';

const FIX = join(__dirname, '..', 'fixtures', 'lint');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await lintCommand(argv, { ...processIo, out: (s) => void (out += `${s}\n`), err: (s) => void (err += `${s}\n`) });
  return { code, out, err };
}

describe('lint CLI', () => {
  it('--json prints 1-based findings whose ranges cover the flagged code; exit 1', async () => {
    const file = join(FIX, 'pos', 'torch_seq_softmax_ce.py');
    const r = await run([file, '--json']);
    assert.strictEqual(r.code, 1);
    const found = JSON.parse(r.out) as JsonFinding[];
    assert.strictEqual(found.length, 1);
    const f = found[0] as JsonFinding;
    assert.deepStrictEqual(Object.keys(f), ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message']);
    assert.strictEqual(f.file, file);
    assert.strictEqual(f.code, 'AI001');
    assert.strictEqual(f.severity, 'warning');
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.strictEqual(f.line, f.endLine);
    assert.strictEqual(lines[f.line - 1]?.slice(f.column - 1, f.endColumn - 1), 'nn.Softmax(dim=1)');
  });

  it('exit 0 and an empty array for idiomatic code', async () => {
    const r = await run(['--json', join(FIX, 'neg', 'torch_mlp_ce.py'), join(FIX, 'neg', 'keras_softmax_sparse_string.py')]);
    assert.strictEqual(r.code, 0);
    assert.deepStrictEqual(JSON.parse(r.out), []);
  });

  it('several files, notebooks and JS in one run; text output names file:line:column', async () => {
    const files = [join(FIX, 'pos', 'notebook_iris_softmax.ipynb'), join(FIX, 'pos', 'init_tfjs_zeros.js'), join(FIX, 'neg', 'jax_mlp_optax.py')];
    const j = await run([...files, '--json']);
    const found = JSON.parse(j.out) as JsonFinding[];
    assert.deepStrictEqual(found.map((f) => [f.file.split('/').pop(), f.code]), [['notebook_iris_softmax.ipynb', 'AI001'], ['init_tfjs_zeros.js', 'AI003']]);
    const nbLine = readFileSync(files[0] as string, 'utf8').split('\n')[(found[0] as JsonFinding).line - 1] ?? '';
    assert.match(nbLine.slice((found[0] as JsonFinding).column - 1), /^nn\.Softmax\(dim=-1\)/);
    const t = await run(files);
    assert.strictEqual(t.code, 1);
    assert.match(t.out, /notebook_iris_softmax\.ipynb:\d+:\d+: warning AI001 /);
    assert.match(t.out, /3 files checked: 2 findings/);
  });

  it('a directory stands for the files under it', async () => {
    let out = '';
    const code = await lintCommand([join(FIX, 'neg'), '--json'], { out: (x) => void (out += x), err: () => undefined, readFile: (p) => readFileSync(p, 'utf8'), listDir: (p) => (p.endsWith('neg') ? readdirSync(p, { withFileTypes: true }).map((d) => ({ name: d.name, dir: d.isDirectory() })) : undefined) });
    assert.strictEqual(code, 0);
    assert.deepStrictEqual(JSON.parse(out), []);
  });

  it('information-only findings exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    const f = join(dir, 'port.py');
    writeFileSync(f, 'import torch\nimport jax\ny = jax.nn.gelu(x)\n');
    const r = await run([f, '--json']);
    assert.deepStrictEqual((JSON.parse(r.out) as JsonFinding[]).map((x) => x.severity), ['information']);
    assert.strictEqual(r.code, 0);
  });

  it('usage errors exit 2: no files, a missing file, an unknown option, a broken notebook, an unknown file type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    const bad = join(dir, 'bad.ipynb');
    writeFileSync(bad, '{"cells": [');
    const txt = join(dir, 'notes.txt');
    writeFileSync(txt, 'nn.Softmax()');
    for (const argv of [[], ['--json'], [join(dir, 'missing.py')], ['--fix', join(FIX, 'neg', 'torch_mlp_ce.py')], [bad], [txt]]) {
      const r = await run(argv);
      assert.strictEqual(r.code, 2, `${argv.join(' ')} → ${r.code}`);
      assert.strictEqual(r.out, '', 'nothing on stdout');
      assert.match(r.err, /activation-inspector lint: /);
    }
  });

  it('in a directory, an unreadable or unparsable file is reported on stderr and the rest is linted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    writeFileSync(join(dir, 'a_empty.ipynb'), '');
    writeFileSync(join(dir, 'b_lfs.ipynb'), 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a\nsize 12345\n');
    writeFileSync(join(dir, 'c_model.py'), 'import torch.nn as nn\nhead = nn.Softmax()\n');
    writeFileSync(join(dir, 'd_binary.py'), Buffer.from([0, 1, 2, 255, 0, 10]));
    const r = await run([dir, '--json']);
    const found = JSON.parse(r.out) as JsonFinding[];
    assert.deepStrictEqual(found.map((f) => [f.file.split('/').pop(), f.code]), [['c_model.py', 'AI007']]);
    assert.strictEqual(r.code, 1, 'exit code from the files that were linted');
    assert.match(r.err, /skipped .*a_empty\.ipynb: empty file/);
    assert.match(r.err, /skipped .*b_lfs\.ipynb: a Git LFS pointer/);
    const clean = mkdtempSync(join(tmpdir(), 'lint-'));
    writeFileSync(join(clean, 'broken.ipynb'), '{"cells": [');
    writeFileSync(join(clean, 'ok.py'), 'import torch\n');
    const t = await run([clean]);
    assert.strictEqual(t.code, 0);
    assert.match(t.out, /1 file checked \(1 file not linted\): no findings/);
    assert.match(t.err, /skipped .*broken\.ipynb: /);
    // named explicitly, the same notebook is still a usage error
    assert.strictEqual((await run([join(clean, 'broken.ipynb')])).code, 2);
  });

  it("bytes that are not UTF-8 are reported as not linted; a U+FFFD the file itself holds (a notebook's saved output) is text", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-'));
    // Latin-1 "café" in a comment: byte 0xE9 alone is not UTF-8
    writeFileSync(join(dir, 'latin1.py'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nimport torch.nn as nn\nhead = nn.Softmax()\n')]));
    // a valid UTF-8 file whose output cell printed a replacement character
    const nb = { cells: [{ cell_type: 'code', source: ['import torch.nn as nn\n', 'head = nn.Softmax()\n'], outputs: [{ output_type: 'stream', name: 'stdout', text: ['tokenizer: \uFFFD unknown byte\n'] }], metadata: {}, execution_count: 1 }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(join(dir, 'replacement_char.ipynb'), JSON.stringify(nb), 'utf8');
    const r = await run([dir, '--json']);
    const found = JSON.parse(r.out) as JsonFinding[];
    assert.deepStrictEqual(found.map((f) => [f.file.split('/').pop(), f.code]), [['replacement_char.ipynb', 'AI007']]);
    assert.match(r.err, /latin1\.py: not linted: it is not valid UTF-8 text/);
    assert.doesNotMatch(r.err, /replacement_char/);
  });

  it('the CLI entry point dispatches lint with the same exit codes', function () {
    this.timeout(30_000);
    const main = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const cli = (args: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, ['--import', 'tsx', main, 'lint', ...args], { encoding: 'utf8' });
    const pos = cli(['--json', join(FIX, 'pos', 'softmax_no_dim_functional.py')]);
    assert.strictEqual(pos.status, 1, String(pos.stderr));
    assert.strictEqual((JSON.parse(String(pos.stdout)) as JsonFinding[])[0]?.code, 'AI007');
    assert.strictEqual(cli([join(FIX, 'neg', 'torch_mlp_ce.py')]).status, 0);
    assert.strictEqual(cli([]).status, 2);
  });
});
