// Gated activations recognised in the usual module patterns (recognition only), on stand-ins
// modelled on public code (test/fixtures/custom-activations/standins): LLaMA's
// FeedForward as in karpathy/llama2.c (`w2(F.silu(w1(x)) * w3(x))`), diffusers' SwiGLU (two
// halves of one projection), and the gate read off its activation; MLPs with one
// activation between two projections are not gated.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatedModules } from '../../src/code/custom/gated';

const DIR = join(__dirname, '../fixtures/custom-activations');
const read = (f: string): string => readFileSync(join(DIR, f), 'utf8');

describe('custom activations: gated modules', () => {
  it('llama2.c FeedForward is SwiGLU with a = w1(x), b = w3(x)', () => {
    const found = gatedModules(read('standins/llama2c.py'));
    assert.deepEqual(found.map((m) => [m.name, m.gate, m.a, m.b, m.expression]), [['FeedForward', 'SwiGLU', 'self.w1(x)', 'self.w3(x)', 'silu(a) * b']]);
  });

  it('diffusers SwiGLU: the gate is the second half of one projection', () => {
    const found = gatedModules(read('standins/diffusers.py'));
    const s = found.find((m) => m.name === 'SwiGLU');
    assert.ok(s, JSON.stringify(found.map((m) => m.name)));
    assert.equal(s.gate, 'SwiGLU');
    assert.equal(s.a, 'self.proj(x)[1]');
    assert.equal(s.b, 'self.proj(x)[0]');
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
        ['GeGLU', 'GeGLU', 'self.wi_0(x)', 'self.wi_1(x)'],
        ['ReGLU', 'ReGLU', 'self.a(x)', 'self.b(x)'],
        ['GLU', 'GLU', 'self.proj(x)[1]', 'self.proj(x)[0]'],
      ],
    );
  });
});
