// Regressions from the stop-19 sweep of public code (docs/lint-precision.md, "stop 19 sweep").
// Every snippet is a stand-in written for this project that reproduces a pattern seen there;
// none is copied from the repositories read. Each case says where a finding must be (a line
// holding a marker text) or that a rule must stay silent.
import * as assert from 'assert';
import { lintCells, lintFile, type LintFinding } from '../../src/code/lint';

/** Rule exceptions fail the test instead of being reported as no findings. */
const STRICT = { onRuleError: (e: unknown): never => { throw e; } };

/** The 0-based lines of a file's findings of one rule. */
function linesOf(text: string, code: string): number[] {
  return (lintFile('snippet.py', text, STRICT) ?? []).filter((f) => f.code === code).map((f) => f.line);
}

/** The 0-based line of the (single) line holding `marker`. */
function lineWith(text: string, marker: string): number {
  const ls = text.split('\n').flatMap((l, i) => (l.includes(marker) ? [i] : []));
  assert.strictEqual(ls.length, 1, `marker ${marker} must be on one line`);
  return ls[0] as number;
}

describe('lint: stop-19 sweep regressions', () => {
  describe('AI001 follows a Keras model built in a helper to the compile() on its result', () => {
    it('Sequential in `def build_model(): … return model`, then `model = build_model()` compiled from_logits', () => {
      const src = [
        'import keras',
        'from keras import layers',
        '',
        'def build_model(n_out):',
        '    model = keras.Sequential([',
        '        keras.Input(shape=(12,)),',
        '        layers.Dense(24, activation="relu"),',
        '        layers.Dense(n_out, activation="softmax"),  # OUT',
        '    ])',
        '    return model',
        '',
        'model = build_model(3)',
        'model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI001'), [lineWith(src, '# OUT')]);
    });

    it('functional model returned directly (`return tf.keras.Model(inp, out)`) and compiled from_logits under another name', () => {
      const src = [
        'import tensorflow as tf',
        '',
        'def make_scorer():',
        '    inp = tf.keras.Input(shape=(6,))',
        '    h = tf.keras.layers.Dense(8, activation="tanh")(inp)',
        '    out = tf.keras.layers.Dense(1, activation="sigmoid")(h)  # OUT',
        '    return tf.keras.Model(inp, out)',
        '',
        'scorer = make_scorer()',
        'scorer.compile(optimizer="sgd", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI001'), [lineWith(src, '# OUT')]);
    });

    it('`return keras.Sequential([...])` with the loss in a variable, through a second helper', () => {
      const src = [
        'import keras',
        'from keras import layers',
        '',
        'def head_model():',
        '    return keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(4, activation="softmax")])  # OUT',
        '',
        'def fresh_model():',
        '    return head_model()',
        '',
        'clf = fresh_model()',
        'xent = keras.losses.CategoricalCrossentropy(from_logits=True)',
        'clf.compile("adam", xent)',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI001'), [lineWith(src, '# OUT')]);
    });

    it('a builder method (`self.net = self.build()`) compiled from_logits in the same block', () => {
      const src = [
        'import keras',
        'from keras import layers',
        '',
        'class Trainer:',
        '    def build(self):',
        '        net = keras.Sequential()',
        '        net.add(layers.Dense(10, activation="relu"))',
        '        net.add(layers.Dense(5, activation="softmax"))  # OUT',
        '        return net',
        '',
        '    def __init__(self):',
        '        self.net = self.build()',
        '        self.net.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI001'), [lineWith(src, '# OUT')]);
    });

    it('stays silent when the helper\'s model is compiled with a probabilities loss and another model with from_logits', () => {
      const src = [
        'import keras',
        'from keras import layers',
        '',
        'def build_model():',
        '    model = keras.Sequential([layers.Dense(10, activation="relu"), layers.Dense(3, activation="softmax")])',
        '    return model',
        '',
        'model = build_model()',
        'model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")',
        'raw = keras.Sequential([layers.Dense(10, activation="relu"), layers.Dense(3)])',
        'raw.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI001'), []);
    });

    it('stays silent when the helper is never called in the file', () => {
      const src = [
        'import keras',
        'from keras import layers',
        '',
        'def build_model():',
        '    model = keras.Sequential([layers.Dense(10, activation="relu"), layers.Dense(3, activation="softmax")])',
        '    return model',
        '',
        'other = keras.Sequential([layers.Dense(3)])',
        'other.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI001'), []);
    });
  });

  describe('AI001: a PyTorch model\'s losses are the ones made where its variable holds', () => {
    // a tutorial notebook: first a logits model with CrossEntropyLoss, then the same variable
    // rebound to a LogSoftmax model trained with NLLLoss (an exercise cell leaves the loop empty)
    const cells = [
      'import torch\nfrom torch import nn\n',
      'net = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5))\nloss_fn = nn.CrossEntropyLoss()\nscores = net(batch)\nprint(loss_fn(scores, target))\n',
      'net = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5), nn.LogSoftmax(dim=1))\nloss_fn = nn.NLLLoss()\nlogp = net(batch)\nprint(loss_fn(logp, target))\n',
      'net = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5), nn.LogSoftmax(dim=1))\nloss_fn = nn.NLLLoss()\nfor xb, yb in loader:\n    opt.zero_grad()\n    # your training step here\n',
    ];

    it('a LogSoftmax model trained with NLLLoss is not paired with an earlier cell\'s CrossEntropyLoss', () => {
      const found = lintCells(cells, STRICT).filter((x) => x.finding.code === 'AI001');
      assert.deepStrictEqual(found, []);
    });

    it('still reported when the logits loss is made where the softmax model holds', () => {
      const bad = [...cells.slice(0, 2), 'net = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5), nn.Softmax(dim=1))\nloss_fn = nn.CrossEntropyLoss()\nfor xb, yb in loader:\n    pass\n'];
      const found = lintCells(bad, STRICT).filter((x) => x.finding.code === 'AI001');
      assert.deepStrictEqual(found.map((x) => x.cell), [2]);
      const f = (found[0] as { finding: LintFinding }).finding;
      assert.strictEqual((bad[2] as string).slice(f.start, f.end), 'nn.Softmax(dim=1)');
    });

    it('still reported when no loss is made where the model holds (the file\'s logits loss counts)', () => {
      const src = [
        'import torch',
        'from torch import nn',
        '',
        'def fit(model, crit, data):',
        '    for xb, yb in data:',
        '        crit(model(xb), yb).backward()',
        '',
        'criterion = nn.CrossEntropyLoss()',
        'net = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 5), nn.Softmax(dim=1))  # OUT',
        'fit(net, criterion, loader)',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI001'), [lineWith(src, '# OUT')]);
    });
  });

  describe('AI003: a loop over normalization layers sets their gains, not hidden weights', () => {
    const src = [
      'import torch.nn as nn',
      '',
      'class Unit(nn.Module):',
      '    def __init__(self, c):',
      '        super().__init__()',
      '        self.conv_a = nn.Conv2d(c, c, 3)',
      '        self.conv_b = nn.Conv2d(c, c, 3)',
      '        self.norm_a = nn.BatchNorm2d(c)',
      '        self.bn_b = nn.BatchNorm2d(c)',
      '        for mod in (self.norm_a, self.bn_b):',
      '            mod.weight.data.fill_(1.0)  # GAIN',
      '            mod.bias.data.zero_()',
      '        for mod in [self.conv_a, self.conv_b]:',
      '            mod.weight.data.fill_(0.5)  # CONV',
      '',
      '    def forward(self, x):',
      '        return self.bn_b(self.conv_b(self.norm_a(self.conv_a(x))))',
      '',
    ].join('\n');

    it('the norms\' fill_(1.0) is silent; the same loop over convolutions is reported', () => {
      assert.deepStrictEqual(linesOf(src, 'AI003'), [lineWith(src, '# CONV')]);
    });
  });

  // Found on the held-out half after it was measured (fixed then; the held-out precision in
  // docs/lint-precision.md is the one measured before these fixes).
  describe('held-out: AI003 constant inits that are recipes', () => {
    it('a norm\'s gain set to 1 inside `elif isinstance(m, nn.LayerNorm):` under an inner `if m.weight is not None:`', () => {
      const src = [
        'import torch.nn as nn',
        '',
        'def init_module(m):',
        '    if isinstance(m, nn.Linear):',
        '        nn.init.xavier_uniform_(m.weight)',
        '    elif isinstance(m, nn.LayerNorm):',
        '        if m.weight is not None:',
        '            nn.init.constant_(m.weight, 1.0)',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI003'), []);
    });

    it('a Flax output layer named as logits, zero-initialised, whose value is also stored in a dict', () => {
      const src = [
        'import flax.linen as nn',
        '',
        'class Decoder(nn.Module):',
        '    vocab: int = 64',
        '',
        '    @nn.compact',
        '    def __call__(self, y):',
        '        extra = {}',
        '        y = nn.Dense(128)(y)',
        '        scores = nn.Dense(self.vocab, kernel_init=nn.initializers.zeros, name="ScoreLogits")(y)',
        '        extra["scores"] = scores',
        '        return scores, extra',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI003'), []);
    });

    it('a Keras layer\'s zero-initialised projections that feed no other weighted layer; a hidden one is still reported', () => {
      const src = [
        'import keras',
        '',
        'class PointSampler(keras.layers.Layer):',
        '    def __init__(self, n, **kw):',
        '        super().__init__(**kw)',
        '        self.offsets = keras.layers.Dense(2 * n, kernel_initializer="zeros", bias_initializer="zeros")',
        '        self.mix = keras.layers.Dense(n, kernel_initializer="zeros")',
        '',
        '    def call(self, q, grid):',
        '        off = self.offsets(q)',
        '        w = keras.ops.softmax(self.mix(q), axis=-1)',
        '        return keras.ops.sum(w * (grid + off), axis=-1)',
        '',
        'class Tower(keras.Model):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.hidden = keras.layers.Dense(32, activation="relu", kernel_initializer="zeros")  # HIDDEN',
        '        self.top = keras.layers.Dense(4)',
        '',
        '    def call(self, x):',
        '        h = self.hidden(x)',
        '        return self.top(h)',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI003'), [lineWith(src, '# HIDDEN')]);
    });

    it('a linear model\'s weight vector (`np.zeros(1 + X.shape[1])`) is not a layer; zero matrices of an MLP still are', () => {
      const lin = [
        'import numpy as np',
        '',
        'class LeastSquaresGD:',
        '    def fit(self, X, y):',
        '        self.w_ = np.zeros(1 + X.shape[1])',
        '        for _ in range(10):',
        '            err = y - (np.dot(X, self.w_[1:]) + self.w_[0])',
        '            self.w_[1:] += 0.01 * X.T.dot(err)',
        '        return self',
        '',
        'w = np.zeros(3)',
        'w = np.dot(np.linalg.pinv(A), b)',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(lin, 'AI003'), []);
      const mlp = [
        'import numpy as np',
        'W1 = np.zeros((784, 64))  # W1',
        'W2 = np.zeros((64, 10))  # W2',
        'h = np.maximum(x @ W1, 0)',
        'out = h @ W2',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(mlp, 'AI003'), [lineWith(mlp, '# W1'), lineWith(mlp, '# W2')]);
    });
  });

  describe('held-out: AI005 and AI002 in context', () => {
    it('SELU as one option among GELU and ReLU is not a SELU network', () => {
      const src = [
        'import torch.nn as nn',
        '',
        'def conv_unit(c):',
        '    conv = nn.Conv1d(c, c, 3)',
        '    nn.init.kaiming_normal_(conv.weight)',
        '    return nn.Sequential(conv, nn.GELU())',
        '',
        'def pick(name):',
        '    if name == "relu":',
        '        return nn.ReLU()',
        '    if name == "selu":',
        '        return nn.SELU()',
        '    return nn.GELU()',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI005'), []);
    });

    it('Xavier for the output Linear while the ReLU convolutions get He, and Xavier on an embedding table, are on purpose', () => {
      const branches = [
        'import torch.nn as nn',
        '',
        'def init_weights(m):',
        '    if isinstance(m, nn.Linear):',
        '        nn.init.xavier_normal_(m.weight)',
        '    elif isinstance(m, nn.Conv1d):',
        '        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")',
        '',
        'class TextCNN(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.conv = nn.Conv1d(50, 100, 3)',
        '        self.fc = nn.Linear(100, 2)',
        '',
        '    def forward(self, x):',
        '        return self.fc(nn.functional.relu(self.conv(x)).max(dim=2).values)',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(branches, 'AI005'), []);
      const embed = [
        'import torch.nn as nn',
        'import torch.nn.functional as F',
        '',
        'class CharEncoder(nn.Module):',
        '    def __init__(self):',
        '        super().__init__()',
        '        self.char_embeddings = nn.Embedding(260, 16)',
        '        self.conv = nn.Conv1d(16, 32, 3)',
        '        nn.init.xavier_normal_(self.char_embeddings.weight)',
        '',
        '    def forward(self, x):',
        '        return F.relu(self.conv(self.char_embeddings(x).transpose(1, 2)))',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(embed, 'AI005'), []);
    });

    it('a clamp at 0 of a product with a registered buffer (a fixed transform) is not a hand-written ReLU; with a Parameter it is', () => {
      const src = [
        'import torch',
        'import torch.nn as nn',
        '',
        'class FixedMap(nn.Module):',
        '    def __init__(self, m):',
        '        super().__init__()',
        '        self.register_buffer("inv", torch.linalg.pinv(m))',
        '',
        '    def forward(self, spec):',
        '        return self.inv.matmul(spec).clamp(min=0)',
        '',
        'class Learned(nn.Module):',
        '    def __init__(self, n):',
        '        super().__init__()',
        '        self.proj = nn.Parameter(torch.randn(n, n))',
        '',
        '    def forward(self, h):',
        '        return self.proj.matmul(h).clamp(min=0)  # LEARNED',
        '',
      ].join('\n');
      assert.deepStrictEqual(linesOf(src, 'AI002'), [lineWith(src, '# LEARNED')]);
    });
  });
});
