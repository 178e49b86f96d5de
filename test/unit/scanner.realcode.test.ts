// Hover failure classes found on real code (issue 11), each distilled from the shapes public
// repositories write (see test/fixtures/code/realcode/MANIFEST.md), with negative cases: the
// fix must not add hovers where there is no activation.
import * as assert from 'node:assert/strict';
import { IndexCache, indexText, matchAt } from '../../src/code/api';
import { indexDocument, notebookCell } from '../../src/code/document';
import { explainText } from '../../src/cli/explain';
import type { ResolvedMatch } from '../../src/code/resolveMatch';

const CURSOR = '‸';

function at(code: string, cellStarts: readonly number[] = []): ResolvedMatch | null {
  const offset = code.indexOf(CURSOR);
  assert.ok(offset >= 0, 'no cursor');
  const text = code.slice(0, offset) + code.slice(offset + 1);
  return matchAt(indexText(text, 'python', cellStarts), offset);
}

function expectHit(code: string, framework: string, id: string, params: Record<string, unknown> = {}): ResolvedMatch {
  const r = at(code);
  assert.ok(r, `expected a hover in:\n${code}`);
  assert.equal(r.match.framework, framework);
  assert.equal(r.match.binding.id, id);
  assert.equal(r.error, undefined);
  for (const [k, v] of Object.entries(params)) assert.deepEqual(r.params[k], v, `param ${k}`);
  return r;
}

function expectNone(code: string): void {
  const r = at(code);
  assert.equal(r, null, r ? `unexpected hover ${r.match.framework} ${r.match.fn}` : '');
}

