// `explain` on activations a notebook defines itself, through the CLI command: stand-in notebooks
// in the shape of rasbt/LLMs-from-scratch's (test/fixtures/custom-activations/notebooks). A
// module defined in one cell is found at its uses in later cells, positions are in the .ipynb
// file (or, with --cell, in the cell), and the gated SwiGLU FeedForward is
// {"kind": "gated"} with a = the value projection and b = the gate.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainCommand } from '../../src/cli/explain';
import { parseNotebook } from '../../src/code/notebook';
import { compileScalar, parseExpr } from '../../src/engine/symbolic';
import { elementwiseKernel } from '../../src/engine/activations/registry';
import { captureOutput } from './support/captureOutput';

const DIR = join(__dirname, '../fixtures/custom-activations/notebooks');
const LLAMA = join(DIR, 'gpt-to-llama-block.ipynb');
const CH04 = join(DIR, 'gpt-block.ipynb');

interface P {
  line: number;
  column: number;
}
interface Match {
  kind: string;
  fn: string;
  expression: string;
  at: string;
  id?: string;
  gate?: string;
  a?: string;
  b?: string;
  range: { start: P; end: P };
  definition: P;
  cell?: { index: number; range: { start: P; end: P } };
  definitionCell?: { index: number; line: number; column: number };
}

async function explain(argv: string[]): Promise<{ code: number; match: Match | null; markdown: string; stderr: string }> {
  const { code, stdout, stderr } = await captureOutput(() => explainCommand([...argv, '--json', '--no-images']));
  const j = JSON.parse(stdout || '{"match": null}') as { match: Match | null; markdown?: string };
  return { code, match: j.match, markdown: j.markdown ?? '', stderr };
}

/** 1-based position in the .ipynb file of `word` on the first JSON line containing `context`. */
function inFile(file: string, context: string, word: string): P {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(context));
  assert.ok(i >= 0, `no line with ${context}`);
  const col = (lines[i] as string).indexOf(word, (lines[i] as string).indexOf(context));
  return { line: i + 1, column: col + 1 };
}

/** The 1-based (all cells counted) index of the first code cell whose source includes `needle`. */
function cellWith(file: string, needle: string): number {
  const nb = parseNotebook(readFileSync(file, 'utf8'));
  const c = nb.cells.find((x) => x.source.includes(needle));
  assert.ok(c, needle);
  return c.index + 1;
}

function at(p: P): string[] {
  return ['--line', String(p.line), '--column', String(p.column)];
}

