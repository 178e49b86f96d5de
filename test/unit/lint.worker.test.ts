// The lint worker as the extension runs it: the real esbuild bundle in a worker thread.
// Findings equal the in-process linter's; a newer text for the same document supersedes a
// waiting one (never linted); notebooks map findings to cells; a dead worker is replaced.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lintCells, lintText } from '../../src/code/lint';
import { LintClient } from '../../src/worker/lintClient';
import { isLintReply, isLintRequest } from '../../src/worker/lintProtocol';

const dir = mkdtempSync(join(tmpdir(), 'ai-lint-worker-'));
const workerPath = join(dir, 'lintWorker.js');
const SOFTMAX_CE = 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\nloss_fn = nn.CrossEntropyLoss()\nsm = nn.Softmax()\n';
const job = (key: string, text: string) => ({ key, lang: 'python' as const, parts: [text], cells: false, severities: {} });

describe('lint worker', function () {
  this.timeout(60_000);
  let client: LintClient;
  before(async () => {
    await build({ entryPoints: [join(__dirname, '..', '..', 'src', 'worker', 'lintWorker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerPath, logLevel: 'error' });
  });
  beforeEach(() => {
    client = new LintClient(workerPath);
  });
  afterEach(() => client.dispose());

  it('returns the same findings as linting in-process', async () => {
    const r = await client.lint(job('a.py', SOFTMAX_CE));
    assert.equal(r.status, 'done');
    const want = lintText(SOFTMAX_CE, 'python');
    assert.ok(want.length >= 2, 'the text has findings');
    assert.deepEqual(r.status === 'done' ? r.findings : [], want.map((finding) => ({ part: 0, finding })));
  });

  it('severity settings travel with the request', async () => {
    const r = await client.lint({ ...job('a.py', SOFTMAX_CE), severities: { AI007: 'off', AI001: 'error' } });
    assert.equal(r.status, 'done');
    const codes = r.status === 'done' ? r.findings.map((x) => `${x.finding.code}:${x.finding.severity}`) : [];
    assert.ok(codes.includes('AI001:error'), codes.join(' '));
    assert.ok(!codes.some((c) => c.startsWith('AI007')), codes.join(' '));
  });

  it('a newer text for the same document supersedes a waiting one; other documents are kept', async () => {
    const first = client.lint(job('a.py', SOFTMAX_CE)); // in flight at once
    const stale = client.lint(job('a.py', 'import torch.nn as nn\nsm = nn.Softmax()\n'));
    const other = client.lint(job('b.py', 'import torch.nn as nn\nsm = nn.Softmax()\n'));
    const latest = client.lint(job('a.py', 'x = 1\n'));
    assert.equal((await first).status, 'done');
    assert.deepEqual(await stale, { status: 'superseded' });
    const o = await other;
    assert.deepEqual(o.status === 'done' ? o.findings.map((x) => x.finding.code) : o, ['AI007']);
    assert.deepEqual(await latest, { status: 'done', findings: [] });
  });

  it('notebook cells are linted together and findings mapped to their cell', async () => {
    const cells = ['import torch.nn as nn', 'x = 1', 'sm = nn.Softmax()'];
    const r = await client.lint({ key: 'nb', lang: 'python', parts: cells, cells: true, severities: {} });
    assert.equal(r.status, 'done');
    const want = lintCells(cells).map((x) => ({ part: x.cell, finding: x.finding }));
    assert.deepEqual(want.map((x) => x.part), [2]);
    assert.deepEqual(r.status === 'done' ? r.findings : [], want);
  });

  it('a missing worker bundle fails the request (the caller lints in-process), never rejects', async () => {
    const broken = new LintClient(join(dir, 'missing.js'));
    const r = await broken.lint(job('a.py', SOFTMAX_CE));
    assert.equal(r.status, 'failed');
    broken.dispose();
  });

  it('dispose answers waiting requests', async () => {
    const a = client.lint(job('a.py', SOFTMAX_CE));
    const b = client.lint(job('b.py', SOFTMAX_CE));
    client.dispose();
    assert.deepEqual(await a, { status: 'superseded' });
    assert.deepEqual(await b, { status: 'superseded' });
    assert.equal((await client.lint(job('c.py', 'x = 1'))).status, 'failed');
  });

  it('messages are validated on arrival', () => {
    assert.ok(isLintRequest({ type: 'lint', id: 1, lang: 'python', parts: ['x'], cells: false, severities: {} }));
    for (const bad of [null, {}, { type: 'lint', id: 1.5, lang: 'python', parts: ['x'], cells: false, severities: {} }, { type: 'lint', id: 1, lang: 'rust', parts: ['x'], cells: false, severities: {} }, { type: 'lint', id: 1, lang: 'python', parts: [], cells: false, severities: {} }]) {
      assert.ok(!isLintRequest(bad), JSON.stringify(bad));
    }
    assert.ok(isLintReply({ type: 'findings', id: 1, findings: [] }));
    assert.ok(!isLintReply({ type: 'findings', id: 1, findings: [{ part: 0, finding: { code: 'AI999' } }] }));
  });
});
