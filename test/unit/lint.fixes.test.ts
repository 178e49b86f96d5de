// Quick fixes as text edits: applying each fix gives the expected source, and linting the
// result no longer reports that rule. Also: severity settings, notebooks, and that no rule
// throws on truncated or garbage input.
import * as assert from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { lintCells, lintFile, lintText, RULES, type LintFinding, type TextEdit } from '../../src/code/lint';
import { getEntry } from '../../src/engine/activations/registry';
import { findDemo } from '../../src/session/demos';

/** Rule exceptions fail the test instead of being reported as no findings. */
const STRICT = { onRuleError: (e: unknown): never => { throw e; } };

function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function fixOnce(text: string, code: string, title: RegExp, lang: 'python' | 'js' = 'python'): string {
  const fs = lintText(text, lang, STRICT).filter((f) => f.code === code);
  assert.strictEqual(fs.length, 1, `expected one ${code}, got ${JSON.stringify(lintText(text, lang).map((f) => f.code))}`);
  const fx = (fs[0] as LintFinding).fixes.find((f) => title.test(f.title));
  assert.ok(fx, `no fix ${title}: ${(fs[0] as LintFinding).fixes.map((f) => f.title).join(' | ')}`);
  const out = apply(text, fx.edits);
  assert.deepStrictEqual(lintText(out, lang).filter((f) => f.code === code), [], `${code} still reported after the fix:\n${out}`);
  return out;
}