describe('explain: custom activations in notebooks (LLMs-from-scratch-style notebooks)', () => {
  it('SiLU defined in one cell is found at `silu = SiLU()` in the next; identical to the catalog SiLU', async () => {
    const use = inFile(LLAMA, '"silu = SiLU()', 'SiLU');
    const r = await explain(['--file', LLAMA, ...at(use)]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.match);
    assert.equal(r.match.kind, 'expression');
    assert.equal(r.match.fn, 'SiLU');
    assert.equal(r.match.at, 'use');
    assert.equal(r.match.expression, 'x * sigmoid(x)');
    assert.deepEqual(r.match.range.start, use, 'the range is in the .ipynb file');
    const defCell = cellWith(LLAMA, 'class SiLU(nn.Module)');
    const useCell = cellWith(LLAMA, 'silu = SiLU()');
    assert.ok(useCell > defCell);
    assert.equal(r.match.cell?.index, useCell);
    assert.deepEqual(r.match.cell?.range.start, { line: 1, column: 8 });
    assert.equal(r.match.definitionCell?.index, defCell);
    assert.deepEqual(r.match.definition, inFile(LLAMA, '"class SiLU(nn.Module)', 'SiLU'));
    assert.match(r.markdown, new RegExp(`^\\*\\*SiLU\\*\\* — custom activation, module defined in cell ${defCell}, on line ${r.match.definitionCell?.line}`));
    assert.match(r.markdown, /\*\*Catalog:\*\* identical to SiLU/);
    // the expression is the catalog's SiLU
    const f = compileScalar(parseExpr(r.match.expression));
    const silu = elementwiseKernel('silu');
    for (let x = -8; x <= 8; x += 0.37) assert.ok(Math.abs(f(x) - silu.f(x)) <= 1e-15 * Math.max(1, Math.abs(x)));
  });

  it('the same use by --cell N (cell-relative line and column)', async () => {
    const useCell = cellWith(LLAMA, 'silu = SiLU()');
    const r = await explain(['--file', LLAMA, '--cell', String(useCell), '--line', '1', '--column', '9']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.match?.fn, 'SiLU');
    assert.equal(r.match?.cell?.index, useCell);
  });

  it('GPT block: the tanh GELU module defined in one cell, used as `gelu, relu = GELU(), nn.ReLU()` later, approximates GELU', async () => {
    const r = await explain(['--file', CH04, ...at(inFile(CH04, '"gelu, relu = GELU()', 'GELU'))]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.match?.kind, 'expression');
    assert.equal(r.match?.fn, 'GELU');
    assert.equal(r.match?.at, 'use');
    assert.ok((r.match?.cell?.index ?? 0) > (r.match?.definitionCell?.index ?? Infinity));
    // 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))) is the catalog's tanh GELU
    const f = compileScalar(parseExpr(r.match?.expression ?? ''));
    const g = elementwiseKernel('gelu', { approximate: true });
    for (let x = -6; x <= 6; x += 0.25) assert.ok(Math.abs(f(x) - g.f(x)) <= 1e-14, `x = ${x}`);
    assert.match(r.markdown, /\*\*Catalog:\*\* identical to GELU/);
  });

  it('the SwiGLU FeedForward: "gated" on its class name and at its use in a later cell, a = fc2(x), b = fc1(x)', async () => {
    const def = await explain(['--file', LLAMA, ...at(inFile(LLAMA, '"class FeedForward(nn.Module):', 'FeedForward'))]);
    assert.equal(def.code, 0, def.stderr);
    assert.ok(def.match);
    const { range, definition, cell, definitionCell, ...rest } = def.match;
    assert.deepEqual(rest, { kind: 'gated', fn: 'FeedForward', id: 'swiglu', gate: 'SwiGLU', expression: 'a * silu(b)', a: 'self.fc2(x)', b: 'self.fc1(x)', at: 'definition' });
    assert.deepEqual(range.start, definition);
    assert.equal(cell?.index, definitionCell?.index);
    assert.match(def.markdown, /^\*\*FeedForward\*\* — gated activation \*\*SwiGLU\*\*, defined here \(module\)/);
    assert.ok(def.markdown.includes('`f(a, b) = a·b·σ(b)`'));
    assert.ok(def.markdown.includes('`∂f/∂a = b·σ(b)`'));
    assert.ok(def.markdown.includes('`∂f/∂b = a·σ(b)(1 + b(1 − σ(b)))`'));
    assert.ok(def.markdown.includes('with **a** = `self.fc2(x)` (the value) and **b** = `self.fc1(x)` (the gate, through SiLU)'));
    assert.ok(def.markdown.includes('W ↔ b = `self.fc1(x)`, V ↔ a = `self.fc2(x)`'));
    const use = await explain(['--file', LLAMA, ...at(inFile(LLAMA, 'self.ff = FeedForward(cfg)', 'FeedForward'))]);
    assert.equal(use.match?.kind, 'gated');
    assert.equal(use.match?.at, 'use');
    assert.ok((use.match?.cell?.index ?? 0) > (definitionCell?.index ?? Infinity));
    assert.match(use.markdown, new RegExp(`module defined in cell ${definitionCell?.index}, on line 1`));
  });

  it('a position outside code cells, and a notebook without custom activations, are still no match / catalog matches', async () => {
    const md = await explain(['--file', LLAMA, '--line', '1', '--column', '1']);
    assert.equal(md.code, 0);
    assert.equal(md.match, null);
    const nb = join(__dirname, '../fixtures/code/notebook.ipynb');
    const r = await explain(['--file', nb, ...at(inFile(nb, '"act = nn.LeakyReLU(0.2)', 'LeakyReLU'))]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.match && 'framework' in r.match, 'a catalog match, as before');
  });
});
