// Gated activations recognised in the usual module patterns (recognition only), on stand-ins
// modelled on public code (test/fixtures/custom-activations/standins): LLaMA's
// FeedForward as in karpathy/llama2.c (`w2(F.silu(w1(x)) * w3(x))`), diffusers' SwiGLU (two
// halves of one projection), and the gate read off its activation; MLPs with one
// activation between two projections are not gated. One argument order everywhere
// (docs/conventions.md): f(a, b) = a·g(b), a the value, b the gate — the recognizer's
// expressions, put through the symbolic core, are the catalog's f, ∂f/∂a and ∂f/∂b.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatedAt, gatedModules } from '../../src/code/custom/gated';
import { explainTextWithCustom } from '../../src/cli/explain';
import { gatedHoverMarkdown, splitLine } from '../../src/render/gatedMarkdown';
import { GATED_ENTRIES } from '../../src/engine/activations/catalog';
import { analyzeExpr, compileActivation } from '../../src/engine/symbolic';

const DIR = join(__dirname, '../fixtures/custom-activations');
const read = (f: string): string => readFileSync(join(DIR, f), 'utf8');

describe('custom activations: gated modules', () => {
  it('llama2.c FeedForward is SwiGLU with a = w3(x) (value), b = w1(x) (gate)', () => {
    const found = gatedModules(read('standins/llama2c.py'));
    assert.deepEqual(found.map((m) => [m.name, m.gate, m.id, m.a, m.b, m.expression]), [['FeedForward', 'SwiGLU', 'swiglu', 'self.w3(x)', 'self.w1(x)', 'a * silu(b)']]);
  });

  it('diffusers SwiGLU: the gate is the second half of one projection', () => {
    const found = gatedModules(read('standins/diffusers.py'));
    const s = found.find((m) => m.name === 'SwiGLU');
    assert.ok(s, JSON.stringify(found.map((m) => m.name)));
    assert.equal(s.gate, 'SwiGLU');
    // hidden_states, gate = proj(x).chunk(2): F.glu's split, value first, gate second
    assert.equal(s.a, 'self.proj(x)[0]');
    assert.equal(s.b, 'self.proj(x)[1]');
  });

  it('MLPs with one activation (CLIP, MetaFormer, minGPT, x-transformers) are not gated', () => {
    for (const f of ['standins/clip.py', 'standins/metaformer.py', 'standins/mingpt.py', 'standins/x_transformers.py']) {
      assert.deepEqual(gatedModules(read(f)).map((m) => m.name), [], f);
    }
  });

  it('GeGLU, ReGLU and GLU by their activation, either operand order', () => {
    const src = `import torch
import torch.nn as nn
import torch.nn.functional as F

class GeGLU(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.wi_0 = nn.Linear(d, h, bias=False)
        self.wi_1 = nn.Linear(d, h, bias=False)
        self.wo = nn.Linear(h, d, bias=False)

    def forward(self, hidden):
        return self.wo(self.wi_1(hidden) * F.gelu(self.wi_0(hidden)))

class ReGLU(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.a = nn.Linear(d, h)
        self.b = nn.Linear(d, h)

    def forward(self, x):
        return F.relu(self.a(x)) * self.b(x)

class GLU(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.proj = nn.Linear(d, 2 * h)

    def forward(self, x):
        x, gate = self.proj(x).chunk(2, dim=-1)
        return x * torch.sigmoid(gate)

class NotGated(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.a = nn.Linear(d, h)

    def forward(self, x):
        return F.silu(self.a(x)) * self.a(x)
`;
    assert.deepEqual(
      gatedModules(src).map((m) => [m.name, m.gate, m.a, m.b]),
      [
        ['GeGLU', 'GeGLU', 'self.wi_1(x)', 'self.wi_0(x)'],
        ['ReGLU', 'ReGLU', 'self.b(x)', 'self.a(x)'],
        ['GLU', 'GLU', 'self.proj(x)[0]', 'self.proj(x)[1]'],
      ],
    );
  });

  it('one argument order: each recognised expression is the catalog entry, f and both partials (symbolic core vs catalog)', () => {
    const gates = ['F.silu', 'F.gelu', 'F.relu', 'torch.sigmoid'];
    const src = gates
      .map(
        (g, i) => `class M${i}(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.w1 = nn.Linear(d, h)
        self.w3 = nn.Linear(d, h)

    def forward(self, x):
        return ${g}(self.w1(x)) * self.w3(x)
`,
      )
      .join('\n');
    const found = gatedModules(src);
    assert.deepEqual(found.map((m) => m.id), ['swiglu', 'geglu', 'reglu', 'glu_ab']);
    for (const m of found) {
      assert.deepEqual([m.a, m.b], ['self.w3(x)', 'self.w1(x)'], m.name);
      const def = GATED_ENTRIES.find((e) => e.def.id === m.id)?.def;
      assert.ok(def, m.id);
      // f and ∂f/∂a with a as the variable x, ∂f/∂b with b as x: the symbolic core's derivatives.
      const inA = analyzeExpr(m.expression.replace(/\ba\b/g, 'x'));
      const inB = analyzeExpr(m.expression.replace(/\bb\b/g, 'x'));
      for (const a of [-2.5, -0.3, 0.7, 3.2]) {
        for (const b of [-3.1, -0.6, 0.25, 1.4, 4.5]) {
          const fa = compileActivation(inA, { b }, 'closure');
          const fb = compileActivation(inB, { a }, 'closure');
          const tol = (y: number): number => 1e-13 * Math.max(1, Math.abs(y));
          assert.ok(Math.abs(fa.f(a) - def.f(a, b)) <= tol(def.f(a, b)), `${m.id} f(${a}, ${b}): ${fa.f(a)} vs ${def.f(a, b)}`);
          assert.ok(Math.abs(fa.df(a) - def.dfda(a, b)) <= tol(def.dfda(a, b)), `${m.id} ∂f/∂a(${a}, ${b})`);
          assert.ok(Math.abs(fb.df(b) - def.dfdb(a, b)) <= tol(def.dfdb(a, b)), `${m.id} ∂f/∂b(${a}, ${b}): ${fb.df(b)} vs ${def.dfdb(a, b)}`);
          // and the order is not symmetric: swapping a and b would be caught
          if (Math.abs(def.f(a, b) - def.f(b, a)) > 1e-6) assert.ok(Math.abs(fa.f(a) - def.f(b, a)) > 1e-9);
        }
      }
    }
  });

  it('gatedAt: on the class name and on uses (`FeedForward(…)`), not on attributes or other names', () => {
    const src = `${read('standins/llama2c.py')}

class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.feed_forward = FeedForward(d, 4 * d, 32, 0.0)
        self.other = other.FeedForward(d)
`;
    const def = gatedAt(src, src.indexOf('FeedForward(nn.Module)') + 2);
    assert.equal(def?.at, 'definition');
    assert.equal(def?.id, 'swiglu');
    const i = src.indexOf('FeedForward(d, 4');
    const use = gatedAt(src, i + 1);
    assert.equal(use?.at, 'use');
    assert.deepEqual([use?.useStart, use?.useEnd], [i, i + 'FeedForward'.length]);
    assert.equal(gatedAt(src, src.indexOf('other.FeedForward') + 8), null, 'an attribute of another object');
    assert.equal(gatedAt(src, src.indexOf('feed_forward')), null);
    for (let k = 0; k < src.length; k += 7) gatedAt(src, k); // never throws
    for (let n = 1; n < src.length; n += 11) gatedAt(src.slice(0, n), n - 1); // nor on code cut anywhere (as typed)
  });

  it('hover markdown: f, ∂f/∂a, ∂f/∂b typeset, a/b named, the plot of the gate, the paper mapping', () => {
    const src = read('standins/llama2c.py');
    const m = gatedAt(src, src.indexOf('FeedForward(nn.Module)') + 1);
    assert.ok(m);
    const md = gatedHoverMarkdown(m, 'on line 8', { images: true, theme: 'dark' });
    assert.match(md, /^\*\*FeedForward\*\* — gated activation \*\*SwiGLU\*\*, defined here \(module\)/);
    for (const alt of ['f(a, b) = a·b·σ(b)', '∂f/∂a = b·σ(b)', '∂f/∂b = a·σ(b)(1 + b(1 − σ(b)))']) assert.ok(md.includes(`![${alt}](data:image/svg+xml;base64,`), alt);
    assert.ok(md.includes('![plot of the gate g(b) = f(1, b) and g′(b) over \\[−6, 6\\]](data:image/svg+xml;base64,'));
    assert.ok(md.includes('with **a** = `self.w3(x)` (the value) and **b** = `self.w1(x)` (the gate, through SiLU)'));
    assert.ok(md.includes('Shazeer (2020) writes SwiGLU(x) = Swish₁(xW) ⊗ xV, gate first: W ↔ b = `self.w1(x)`, V ↔ a = `self.w3(x)`'));
    const plain = gatedHoverMarkdown({ ...m, at: 'use' }, 'on line 8', { images: false });
    assert.match(plain, /module defined on line 8/);
    assert.ok(plain.includes('`f(a, b) = a·b·σ(b)`'));
    assert.ok(!plain.includes('data:image'));
  });

  it('ReGLU hover names its kink at b = 0 with one-sided ∂f/∂b', () => {
    const src = `class R(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.a = nn.Linear(d, d)
        self.b = nn.Linear(d, d)

    def forward(self, x):
        return F.relu(self.a(x)) * self.b(x)
`;
    const m = gatedAt(src, 6);
    assert.ok(m);
    const md = gatedHoverMarkdown(m, 'on line 1', { images: false });
    assert.ok(md.includes('kink at b = 0: ∂f/∂b is a·0 left, a·1 right (the catalog returns a·0)'), md);
    assert.ok(md.includes('with **a** = `self.b(x)` (the value) and **b** = `self.a(x)` (the gate, through ReLU)'));
  });

  it('explain on a gated module: {"kind": "gated"} with the text report too', () => {
    const src = read('standins/llama2c.py');
    const lines = src.split('\n');
    const line = lines.findIndex((l) => l.startsWith('class FeedForward')) + 1;
    const r = explainTextWithCustom(src, 'llama.py', line, 8, { images: false });
    assert.ok(r.match && 'kind' in r.match && r.match.kind === 'gated');
    assert.deepEqual(
      { ...r.match, range: undefined, definition: undefined },
      { kind: 'gated', fn: 'FeedForward', id: 'swiglu', gate: 'SwiGLU', expression: 'a * silu(b)', a: 'self.w3(x)', b: 'self.w1(x)', at: 'definition', range: undefined, definition: undefined },
    );
    assert.deepEqual(r.match.range, { start: { line, column: 7 }, end: { line, column: 18 } });
  });

  it('the F.glu hover line: which half is the gate, along the call\'s own axis', () => {
    assert.equal(splitLine('softmax', { dim: -1 }), undefined);
    const t = splitLine('glu', { dim: 1 });
    assert.ok(t?.startsWith('Splits x along `dim=1` into two halves (that axis must have even length): **a** = the first half (the value), **b** = the second half (the gate), and returns f(a, b) = a·σ(b) elementwise'), t);
    assert.ok(splitLine('glu', { axis: -1 })?.includes('`axis=-1`'));
  });
});
