// Regressions from the blind run of stop 19 (docs/lint-precision.md, "a blind run on fresh
// code"): the classes of wrong warnings it found, fixed after it was measured. Every snippet is
// a stand-in written for this project; none is copied from the repositories read.
import * as assert from 'assert';
import { lintFile } from '../../src/code/lint';

const STRICT = { onRuleError: (e: unknown): never => { throw e; } };

function findings(text: string, code: string): { line: number; severity: string }[] {
  return (lintFile('snippet.py', text, STRICT) ?? []).filter((f) => f.code === code).map((f) => ({ line: f.line, severity: f.severity }));
}

const TF_MODEL = (softmaxLine: string[], training: string): string =>
  [
    'import tensorflow as tf',
    'from tensorflow.keras import Model, layers',
    '',
    'class Net(Model):',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.fc1 = layers.Dense(64, activation=tf.nn.relu)',
    '        self.out = layers.Dense(10)',
    '',
    '    def call(self, x, is_training=False):',
    '        x = self.fc1(x)',
    '        x = self.out(x)',
    ...softmaxLine,
    '        return x',
    '',
    'def cross_entropy_loss(x, y):',
    '    y = tf.cast(y, tf.int64)',
    '    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x)',
    '    return tf.reduce_mean(loss)',
    '',
    'net = Net()',
    'def step(x, y):',
    '    with tf.GradientTape() as g:',
    `        pred = net(x, ${training})`,
    '        loss = cross_entropy_loss(pred, y)',
    '',
  ].join('\n');

describe('lint: stop-19 blind-run regressions', () => {
  it('AI001: a softmax applied only in an inference branch (`if not is_training:`) is not the trained output', () => {
    const src = TF_MODEL(['        if not is_training:', '            x = tf.nn.softmax(x)'], 'is_training=True');
    assert.deepStrictEqual(findings(src, 'AI001'), []);
  });

  it('AI001: the same model with the softmax on every path is still reported', () => {
    const src = TF_MODEL(['        x = tf.nn.softmax(x)'], 'is_training=True');
    assert.deepStrictEqual(findings(src, 'AI001').map((f) => f.line), [src.split('\n').indexOf('        x = tf.nn.softmax(x)')]);
  });

  const SEQ2SEQ = (wiring: string[]): string =>
    [
      'import torch',
      'import torch.nn as nn',
      '',
      'class Attention(nn.Module):',
      '    def __init__(self, hid):',
      '        super().__init__()',
      '        self.score = nn.Linear(hid * 2, 1)',
      '    def forward(self, hidden, outputs):',
      '        energy = self.score(torch.cat([hidden, outputs], dim=2)).squeeze(2)',
      '        return torch.softmax(energy, dim=1)',
      '',
      'class Decoder(nn.Module):',
      '    def __init__(self, vocab, hid, attention):',
      '        super().__init__()',
      '        self.attention = attention',
      '        self.out = nn.Linear(hid, vocab)',
      '    def forward(self, hidden, outputs):',
      '        a = self.attention(hidden, outputs)',
      '        ctx = (a.unsqueeze(2) * outputs).sum(1)',
      '        return self.out(ctx)',
      '',
      ...wiring,
      'criterion = nn.CrossEntropyLoss()',
      '',
    ].join('\n');

  it('AI001: an attention module returning its softmax weights, passed to the decoder, is a part, not the model', () => {
    const src = SEQ2SEQ(['attn = Attention(32)', 'model = Decoder(100, 32, attn)']);
    assert.deepStrictEqual(findings(src, 'AI001'), []);
  });

  it('AI001: the same attention made inside the decoder (self.attention = Attention(hid)) is a part too', () => {
    const src = SEQ2SEQ(['model = Decoder(100, 32, None)']).replace('        self.attention = attention', '        self.attention = Attention(hid)');
    assert.deepStrictEqual(findings(src, 'AI001'), []);
  });

  it('AI001: a model class returning softmax, trained with CrossEntropyLoss, is still reported', () => {
    const src = SEQ2SEQ(['model = Attention(32)']);
    assert.deepStrictEqual(findings(src, 'AI001').map((f) => f.line), [9]);
  });

  it('AI002: a hand-written ReLU is advice (information), not a warning', () => {
    const src = ['import torch', 'w = torch.randn(4, 8, requires_grad=True)', 'h = (x @ w).clamp(min=0)', 'h.sum().backward()', ''].join('\n');
    assert.deepStrictEqual(findings(src, 'AI002'), [{ line: 2, severity: 'information' }]);
  });
});