describe('lint quick fixes', () => {
  const cases: [string, string, RegExp, string, string, ('python' | 'js')?][] = [
    ['AI001 remove nn.Softmax element (inline)', 'AI001', /Remove/, 'import torch.nn as nn\nm = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\nc = nn.CrossEntropyLoss()\n', 'import torch.nn as nn\nm = nn.Sequential(nn.Linear(4, 3))\nc = nn.CrossEntropyLoss()\n'],
    ['AI001 remove forward return softmax', 'AI001', /Remove/, 'import torch.nn as nn\nimport torch.nn.functional as F\nclass N(nn.Module):\n    def forward(self, x):\n        return F.softmax(self.fc(x), dim=1)\nloss_fn = nn.CrossEntropyLoss()\n', 'import torch.nn as nn\nimport torch.nn.functional as F\nclass N(nn.Module):\n    def forward(self, x):\n        return self.fc(x)\nloss_fn = nn.CrossEntropyLoss()\n'],
    ['AI001 sigmoid variable before BCEWithLogitsLoss', 'AI001', /Remove/, 'import torch\ncrit = torch.nn.BCEWithLogitsLoss()\np = torch.sigmoid(z)\nl = crit(p, y)\n', 'import torch\ncrit = torch.nn.BCEWithLogitsLoss()\np = z\nl = crit(p, y)\n'],
    ['AI001 method softmax', 'AI001', /Remove/, 'import torch.nn.functional as F\nloss = F.cross_entropy(out.softmax(dim=-1), y)\n', 'import torch.nn.functional as F\nloss = F.cross_entropy(out, y)\n'],
    ['AI001 keras Activation layer via model.add', 'AI001', /Remove/, 'import keras\nm = keras.Sequential()\nm.add(keras.layers.Dense(3))\nm.add(keras.layers.Activation("softmax"))\nm.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n', 'import keras\nm = keras.Sequential()\nm.add(keras.layers.Dense(3))\nm.add()\nm.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n'],
    ['AI001 softmax into NLLLoss → log_softmax', 'AI001', /log_softmax/, 'import torch.nn.functional as F\nloss = F.nll_loss(F.softmax(out, dim=1), y)\n', 'import torch.nn.functional as F\nloss = F.nll_loss(F.log_softmax(out, dim=1), y)\n'],
    ['AI001 nn.Softmax instance into NLLLoss → LogSoftmax', 'AI001', /LogSoftmax/, 'import torch.nn as nn\nsm = nn.Softmax(dim=1)\ncrit = nn.NLLLoss()\nl = crit(sm(z), y)\n', 'import torch.nn as nn\nsm = nn.LogSoftmax(dim=1)\ncrit = nn.NLLLoss()\nl = crit(sm(z), y)\n'],
    ['AI002 jnp.maximum → jax.nn.relu', 'AI002', /jax\.nn\.relu/, 'import jax\nimport jax.numpy as jnp\nh = jnp.maximum(x, 0)\n', 'import jax\nimport jax.numpy as jnp\nh = jax.nn.relu(x)\n'],
    ['AI002 clamp method → F.relu', 'AI002', /F\.relu/, 'import torch.nn.functional as F\nh = self.fc(x).clamp(min=0)\n', 'import torch.nn.functional as F\nh = F.relu(self.fc(x))\n'],
    ['AI003 flax zeros → he_normal()', 'AI003', /he_normal/, 'import flax.linen as nn\nd = nn.Dense(8, kernel_init=nn.initializers.zeros)\nh = nn.relu(d(x))\n', 'import flax.linen as nn\nd = nn.Dense(8, kernel_init=nn.initializers.he_normal())\nh = nn.relu(d(x))\n'],
    ['AI003 tanh file → Xavier', 'AI003', /Xavier/, 'import torch\nfc = torch.nn.Linear(2, 2)\ntorch.nn.init.constant_(fc.weight, 0.1)\ny = torch.tanh(fc(x))\n', 'import torch\nfc = torch.nn.Linear(2, 2)\ntorch.nn.init.xavier_uniform_(fc.weight)\ny = torch.tanh(fc(x))\n'],
    ['AI003 tfjs zeros → heNormal', 'AI003', /heNormal/, "const m = tf.sequential();\nm.add(tf.layers.dense({units: 4, activation: 'relu', kernelInitializer: 'zeros'}));\n", "const m = tf.sequential();\nm.add(tf.layers.dense({units: 4, activation: 'relu', kernelInitializer: 'heNormal'}));\n", 'js'],
    ['AI005 keras glorot_uniform → he_uniform', 'AI005', /He/, 'from keras import layers\nd = layers.Dense(8, activation="relu", kernel_initializer="glorot_uniform")\n', 'from keras import layers\nd = layers.Dense(8, activation="relu", kernel_initializer="he_uniform")\n'],
    ['AI005 torch selu kaiming → linear', 'AI005', /LeCun/, 'import torch.nn as nn\nm = nn.Sequential(nn.Linear(3, 3), nn.SELU())\nnn.init.kaiming_normal_(m[0].weight, nonlinearity="selu")\n', 'import torch.nn as nn\nm = nn.Sequential(nn.Linear(3, 3), nn.SELU())\nnn.init.kaiming_normal_(m[0].weight, nonlinearity="linear")\n'],
    ['AI005 flax xavier → he', 'AI005', /He/, 'import flax.linen as nn\nm = nn.Sequential([nn.Dense(8, kernel_init=nn.initializers.xavier_normal()), nn.relu, nn.Dense(1)])\n', 'import flax.linen as nn\nm = nn.Sequential([nn.Dense(8, kernel_init=nn.initializers.he_normal()), nn.relu, nn.Dense(1)])\n'],
    ['AI006 keras.activations.relu alpha', 'AI006', /negative_slope/, 'import keras\ny = keras.activations.relu(x, alpha=0.1)\n', 'import keras\ny = keras.activations.relu(x, negative_slope=0.1)\n'],
    ['AI006 keras.ops.gelu exact', 'AI006', /approximate=False/, 'from keras import ops\ny = ops.gelu(x)\n', 'from keras import ops\ny = ops.gelu(x, approximate=False)\n'],
    ['AI007 F.log_softmax trailing comma', 'AI007', /dim=-1/, 'import torch.nn.functional as F\ny = F.log_softmax(\n    x,\n)\n', 'import torch.nn.functional as F\ny = F.log_softmax(\n    x, dim=-1\n)\n'],
    ['AI007 Tensor.softmax()', 'AI007', /dim=-1/, 'import torch\ny = logits.softmax()\n', 'import torch\ny = logits.softmax(dim=-1)\n'],
    ['AI004 keras strings → relu', 'AI004', /relu/, `import keras\nm = keras.Sequential([${'keras.layers.Dense(8, activation="tanh"), '.repeat(5)}keras.layers.Dense(1)])\n`, `import keras\nm = keras.Sequential([${'keras.layers.Dense(8, activation="relu"), '.repeat(5)}keras.layers.Dense(1)])\n`],
  ];
  for (const [name, code, title, before, after, lang] of cases) {
    it(name, () => {
      assert.strictEqual(fixOnce(before, code, title, lang ?? 'python'), after);
    });
  }

  it('removing a Keras activation argument keeps the call valid', () => {
    const out = fixOnce('import keras\nm = keras.Sequential([keras.layers.Dense(3, activation="sigmoid")])\nm.compile(loss=keras.losses.BinaryCrossentropy(from_logits=True))\n', 'AI001', /Remove/);
    assert.match(out, /keras\.layers\.Dense\(3\)\]/);
  });
});

