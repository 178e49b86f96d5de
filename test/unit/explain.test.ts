// `activation-inspector explain`: the JSON shape, 1-based positions in .py/.js/.ts files,
// notebooks (file-relative and cell-relative positions, imports of earlier cells) and
// usage errors.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainCommand, explainText } from '../../src/cli/explain';
import { NOTEBOOK_SNIPPETS } from '../fixtures/code/notebooks';
import { captureOutput } from './support/captureOutput';

interface Out {
  match: null | {
    framework: string;
    fn: string;
    id: string;
    params: Record<string, unknown>;
    range: { start: { line: number; column: number }; end: { line: number; column: number } };
    cell?: { index: number; range: { start: { line: number; column: number }; end: { line: number; column: number } } };
  };
  markdown?: string;
}

function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return captureOutput(() => explainCommand(argv));
}

async function json(argv: string[]): Promise<Out> {
  const r = await run([...argv, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Out;
}

const dir = mkdtempSync(join(tmpdir(), 'ai-explain-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** 1-based line/column of the first occurrence of `needle` (+ `delta` characters). */
function pos(text: string, needle: string, delta = 0): [string, string] {
  const at = text.indexOf(needle) + delta;
  assert.ok(at >= delta, `no ${needle}`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const col = at - before.lastIndexOf('\n');
  return [String(line), String(col)];
}

describe('explain CLI', () => {
  const py = 'import torch.nn as nn\nimport torch.nn.functional as F\n\nact = nn.LeakyReLU(\n    negative_slope=1/3,\n    inplace=True,\n)\n';

  it('Python: framework, fn, resolved params (framework spelling) and a 1-based range', async () => {
    const p = file('model.py', py);
    const [line, column] = pos(py, 'LeakyReLU', 2);
    const out = await json(['--file', p, '--line', line, '--column', column]);
    assert.ok(out.match);
    assert.equal(out.match.framework, 'torch');
    assert.equal(out.match.fn, 'LeakyReLU');
    assert.equal(out.match.id, 'leaky_relu');
    assert.ok(Math.abs((out.match.params['negative_slope'] as number) - 1 / 3) < 1e-15);
    assert.deepEqual(out.match.range, { start: { line: 4, column: 7 }, end: { line: 4, column: 19 } });
    assert.match(out.markdown ?? '', /^\*\*Leaky ReLU\*\* — PyTorch/);
  });

  it('fills in framework defaults', async () => {
    const text = 'import tensorflow as tf\ny = tf.nn.leaky_relu(x)\n';
    const p = file('tfmodel.py', text);
    const out = await json(['--file', p, ...flags(pos(text, 'leaky_relu'))]);
    assert.deepEqual(out.match?.params, { alpha: 0.2 });
    assert.equal(out.match?.framework, 'tf');
  });

  it('no activation → {"match": null}', async () => {
    const p = file('none.py', py);
    const r = await run(['--file', p, '--line', '3', '--column', '1', '--json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { match: null });
    // Line 4 is `act = nn.LeakyReLU(` (19 characters): column 20 is just after it, 21 is past it.
    assert.equal((await json(['--file', p, '--line', '4', '--column', '19'])).match, null, 'on the parenthesis');
    assert.deepEqual(await json(['--file', p, '--line', '4', '--column', '20']), { match: null });
  });

  it('a position past the end of the file or of its line is exit 2 naming the length', async () => {
    const p = file('none.py', py);
    const lines = py.endsWith('\n') ? py.split('\n').length - 1 : py.split('\n').length;
    const beyond = await run(['--file', p, '--line', '99', '--column', '1', '--json']);
    assert.equal(beyond.code, 2);
    assert.equal(beyond.stdout, '');
    assert.match(beyond.stderr, new RegExp(`none\\.py has ${lines} lines; --line 99 is past its end`));
    const wide = await run(['--file', p, '--line', '4', '--column', '40', '--json']);
    assert.equal(wide.code, 2);
    assert.match(wide.stderr, /line 4 of .*none\.py has 19 characters; --column 40 is past its end/);
  });

  it('JavaScript and TypeScript (TF.js)', async () => {
    const text = "import * as tf from '@tensorflow/tfjs';\nconst m = tf.sequential();\nm.add(tf.layers.dense({units: 8, activation: 'relu'}));\n";
    for (const name of ['model.js', 'model.ts']) {
      const p = file(name, text);
      const out = await json(['--file', p, ...flags(pos(text, "'relu'", 1))]);
      assert.equal(out.match?.framework, 'tfjs');
      assert.equal(out.match?.fn, 'relu');
      assert.deepEqual(out.match?.range, { start: { line: 3, column: 46 }, end: { line: 3, column: 52 } });
    }
  });

  describe('notebooks', () => {
    const nbPath = join(__dirname, '..', 'fixtures', 'code', 'notebook.ipynb');
    const raw = readFileSync(nbPath, 'utf8');

    it('file-relative positions: imports from earlier cells, escapes mapped back', async () => {
      const out = await json(['--file', nbPath, ...flags(pos(raw, 'F.gelu', 3))]);
      assert.equal(out.match?.framework, 'torch');
      assert.equal(out.match?.fn, 'gelu');
      assert.deepEqual(out.match?.params, { approximate: 'tanh' });
      const [l, c] = pos(raw, 'F.gelu');
      assert.deepEqual(out.match?.range.start, { line: Number(l), column: Number(c) });
      assert.deepEqual(out.match?.range.end, { line: Number(l), column: Number(c) + 'F.gelu'.length });
      assert.equal(out.match?.cell?.index, 2);
      assert.deepEqual(out.match?.cell?.range, { start: { line: 3, column: 5 }, end: { line: 3, column: 11 } });
    });

    it('a string in code or markdown cells is not a hover', async () => {
      assert.deepEqual(await json(['--file', nbPath, ...flags(pos(raw, '\\"relu\\"', 3))]), { match: null });
      assert.deepEqual(await json(['--file', nbPath, ...flags(pos(raw, 'nn.GELU()', 4))]), { match: null });
    });

    it('cell-relative positions with --cell (1-based)', async () => {
      const out = await json(['--file', nbPath, '--cell', '3', '--line', '2', '--column', '10']);
      assert.equal(out.match?.fn, 'LeakyReLU');
      assert.deepEqual(out.match?.params, { negative_slope: 0.2 });
      const last = await json(['--file', nbPath, '--cell', '4', '--line', '1', '--column', '12']);
      assert.equal(last.match?.id, 'relu');
      assert.match(last.markdown ?? '', /0\.5 at x = 0/);
      const method = await json(['--file', nbPath, '--cell', '4', '--line', '2', '--column', '7']);
      assert.equal(method.match?.fn, 'relu');
    });
  });

  describe('notebook corpus (positions in the .ipynb file)', () => {
    for (const s of NOTEBOOK_SNIPPETS) {
      it(`${s.expect ? '✓' : '✗'} ${s.name}`, () => {
        const cells = s.cells.map((src) => {
          const md = src.startsWith('# md\n');
          const body = md ? src.slice(5) : src;
          const lines = body.split(/(?<=\n)/);
          return md ? { cell_type: 'markdown', metadata: {}, source: lines } : { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: lines };
        });
        const withCursor = JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
        const at = withCursor.indexOf('‸');
        assert.ok(at > 0);
        const raw = withCursor.slice(0, at) + withCursor.slice(at + 1);
        const before = raw.slice(0, at);
        const line = before.split('\n').length;
        const column = at - before.lastIndexOf('\n');
        const out = explainText(raw, 'nb.ipynb', line, column);
        if (!s.expect) {
          assert.equal(out.match, null, JSON.stringify(out.match));
          return;
        }
        const m = out.match;
        assert.ok(m, 'no match');
        assert.equal(m.framework, s.expect.framework);
        assert.equal(m.fn, s.expect.fn);
        assert.equal(m.id, s.expect.id);
        if (s.expect.kind) assert.equal(m.kind, s.expect.kind);
        for (const [k, v] of Object.entries(s.expect.params ?? {})) assert.deepEqual(m.params[k], v, k);
        // The file range lies on the cursor's line and covers it; the cell range points at the same text.
        assert.equal(m.range.start.line, line);
        assert.ok(m.range.start.column <= column && column <= m.range.end.column);
        if (s.expect.range) {
          const fileLine = raw.split('\n')[line - 1] as string;
          assert.equal(fileLine.slice(m.range.start.column - 1, m.range.end.column - 1), s.expect.range);
          const cell = cells[m.cell?.index ?? -1];
          const cellText = (cell?.source ?? []).join('').replace('‸', '').split('\n')[(m.cell?.range.start.line ?? 0) - 1] as string;
          assert.equal(cellText.slice((m.cell?.range.start.column ?? 0) - 1, (m.cell?.range.end.column ?? 0) - 1), s.expect.range);
        }
      });
    }
  });

  it('text output without --json', async () => {
    const p = file('text.py', py);
    const r = await run(['--file', p, '--line', '4', '--column', '10']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^torch LeakyReLU \(leaky_relu\) at 4:7-4:19: negative_slope=0\.333/);
    assert.ok(!r.stdout.includes('data:image'));
  });

  it('bad usage exits 2 with a message', async () => {
    const p = file('u.py', py);
    for (const argv of [[], ['--file', p], ['--file', p, '--line', '0', '--column', '1'], ['--file', p, '--line', 'x', '--column', '1'], ['--file', p, '--line', '1', '--column', '1', '--bogus'], ['--file', join(dir, 'missing.py'), '--line', '1', '--column', '1'], ['--file', file('a.txt', 'x'), '--line', '1', '--column', '1'], ['--file', file('bad.ipynb', '{not json'), '--line', '1', '--column', '1']]) {
      const r = await run(argv);
      assert.equal(r.code, 2, `argv ${argv.join(' ')}`);
      assert.ok(r.stderr.length > 0 && !r.stderr.includes('    at '), r.stderr);
      assert.equal(r.stdout, '');
    }
  });
});

function flags([line, column]: [string, string]): string[] {
  return ['--line', line, '--column', column];
}
