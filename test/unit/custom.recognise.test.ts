// Recognising custom activations in small files: the shapes of definition and use the
// corpus test (custom.corpus.test.ts) does not isolate — parameters with defaults, uses
// through aliases, module instances and constant-key dict lookups, keyword lambdas, JS
// arrow functions — and the rejections (two tensors, reductions, loops, side effects).
import * as assert from 'node:assert/strict';
import { customAt, customDefinitions } from '../../src/code/custom/index';
import { catalogRelation } from '../../src/code/custom/relation';
import { compileScalar, parseExpr } from '../../src/engine/symbolic';

/** The match at the first occurrence of `needle` (plus `shift` characters) in `src`. */
function at(src: string, needle: string, lang: 'python' | 'js' = 'python', shift = 0): ReturnType<typeof customAt> {
  const i = src.indexOf(needle);
  assert.ok(i >= 0, `${needle} not in the snippet`);
  return customAt(src, lang, i + shift);
}

function sameFunction(got: string, want: string, params: Record<string, number>): void {
  const f = compileScalar(parseExpr(got), params);
  const g = compileScalar(parseExpr(want), params);
  for (let x = -7; x <= 7; x += 0.125) {
    const a = f(x);
    const b = g(x);
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${got} vs ${want} at x = ${x}: ${a} ≠ ${b}`);
  }
}

const PY = `import math
import torch
import torch.nn as nn
import torch.nn.functional as F


def swish(x, beta=1.0):
    return x * torch.sigmoid(beta * x)


def gelu_erf(x):
    """exact GELU"""
    cdf = 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
    return x * cdf


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class Snake(nn.Module):
    def __init__(self, alpha=0.5):
        super().__init__()
        self.alpha = alpha

    def forward(self, x):
        return x + torch.sin(self.alpha * x) ** 2 / self.alpha


ACT2FN = {"quick_gelu": QuickGELU(), "swish": swish, "relu2": lambda x: F.relu(x) ** 2}


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.act = QuickGELU()
        self.fc = nn.Linear(dim, dim)
        self.mlp = make_mlp(dim, act=lambda x: x * torch.tanh(F.softplus(x)))

    def forward(self, x):
        return self.act(self.fc(x))


act = swish
gate = ACT2FN["quick_gelu"]
sq = ACT2FN["relu2"]


def attention(q, k):
    return torch.softmax(q @ k.transpose(-2, -1), dim=-1)


def rms(x, eps=1e-6):
    return x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + eps)


def noisy(x):
    print(x)
    return torch.relu(x)


def looped(x, n=3):
    for _ in range(n):
        x = torch.tanh(x)
    return x


def scaled(x, gain=2.0):
    return gain * x + 1


def pick(x, i=0):
    return x[i]
`;

describe('custom activations: definitions and uses', () => {
  it('a def with a numeric default keeps it as a parameter (swish with beta)', () => {
    const m = at(PY, 'swish(x, beta', 'python');
    assert.ok(m);
    assert.equal(m.name, 'swish');
    assert.deepEqual(m.params, { beta: 1 });
    sameFunction(m.expression, 'x * sigmoid(beta * x)', { beta: 1.7 });
    const r = catalogRelation(m.expr, m.params, m.expression, m.name);
    assert.equal(r.kind, 'identical');
    assert.equal(r.id, 'silu');
  });

  it('local assignments inside a def are followed (gelu_erf)', () => {
    const m = at(PY, 'gelu_erf(x)');
    assert.ok(m);
    sameFunction(m.expression, '0.5 * x * (1 + erf(x / sqrt(2)))', {});
    assert.equal(catalogRelation(m.expr, m.params).kind, 'identical');
  });

  it('an nn.Module takes parameters from __init__ defaults (Snake alpha)', () => {
    const m = at(PY, 'Snake(');
    assert.ok(m);
    assert.equal(m.kind, 'module');
    assert.deepEqual(m.params, { alpha: 0.5 });
    sameFunction(m.expression, 'x + sin(alpha * x)**2 / alpha', { alpha: 0.5 });
  });

  it('uses: `act = swish`, `self.act = QuickGELU()`, `ACT2FN["quick_gelu"]`, a dict lambda', () => {
    const alias = at(PY, 'act = swish', 'python', 'act = '.length);
    assert.ok(alias);
    assert.equal(alias.at, 'use');
    assert.equal(alias.name, 'swish');
    const inst = at(PY, 'self.act = QuickGELU()', 'python', 'self.act = '.length);
    assert.ok(inst);
    assert.equal(inst.name, 'QuickGELU');
    assert.equal(inst.at, 'use');
    for (const [needle, shift] of [['gate = ACT2FN["quick_gelu"]', 7], ['gate = ACT2FN["quick_gelu"]', 14]] as const) {
      const d = at(PY, needle, 'python', shift);
      assert.ok(d, `no match at ${needle.slice(shift)}`);
      assert.equal(d.kind, 'entry');
      assert.equal(d.name, 'ACT2FN["quick_gelu"]');
      sameFunction(d.expression, 'x * sigmoid(1.702 * x)', {});
    }
    const sq = at(PY, 'sq = ACT2FN["relu2"]', 'python', 5);
    assert.ok(sq);
    sameFunction(sq.expression, 'max(x, 0)**2', {});
    // the dict entry's value itself is a use of QuickGELU
    const entry = at(PY, '"quick_gelu": QuickGELU()', 'python', '"quick_gelu": '.length);
    assert.equal(entry?.name, 'QuickGELU');
  });

  it('a lambda passed as act= is recognised on the lambda', () => {
    const m = at(PY, 'lambda x: x * torch.tanh');
    assert.ok(m);
    assert.equal(m.name, 'act=lambda');
    sameFunction(m.expression, 'x * tanh(softplus(x))', {});
    assert.equal(catalogRelation(m.expr, m.params).id, 'mish');
  });

  it('look-alikes get nothing: attention, reductions, side effects, loops, affine, indexing', () => {
    for (const name of ['attention(q', 'rms(x', 'noisy(x', 'looped(x', 'scaled(x', 'pick(x', 'Block(nn']) {
      assert.equal(at(PY, name), null, name);
    }
    const names = customDefinitions(PY, 'python').map((d) => d.def.name).sort();
    assert.deepEqual(names, ['ACT2FN["quick_gelu"]', 'QuickGELU', 'Snake', 'act=lambda', 'gelu_erf', 'relu2', 'swish'].filter((n) => !n.startsWith('ACT2FN')).sort());
  });

  it('JS/TS: arrow functions and functions over tf ops, with their uses', () => {
    const js = `import * as tf from '@tensorflow/tfjs';
const swish = (x: tf.Tensor, beta = 1.5): tf.Tensor => tf.mul(x, tf.sigmoid(tf.mul(beta, x)));
function squaredRelu(x) {
  const r = tf.relu(x);
  return tf.square(r);
}
function dot(a, b) { return tf.matMul(a, b); }
const model = tf.sequential({ layers: [tf.layers.dense({ units: 4 })] });
const y = swish(tf.tensor([1, 2]));
`;
    const s = at(js, 'swish =', 'js');
    assert.ok(s);
    assert.deepEqual(s.params, { beta: 1.5 });
    sameFunction(s.expression, 'x * sigmoid(beta * x)', { beta: 1.5 });
    const use = at(js, 'swish(tf.tensor', 'js');
    assert.equal(use?.at, 'use');
    const q = at(js, 'squaredRelu', 'js');
    assert.ok(q);
    sameFunction(q.expression, 'max(x, 0)**2', {});
    assert.equal(at(js, 'dot(a', 'js'), null);
  });

  it('never throws on broken code', () => {
    const broken = 'def f(x:\n    return x * (\nclass C(nn.Module):\n  def forward(self, x): return x.sigmoid() *\nlambda: 3\n';
    for (let i = 0; i <= broken.length; i++) customAt(broken, 'python', i);
    const js = 'function f(x) { return tf.mul(x, ; } const g = (x => ';
    for (let i = 0; i <= js.length; i++) customAt(js, 'js', i);
  });
});