describe('real-code hover classes', () => {
  describe('1. an unclosed bracket ends at the next plain statement', () => {
    const KERAS = 'from tensorflow.keras.layers import Dense, Conv2D, ZeroPadding2D\nimport torch.nn.functional as F\n';
    it('an exercise left `activation=` open at the end of a line', () => {
      expectHit(`${KERAS}x = Dense(64, activation=\ny = F.re‸lu(x)\n`, 'torch', 'relu');
    });
    it('a def / class / import / decorator at the opener’s indentation', () => {
      expectHit(`${KERAS}def block(x):\n    x = ZeroPadding2D(padding=(3, 3)(x)\n    return x\ndef head(x):\n    return F.ge‸lu(x)\n`, 'torch', 'gelu');
      expectHit(`${KERAS}x = Conv2D(64, (3, 3)\nclass Net:\n    act = F.sil‸u\n`, 'torch', 'silu');
      expectHit(`x = foo(1,\nimport torch.nn.functional as F\ny = F.ta‸nh(x)\n`, 'torch', 'tanh');
      expectHit(`${KERAS}x = Dense(64\n@register\ndef f(x):\n    return F.sig‸moid(x)\n`, 'torch', 'sigmoid');
    });
    it('`name = value` with spaces at the opener’s indentation; `name=` only when dedented', () => {
      expectHit(`${KERAS}X = Conv2D(filters=F1, kernel_size=(1, 1), strides=(s, s), padding='valid'(X)\nX = Dense(10, activation="soft‸max")(X)\n`, 'tf', 'softmax');
      expectHit(`${KERAS}def f(X):\n    X = Conv2D(64, (3, 3)\nX=Dense(4, activation="ta‸nh")(X)\n`, 'tf', 'tanh');
    });
    it('a keyword argument on its own line continues the call (no early end)', () => {
      // `activation=` at column 0 inside an open call is the call's argument, not a statement.
      expectHit(`${KERAS}x = Dense(\n64,\nactivation="re‸lu")(x)\n`, 'tf', 'relu');
      expectHit(`${KERAS}model = Sequential([\n    Dense(64,\n          activation="el‸u"),\n])\n`, 'tf', 'elu');
      expectHit(`${KERAS}cfg = dict(\nunits = 64,\nact = 1,\n)\nx = Dense(4, activation="el‸u")\n`, 'tf', 'elu');
      expectHit(`${KERAS}layer = Dense(\nunits = 64,\nactivation="sel‸u")\n`, 'tf', 'selu');
    });
    it('a notebook cell boundary always ends an open bracket (and a triple-quoted string)', () => {
      const cells = ['import torch.nn.functional as F\nx = foo(1,', 'y = F.gelu(x)', 's = """unterminated', 'z = F.relu(x)'];
      const text = cells.join('\n');
      const starts: number[] = [];
      let o = 0;
      for (const c of cells) {
        starts.push(o);
        o += c.length + 1;
      }
      const ix = indexText(text, 'python', starts);
      assert.equal(matchAt(ix, text.indexOf('gelu') + 1)?.match.fn, 'gelu');
      assert.equal(matchAt(ix, text.indexOf('relu') + 1)?.match.fn, 'relu');
      // Without the cell starts the string swallows the last cell: the boundary is what fixes it.
      assert.equal(matchAt(indexText(text, 'python'), text.indexOf('relu') + 1), null);
    });
    it('the notebook document adapter passes the cell starts to the index', () => {
      const sources = ['import torch.nn.functional as F', 'h = model(x,', 'out = F.relu(h)'];
      const cells = sources.map((s, k) => ({ id: `c${k}`, version: 1, text: () => s }));
      const d = indexDocument(new IndexCache(), notebookCell('nb', cells, 2));
      // `out = ` would also recover; `F.relu(h)` alone at column 0 only recovers at the boundary.
      const cells2 = ['import torch.nn.functional as F', 'h = model(x,', 'F.relu(h)'].map((s, k) => ({ id: `c${k}`, version: 1, text: () => s }));
      const d2 = indexDocument(new IndexCache(), notebookCell('nb2', cells2, 2));
      assert.equal(matchAt(d.ix, d.base + 'out = F.re'.length)?.match.fn, 'relu');
      assert.equal(matchAt(d2.ix, d2.base + 'F.re'.length)?.match.fn, 'relu');
    });
  });

  describe('2. Python scoping: class bodies do not enclose methods', () => {
    const SRC = 'from tensorflow.keras.layers import ReLU\nimport torch.nn.functional as F\n';
    it('a method named like an import does not hide the import inside the method', () => {
      expectHit(`${SRC}class Block:\n    def ReLU(self, x):\n        x = Re‸LU(6.0)(x)\n        return x\n`, 'tf', 'relu', { max_value: 6 });
    });
    it('nor after the class', () => {
      expectHit(`${SRC}class Block:\n    def ReLU(self, x):\n        return x\n\nlayer = Re‸LU(max_value=6.0)\n`, 'tf', 'relu', { max_value: 6 });
    });
    it('in the class body itself the method is the class’s own (no hover)', () => {
      expectNone(`${SRC}class Block:\n    def ReLU(self, x):\n        return x\n    act = Re‸LU\n`);
    });
    it('a function’s own definitions, assignments and parameters shadow imports in that function only', () => {
      expectNone(`${SRC}def f(x):\n    def ReLU(v):\n        return v\n    return Re‸LU(x)\n`);
      expectHit(`${SRC}def f(x):\n    def ReLU(v):\n        return v\n    return ReLU(x)\ny = Re‸LU()(x)\n`, 'tf', 'relu');
      expectNone(`${SRC}def f(ReLU, x):\n    return Re‸LU(x)\n`);
      expectHit(`${SRC}def f(F, x):\n    return F.relu(x)\ny = F.re‸lu(x)\n`, 'torch', 'relu');
      expectHit(`import torch.nn as nn\ndef make():\n    act = nn.GELU()\n    return act\nact = nn.ReLU()\ny = a‸ct(x)\n`, 'torch', 'relu');
    });
    it('a class attribute is still what `self.attr` names in the methods', () => {
      expectHit(`import flax.linen as nn\nclass MLP(nn.Module):\n    act = nn.gelu\n    def __call__(self, x):\n        return self.a‸ct(x)\n`, 'jax', 'gelu');
    });
  });

  describe('3. keras.backend activations', () => {
    it('K.relu with import tensorflow.keras.backend as K', () => {
      const r = expectHit('import tensorflow.keras.backend as K\ny = K.re‸lu(x, alpha=0.1, max_value=6.0)\n', 'tf', 'relu', { alpha: 0.1, max_value: 6, threshold: 0 });
      assert.equal(r.match.kind, 'call');
    });
    it('K.relu with from keras import backend as K (positional alpha)', () => {
      expectHit('from keras import backend as K\ny = K.re‸lu(x, 0.2)\n', 'tf', 'relu', { alpha: 0.2 });
      expectHit('from tensorflow.keras import backend as K\ny = K.sigm‸oid(x)\n', 'tf', 'sigmoid');
    });
    it('a MobileNetV3 helper: K.relu on an expression with max_value', () => {
      expectHit('from tensorflow.keras import backend as K\ndef hard_swish(x):\n    return x * K.re‸lu(x + 3.0, max_value=6.0) / 6.0\n', 'tf', 'relu', { max_value: 6, alpha: 0 });
    });
    it('other backend functions and an unrelated K get nothing', () => {
      expectNone('from keras import backend as K\ny = K.me‸an(x)\n');
      expectNone('import mylib as K\ny = K.re‸lu(x)\n');
    });
  });

  describe('4. activation strings in conditional expressions', () => {
    const K3 = 'from keras import layers\n';
    it('both branches of Activation(... if c else ...)', () => {
      expectHit(`${K3}x = layers.Activation("hard_sw‸ish" if use_hs else "relu")(x)\n`, 'keras', 'hardswish');
      expectHit(`${K3}x = layers.Activation("hard_swish" if use_hs else "re‸lu")(x)\n`, 'keras', 'relu');
    });
    it('both branches of activation=... if ... else ...', () => {
      expectHit(`${K3}x = layers.Dense(4, activation="ge‸lu" if use_gelu else "relu", name="d")(x)\n`, 'keras', 'gelu');
      expectHit(`${K3}x = layers.Dense(4, activation="gelu" if use_gelu else "re‸lu")(x)\n`, 'keras', 'relu');
      expectHit(`${K3}x = layers.Dense(4, activation=None if linear else "sigm‸oid")(x)\n`, 'keras', 'sigmoid');
    });
    it('conditional strings outside activation slots get nothing', () => {
      expectNone(`${K3}act = "gelu" if use_gelu else "re‸lu"\n`);
      expectNone(`${K3}print("gelu" if use_gelu else "re‸lu")\n`);
      expectNone(`${K3}x = layers.Dense(4, name="gelu" if use_gelu else "re‸lu")(x)\n`);
      // The condition's own string is not a branch.
      expectNone(`${K3}x = layers.Dense(4, activation="gelu" if mode == "re‸lu" else None)(x)\n`);
    });
  });

  describe('5. Hugging Face ACT2FN (PyTorch, Flax, TF)', () => {
    it('Flax: modeling_flax_utils.ACT2FN, exact and tanh GELU', () => {
      expectHit('from transformers.modeling_flax_utils import ACT2FN\nself.act = ACT2FN["ge‸lu"]\n', 'jax', 'gelu', { approximate: false });
      expectHit('from transformers.modeling_flax_utils import ACT2FN\nself.act = ACT2FN["gelu_n‸ew"]\n', 'jax', 'gelu', { approximate: true });
      expectHit('from ...modeling_flax_utils import ACT2FN, FlaxPreTrainedModel\nself.act = ACT2FN["si‸lu"]\n', 'jax', 'silu');
    });
    it('TF: activations_tf.ACT2FN and get_tf_activation', () => {
      expectHit('from transformers.activations_tf import get_tf_activation\nact = get_tf_activation("gelu_f‸ast")\n', 'tf', 'gelu', { approximate: true });
      expectHit('from transformers.activations_tf import ACT2FN\nact = ACT2FN["ge‸lu"]\n', 'tf', 'gelu', { approximate: false });
      expectHit('from ...activations_tf import get_tf_activation\nact = get_tf_activation("mi‸sh")\n', 'tf', 'mish');
    });
    it('PyTorch: gelu_fast and linear', () => {
      expectHit('from transformers.activations import ACT2FN\nact = ACT2FN["gelu_fa‸st"]\n', 'torch', 'gelu', { approximate: 'tanh' });
      expectHit('from ...activations import ACT2FN\nact = ACT2FN["line‸ar"]\n', 'torch', 'identity');
    });
    it('quick_gelu (x·σ(1.702x), not in the catalog), a non-constant key, and a relative import of another module: nothing', () => {
      expectNone('from transformers.modeling_flax_utils import ACT2FN\nact = ACT2FN["quick_ge‸lu"]\n');
      expectNone('from transformers.activations import ACT2FN\nact = ACT2FN["quick_ge‸lu"]\n');
      expectNone('from transformers.modeling_flax_utils import ACT2FN\nact = ACT2FN[config.hidden_a‸ct]\n');
      expectNone('from ...utils import ACT2FN\nact = ACT2FN["ge‸lu"]\n');
    });
  });

  describe('6. a module-level dict of framework functions, constant key', () => {
    const D = 'import torch.nn as nn\nimport torch.nn.functional as F\nACT2FN = {"gelu": F.gelu, "relu": F.relu, "lrelu": nn.LeakyReLU(0.2), "mine": my_act}\n';
    it('the key of a lookup shows the entry', () => {
      const r = expectHit(`${D}y = ACT2FN["ge‸lu"](x)\n`, 'torch', 'gelu', { approximate: 'none' });
      assert.match(r.match.path, /torch\.nn\.functional\.gelu/);
      expectHit(`${D}act = ACT2FN["lre‸lu"]\n`, 'torch', 'leaky_relu', { negative_slope: 0.2 });
    });
    it('a name bound to a lookup stands for the entry', () => {
      expectHit(`${D}act = ACT2FN["gelu"]\ny = a‸ct(x)\n`, 'torch', 'gelu');
      expectHit(`${D}self.act = ACT2FN["lrelu"]\ny = self.a‸ct(x)\n`, 'torch', 'leaky_relu', { negative_slope: 0.2 });
      expectNone(`${D}act = ACT2FN[name]\ny = a‸ct(x)\n`);
      expectNone(`${D}act = ACT2FN["mine"]\ny = a‸ct(x)\n`);
      expectNone(`${D}act = ACT2FN["gelu"](h)\ny = a‸ct(x)\n`);
    });
    it('the table’s name in a lookup shows the entry', () => {
      expectHit(`${D}act = ACT‸2FN["relu"]\n`, 'torch', 'relu');
    });
    it('vendored tables: annotations, functools.partial entries, module-level aliases', () => {
      const FLAX = 'from functools import partial\nimport flax.linen as nn\nimport jax\n';
      const T = `${FLAX}def quick_gelu(x):\n    return x * jax.nn.sigmoid(1.702 * x)\n\nACT2FN = {\n    "gelu": partial(nn.gelu, approximate=False),\n    "relu": nn.relu,\n    "gelu_new": partial(nn.gelu, approximate=True),\n    "quick_gelu": quick_gelu,\n}\n`;
      expectHit(`${T}act = ACT2FN["ge‸lu"]\n`, 'jax', 'gelu', { approximate: false });
      expectHit(`${T}act = ACT2FN["gelu_n‸ew"]\n`, 'jax', 'gelu', { approximate: true });
      expectHit(`${T}act = ACT2FN["re‸lu"]\n`, 'jax', 'relu');
      expectNone(`${T}act = ACT2FN["quick_ge‸lu"]\n`);
      const A = 'from typing import Callable, Dict\nimport torch\nimport torch.nn.functional as F\nif torch.__version__ < "1.4.0":\n    gelu = _gelu_python\nelse:\n    gelu = F.gelu\nACTS: Dict[str, Callable] = {\n    "relu": torch.nn.functional.relu,\n    "tanh": torch.tanh,\n    "gelu_fast": gelu_fast,\n}\n';
      expectHit(`${A}f = ACTS["ta‸nh"]\n`, 'torch', 'tanh');
      expectHit(`${A}f = ACTS["re‸lu"]\n`, 'torch', 'relu');
      expectNone(`${A}f = ACTS["gelu_fa‸st"]\n`);
      expectNone(`${A}def get_activation(activation_string):\n    return ACTS[activation_st‸ring]\n`);
      // `partial` that is not functools's.
      expectNone('import torch.nn.functional as F\nfrom mylib import partial\nT = {"g": partial(F.gelu, approximate="tanh")}\nf = T["‸g"]\n');
    });
    it('non-constant keys, missing keys, user functions and function-local tables get nothing', () => {
      expectNone(`${D}act = ACT‸2FN[name]\n`);
      expectNone(`${D}act = ACT2FN["mi‸ne"]\n`);
      expectNone(`${D}act = ACT2FN["oth‸er"]\n`);
      expectNone(`${D}act = ACT2FN[f"{ki‸nd}"]\n`);
      expectNone('import torch.nn.functional as F\ndef f():\n    ACTS = {"relu": F.relu}\n    return ACTS["re‸lu"]\n');
      expectNone('import torch.nn.functional as F\nACTS = {"relu": F.relu} if c else {}\nf = ACTS["re‸lu"]\n');
    });
  });
});

describe('real-code hover classes through explain (an .ipynb file)', () => {
  it('an exercise cell with an unclosed call does not hide the next cell’s hovers', () => {
    const cell = (src: string[]): unknown => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: src });
    const nb = {
      cells: [
        cell(['import torch.nn.functional as F\n', 'from tensorflow.keras.layers import Dense\n']),
        cell(['# GRADED: fill in the blanks\n', 'X = Dense(units=None, activation=None\n']),
        cell(['F.relu(X)']),
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const raw = JSON.stringify(nb, null, 1);
    const lines = raw.split('\n');
    const line = lines.findIndex((l) => l.includes('F.relu(X)'));
    const column = (lines[line] as string).indexOf('F.relu') + 3;
    const out = explainText(raw, 'exercise.ipynb', line + 1, column + 1);
    assert.equal(out.match?.fn, 'relu');
    assert.equal(out.match?.framework, 'torch');
  });
});
