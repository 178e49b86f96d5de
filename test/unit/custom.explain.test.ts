// `explain` on custom activations (the CLI contract): on a definition or a use, the match
// is {"kind": "expression", "fn", "expression", "params"} and the markdown is the hover's —
// formula, f′, f″, properties and the relation to the catalog. Three corpus stand-ins, modelled on CLIP's
// QuickGELU (Python module, used in nn.Sequential), MetaFormer's StarReLU (parameters from
// __init__), TF.js's Swish (TypeScript class).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainCommand } from '../../src/cli/explain';
import { explainCustom } from '../../src/cli/explainCustom';
import { compileScalar, parseExpr } from '../../src/engine/symbolic';
import { captureOutput } from './support/captureOutput';

const DIR = join(__dirname, '../fixtures/custom-activations');

interface Out {
  match: null | { kind: string; fn: string; expression: string; params: Record<string, number>; at: string; definition: { line: number; column: number } };
  markdown?: string;
}

async function explain(argv: string[]): Promise<{ code: number; out: Out; stderr: string }> {
  const { code, stdout, stderr } = await captureOutput(() => explainCommand([...argv, '--json', '--no-images']));
  return { code, out: JSON.parse(stdout || 'null') as Out, stderr };
}

/** 1-based line and column of `needle` on the line that contains `context`. */
function pos(file: string, context: string, needle: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(context));
  assert.ok(i >= 0, `no line with ${context}`);
  const col = (lines[i] as string).indexOf(needle, (lines[i] as string).indexOf(context));
  return ['--line', String(i + 1), '--column', String(col + 1)];
}

function sameFunction(got: string, want: string, params: Record<string, number>): void {
  const f = compileScalar(parseExpr(got), params);
  const g = compileScalar(parseExpr(want), params);
  for (let x = -6; x <= 6; x += 0.25) assert.ok(Math.abs(f(x) - g(x)) <= 1e-12 * Math.max(1, Math.abs(g(x))), `${got} vs ${want} at ${x}`);
}

describe('explain: custom activations (CLI contract)', () => {
  const clip = join(DIR, 'standins/clip.py');
  const meta = join(DIR, 'standins/metaformer.py');
  const tfjs = join(DIR, 'standins/tfjs_activations.ts');

  it('CLIP QuickGELU: the definition and its use in nn.Sequential', async () => {
    const def = await explain(['--file', clip, ...pos(clip, 'class QuickGELU', 'QuickGELU')]);
    assert.equal(def.code, 0, def.stderr);
    assert.ok(def.out.match);
    assert.equal(def.out.match.kind, 'expression');
    assert.equal(def.out.match.fn, 'QuickGELU');
    assert.equal(def.out.match.at, 'definition');
    assert.deepEqual(def.out.match.params, {});
    sameFunction(def.out.match.expression, 'x * sigmoid(1.702 * x)', {});
    const md = def.out.markdown ?? '';
    assert.match(md, /approximates GELU, max \|Δ\| 0\.0203 on \[−6, 6\]/);
    assert.match(md, /f′\(x\) = /);
    assert.match(md, /f″\(x\) = /);
    const use = await explain(['--file', clip, ...pos(clip, '("gelu", QuickGELU())', 'QuickGELU')]);
    assert.equal(use.out.match?.at, 'use');
    assert.equal(use.out.match?.expression, def.out.match.expression);
    assert.equal(use.out.match?.definition.line, def.out.match.definition.line);
  });

  it('MetaFormer StarReLU: scale and bias parameters from __init__', async () => {
    const r = await explain(['--file', meta, ...pos(meta, 'class StarReLU', 'StarReLU')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.out.match);
    assert.equal(r.out.match.kind, 'expression');
    assert.deepEqual(r.out.match.params, { bias: 0, scale: 1 });
    sameFunction(r.out.match.expression, 'scale * max(x, 0)**2 + bias', { scale: 0.8944, bias: -0.4472 });
    assert.match(r.out.markdown ?? '', /`scale = 1`/);
  });

  it('TF.js Swish (TypeScript): alpha = 1 makes it identical to SiLU', async () => {
    const r = await explain(['--file', tfjs, ...pos(tfjs, 'export class Swish', 'Swish')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.out.match);
    assert.equal(r.out.match.fn, 'Swish');
    assert.deepEqual(r.out.match.params, { alpha: 1 });
    sameFunction(r.out.match.expression, 'x * sigmoid(alpha * x)', { alpha: 1.3 });
    assert.match(r.out.markdown ?? '', /identical to SiLU/);
  });

  it('a look-alike (MetaFormer Attention) gets the usual "no match"', async () => {
    const r = await explain(['--file', meta, ...pos(meta, 'class Attention', 'Attention')]);
    assert.equal(r.code, 0);
    assert.equal(r.out.match, null);
  });

  it('the code’s own unstable spelling gets a note with the stable rewrite', () => {
    const src = 'import torch\n\ndef softplus_naive(x):\n    return torch.log(1 + torch.exp(x))\n';
    const r = explainCustom(src, 'python', src.indexOf('softplus_naive'), { images: false });
    assert.ok(r);
    assert.equal(r.match.expression, 'log(1 + exp(x))');
    assert.match(r.markdown, /identical to Softplus/);
    assert.match(r.markdown, /⚠️ .*overflows for x ≳ 710 in float64.*softplus\(x\)/);
  });

  it('with images: f and f′ typeset, and the plot, as SVG data URIs', () => {
    const src = 'import torch\n\nclass QuickGELU(torch.nn.Module):\n    def forward(self, x):\n        return x * torch.sigmoid(1.702 * x)\n';
    const r = explainCustom(src, 'python', src.indexOf('QuickGELU'), { images: true });
    assert.ok(r);
    const uris = r.markdown.match(/\]\(data:image\/svg\+xml;base64,/g) ?? [];
    assert.ok(uris.length >= 3, `${uris.length} images`);
  });
});
