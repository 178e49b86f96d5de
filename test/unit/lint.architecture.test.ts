// Architectures as written → layers → a training spec: widths, activations with their literal
// parameters and framework, norms and dropout kept; toy-data adaptations stated; and the
// gradient-flow pass measures what the stack does to gradients at initialization.
import * as assert from 'assert';
import { indexText } from '../../src/code/api';
import { findArchitectures, type Architecture } from '../../src/code/lint/architecture';
import { buildContext } from '../../src/code/lint/calls';
import { architectureToSpec, MAX_WIDTH } from '../../src/code/lint/toSpec';
import { gradientFlow } from '../../src/engine/train/gradientFlow';

function archs(text: string, lang: 'python' | 'js' = 'python'): Architecture[] {
  return findArchitectures(buildContext(indexText(text, lang)));
}
function one(text: string, lang: 'python' | 'js' = 'python'): Architecture {
  const a = archs(text, lang);
  assert.strictEqual(a.length, 1, `expected one architecture, got ${a.length}`);
  return a[0] as Architecture;
}
const acts = (a: Architecture): string[] => a.layers.filter((l) => l.activation).map((l) => `${l.activation?.framework}:${l.activation?.id}`);

describe('architecture parser', () => {
  it('PyTorch nn.Sequential: widths, activation parameters, norm and dropout', () => {
    const a = one('import torch.nn as nn\nnet = nn.Sequential(nn.Linear(10, 64), nn.BatchNorm1d(64), nn.LeakyReLU(0.1), nn.Dropout(0.2), nn.Linear(64, 1))\n');
    assert.strictEqual(a.framework, 'torch');
    assert.strictEqual(a.name, 'net');
    assert.deepStrictEqual(a.layers.map((l) => l.kind), ['dense', 'norm', 'activation', 'dropout', 'dense']);
    assert.deepStrictEqual(a.layers[2]?.activation?.params, { negative_slope: 0.1 });
    const s = architectureToSpec(a);
    assert.deepStrictEqual(s.spec.sizes, [2, 64, 1]);
    assert.strictEqual(s.spec.norm, 'batch');
    assert.deepStrictEqual(s.spec.dropout, [0.2]);
    assert.deepStrictEqual(s.spec.activations, [{ name: 'leaky_relu', framework: 'torch', params: { negative_slope: 0.1 } }]);
    assert.deepStrictEqual(s.notes, ['input 10 → 2: the moons data set has 2 features']);
    assert.strictEqual(s.spec.task, 'binary');
  });

  it('Keras Sequential list and model.add chains keep framework defaults (LeakyReLU 0.3, Glorot)', () => {
    const list = one('from tensorflow import keras\nm = keras.Sequential([keras.layers.Dense(32, activation="relu", input_shape=(4,)), keras.layers.Dense(16), keras.layers.LeakyReLU(), keras.layers.Dense(3, activation="softmax")])\n');
    assert.strictEqual(list.inputWidth, 4);
    const s = architectureToSpec(list);
    assert.deepStrictEqual(s.spec.sizes, [2, 32, 16, 3]);
    // tf.keras strings are TF's relu; the LeakyReLU layer keeps Keras's layer default slope 0.3
    assert.deepStrictEqual(s.spec.activations.map((x) => [x.framework, x.name, x.params]), [['tf', 'relu', {}], ['tf', 'LeakyReLU', {}]]);
    assert.strictEqual(s.spec.task, 'multiclass');
    assert.deepStrictEqual(s.spec.init, { scheme: 'xavier_uniform' });
    assert.ok(s.notes.some((n) => /softmax folded into the loss/.test(n)));
    const chain = one('from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential()\nmodel.add(Dense(8, activation="tanh", input_dim=2))\nfor _ in range(3):\n    model.add(Dense(8, activation="tanh"))\nmodel.add(Dense(1, activation="sigmoid"))\n');
    assert.strictEqual(chain.form, 'add-chain');
    assert.deepStrictEqual(architectureToSpec(chain).spec.sizes, [2, 8, 8, 8, 8, 1]);
    assert.deepStrictEqual(architectureToSpec(chain).notes, ['final sigmoid folded into the loss (BCE with logits on the logits)']);
  });

  it('Flax nn.Sequential, functional Dense chains and TF.js', () => {
    const flax = one('import flax.linen as nn\nm = nn.Sequential([nn.Dense(16), nn.gelu, nn.Dense(16), nn.silu, nn.Dense(3)])\n');
    assert.deepStrictEqual(acts(flax), ['jax:gelu', 'jax:silu']);
    assert.deepStrictEqual(architectureToSpec(flax).spec.init, { scheme: 'lecun_normal' });
    const fn = one('import keras\nfrom keras import layers\ninputs = keras.Input(shape=(8,))\nx = layers.Dense(16, activation="relu")(inputs)\nx = layers.Dense(16)(x)\nx = layers.ELU(alpha=0.5)(x)\noutputs = layers.Dense(1)(x)\n');
    assert.strictEqual(fn.form, 'functional');
    assert.strictEqual(fn.inputWidth, 8);
    assert.deepStrictEqual(architectureToSpec(fn).spec.activations.map((x) => [x.name, x.params]), [['relu', {}], ['elu', { alpha: 0.5 }]]);
    const js = one("const m = tf.sequential({layers: [tf.layers.dense({units: 6, inputShape: [2], activation: 'relu6'}), tf.layers.dense({units: 1})]});\n", 'js');
    assert.deepStrictEqual(architectureToSpec(js).spec.sizes, [2, 6, 1]);
    assert.deepStrictEqual(architectureToSpec(js).notes, []);
  });

  it('PyTorch forward() chains through module attributes, up to the return', () => {
    const a = one(`import torch.nn as nn\nimport torch.nn.functional as F\nclass M(nn.Module):\n    def __init__(self, d=16):\n        super().__init__()\n        self.fc1 = nn.Linear(d, 32)\n        self.act = nn.GELU(approximate="tanh")\n        self.fc2 = nn.Linear(32, 32)\n        self.head = nn.Linear(32, 5)\n\n    def forward(self, x):\n        x = self.act(self.fc1(x))\n        x = F.elu(self.fc2(x), alpha=0.5)\n        return F.log_softmax(self.head(x), dim=-1)\n`);
    assert.strictEqual(a.framework, 'torch');
    const s = architectureToSpec(a);
    assert.strictEqual(s.written, '16 → 32 gelu → 32 elu → 5 log_softmax');
    assert.deepStrictEqual(s.spec.sizes, [2, 32, 32, 3]);
    assert.deepStrictEqual(s.spec.activations.map((x) => [x.name, x.params]), [['gelu', { approximate: 'tanh' }], ['elu', { alpha: 0.5 }]]);
  });

  it('adapts what a toy data set cannot take, and says so', () => {
    const s = architectureToSpec(one('import torch.nn as nn\nH = 100\nnet = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, H), nn.ReLU(), nn.Linear(H, width), nn.Tanh(), nn.Linear(width, 10))\n'));
    assert.deepStrictEqual(s.spec.sizes, [2, MAX_WIDTH, 100, 32, 3]);
    assert.deepStrictEqual(s.notes, [
      'output 10 → 3: the spiral data set has 3 classes',
      'input 784 → 2: the spiral data set has 2 features',
      `width 1024 → ${MAX_WIDTH} (capped so the mini-training stays interactive)`,
      'width width → 32 (not a number in the code)',
    ]);
    assert.strictEqual(s.written, '784 → 1024 relu → 100 relu → width tanh → 10');
  });

  it('nested Sequentials, OrderedDict and comprehensions expand', () => {
    const a = one('import torch.nn as nn\nfrom collections import OrderedDict\nm = nn.Sequential(nn.Sequential(OrderedDict([("a", nn.Linear(2, 4)), ("b", nn.Tanh())])), nn.Sequential(nn.Linear(4, 4), nn.Tanh()), *[nn.Sequential(nn.Linear(4, 4), nn.Tanh()) for _ in range(3)], nn.Linear(4, 1))\n');
    assert.strictEqual(a.layers.filter((l) => l.kind === 'dense').length, 6);
    assert.deepStrictEqual(acts(a), Array(5).fill('torch:tanh'));
  });
});