describe('lint settings, notebooks and robustness', () => {
  const src = 'import torch.nn as nn\ns = nn.Softmax()\nnn.init.zeros_(fc.weight)\n';

  it('severity overrides replace the default, "off" drops the rule', () => {
    const fs = lintText(src, 'python', { severities: { AI007: 'error', AI003: 'off' } });
    assert.deepStrictEqual(fs.map((f) => [f.code, f.severity]), [['AI007', 'error']]);
  });

  it('editor-only hints keep their severity under a default setting', () => {
    const fs = lintText('import jax\ny = jax.nn.gelu(x)\n', 'python', { severities: { AI006: 'warning' } });
    assert.deepStrictEqual(fs.map((f) => [f.code, f.severity]), [['AI006', 'hint']]);
    const porting = lintText('import jax\nimport torch\ny = jax.nn.gelu(x)\n', 'python');
    assert.deepStrictEqual(porting.map((f) => [f.code, f.severity]), [['AI006', 'information']]);
  });

  it('notebook cells see earlier imports; offsets are per cell', () => {
    const cells = ['import torch.nn as nn\n', 'x = 1\n', 'sm = nn.Softmax()'];
    const r = lintCells(cells);
    assert.strictEqual(r.length, 1);
    assert.strictEqual(r[0]?.cell, 2);
    assert.strictEqual(cells[2]?.slice(r[0]?.finding.start, r[0]?.finding.end), 'nn.Softmax()');
    assert.deepStrictEqual(r[0]?.finding.fixes[0]?.edits, [{ start: 16, end: 16, newText: 'dim=-1' }]);
  });

  it('reports notebook findings at their place in the .ipynb file', () => {
    const nb = JSON.stringify({ cells: [{ cell_type: 'code', source: ['import torch.nn as nn\n'] }, { cell_type: 'code', source: ['sm = nn.Softmax()'] }] }, null, 1);
    const f = lintFile('x.ipynb', nb);
    assert.strictEqual(f?.length, 1);
    const line = nb.split('\n')[f?.[0]?.line ?? -1] ?? '';
    assert.strictEqual(line.slice(f?.[0]?.character, f?.[0]?.endCharacter), 'nn.Softmax()');
  });

  it("every finding's link opens something that exists (an activation in that framework, or a demo)", () => {
    const root = join(__dirname, '..', 'fixtures', 'lint', 'pos');
    let n = 0;
    for (const f of readdirSync(root)) {
      for (const x of lintFile(f, readFileSync(join(root, f), 'utf8')) ?? []) {
        const t = x.target ?? RULES[x.code].target;
        if (t.kind === 'demo') assert.ok(findDemo(t.id), `${f}: no demo ${t.id}`);
        else assert.ok(getEntry(t.id)?.bindings.some((b) => !t.framework || b.framework === t.framework), `${f}: no ${t.framework} binding of ${t.id}`);
        n++;
      }
    }
    assert.ok(n > 80, `${n} findings checked`);
  });

  it('never throws on truncated or garbage text', () => {
    const base = 'import torch\nimport torch.nn as nn\nimport keras\nm = nn.Sequential(nn.Linear(2, 8), nn.Sigmoid(), *[nn.Linear(8, 8) for _ in range(3)], nn.Softmax(dim=1))\nc = nn.CrossEntropyLoss()\nl = c(torch.softmax(m(x), 1), y)\nk = keras.Sequential([keras.layers.Dense(4, activation="softmax", kernel_initializer="zeros")])\n';
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < base.length; i += 3) {
      lintText(base.slice(0, i), 'python', STRICT);
      const chars = base.split('');
      for (let k = 0; k < 4; k++) chars[rnd(chars.length)] = '([{)]},=*."\n'[rnd(12)] as string;
      lintText(chars.join(''), 'python', STRICT);
      lintText(chars.join(''), 'js', STRICT);
    }
  });
});