describe('gradient flow', () => {
  const flow = (src: string): number[] => gradientFlow(architectureToSpec(one(src)).spec).map((g) => g.norm);

  it('ten sigmoid layers: the first layer gets orders of magnitude less gradient than the last', () => {
    const g = flow(`import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 16), ${'nn.Sigmoid(), nn.Linear(16, 16), '.repeat(9)}nn.Sigmoid(), nn.Linear(16, 1))\n`);
    assert.strictEqual(g.length, 11);
    assert.ok((g[10] as number) / (g[0] as number) > 1e4, `ratio ${(g[10] as number) / (g[0] as number)}`);
    // monotone decay towards the input (each sigmoid multiplies by σ′ ≤ 1/4)
    for (let l = 1; l < 10; l++) assert.ok((g[l] as number) < (g[l + 1] as number) * 1.5, `layer ${l}: ${g[l]} vs ${g[l + 1]}`);
  });

  it('the same depth with ReLU and He init keeps gradients within two orders of magnitude', () => {
    const g = flow(`import keras\nm = keras.Sequential([${'keras.layers.Dense(16, activation="relu", kernel_initializer="he_normal"), '.repeat(10)}keras.layers.Dense(1)])\n`);
    const max = Math.max(...g);
    const min = Math.min(...g);
    assert.ok(min > 0 && max / min < 100, `spread ${max / min}`);
  });

  it('all-zero ReLU weights pass exactly zero gradient to every layer', () => {
    const g = flow('from keras import layers, Sequential\nm = Sequential([layers.Dense(8, activation="relu", kernel_initializer="zeros"), layers.Dense(8, activation="relu", kernel_initializer="zeros"), layers.Dense(1)])\n');
    assert.deepStrictEqual(g, [0, 0, 0]);
  });
});
