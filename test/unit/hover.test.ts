// The hover markdown, asserted by its text: formulas with the call's values, properties,
// kink gradients, how other frameworks differ, lookalike notes, images and command links.
import * as assert from 'node:assert/strict';
import { indexText, matchAt, type SourceLang } from '../../src/code/api';
import { hoverMarkdown, HOVER_COMMANDS, type HoverOptions } from '../../src/render/markdown';
import { texToSvg } from '../../src/render/tex';
import { allEntries, getDef, resolve } from '../../src/engine/activations/registry';
import { resolveMatch } from '../../src/code/resolveMatch';
import { findDtypeHints } from '../../src/code/dtype';
import { themeColors } from '../../src/render/svg';

function hover(code: string, needle: string, opts: HoverOptions = {}, lang: SourceLang = 'python'): string {
  const at = code.indexOf(needle);
  assert.ok(at >= 0, `needle ${needle} not in code`);
  const rm = matchAt(indexText(code, lang), at + 1);
  assert.ok(rm, `no match at ${needle}`);
  return hoverMarkdown(rm, opts);
}

function images(md: string): string[] {
  return [...md.matchAll(/!\[(?:\\.|[^\]\\])*\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => Buffer.from(m[1] as string, 'base64').toString('utf8'));
}

function commandArgs(md: string, cmd: string): unknown {
  const m = new RegExp(`\\(command:${cmd.replace(/\./g, '\\.')}\\?([^ )]+)`).exec(md);
  assert.ok(m, `no link to ${cmd}`);
  return JSON.parse(decodeURIComponent(m[1] as string));
}

const TORCH = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

describe('hover markdown', () => {
  it('shows name, framework, the formula with the argument and this framework’s kink gradient', () => {
    const md = hover(TORCH + 'act = nn.LeakyReLU(0.2)\n', 'LeakyReLU');
    assert.match(md, /^\*\*Leaky ReLU\*\* — PyTorch `LeakyReLU\(negative_slope=0\.2\)`/);
    // Typeset images whose alt text is the readable formula; text-only without images.
    // The catalog's formulas written with this call's slope (0.2), as image alt text.
    const fs = getDef('leaky_relu').formulas({ negative_slope: 0.2 }, { gradAtZero: 'slope' });
    assert.ok(fs.f.text.includes('0.2') && !fs.f.text.includes('0.01'));
    assert.ok(md.includes(`![f(x) = ${fs.f.text}](data:image/svg+xml;base64,`), md.slice(0, 300));
    assert.ok(md.includes(`![f′(x) = ${fs.df.text}](data:image/svg+xml;base64,`));
    const plain = hover(TORCH + 'act = nn.LeakyReLU(0.2)\n', 'LeakyReLU', { images: false });
    assert.ok(plain.includes(`\`f(x) = ${fs.f.text}\``));
    assert.ok(!plain.includes('data:image'));
    assert.ok(md.includes('f′(0) = 0.2 in PyTorch'), 'torch returns the slope at 0');
    assert.ok(md.includes('range (−∞, ∞)'));
    assert.ok(md.includes('monotonic (increasing)'));
    assert.ok(md.includes('not zero-centred'));
  });

  it('says where other frameworks differ: defaults and the gradient at 0', () => {
    const md = hover(TORCH + 'act = nn.LeakyReLU(0.2)\n', 'LeakyReLU');
    // Compared with what this call computes (slope 0.2): JAX's default slope and its
    // gradient at 0 differ; tf.nn.leaky_relu's default 0.2 is the same function.
    assert.ok(md.includes('JAX `leaky_relu`: negative_slope=0.01 by default, f′(0) = 1'), md);
    assert.ok(md.includes('Keras 3 `LeakyReLU`: negative_slope=0.3 by default'));
    assert.ok(!md.includes('TensorFlow `leaky_relu`'));
    assert.ok(!md.includes('Keras 3 `leaky_relu`'));
    const tanh = hover(TORCH + 'act = nn.GELU(approximate="tanh")\n', 'GELU');
    assert.ok(tanh.includes('Keras 3 `gelu`: approximate=False by default') && !tanh.includes('JAX `gelu`'), tanh.slice(0, 2000));
  });

  it('GELU: JAX defaults to the tanh approximation, PyTorch to the exact form', () => {
    const md = hover(TORCH + 'y = F.gelu(x)\n', 'gelu');
    assert.ok(md.includes('JAX `gelu`: approximate=True by default'), md);
    const jmd = hover('import jax\ny = jax.nn.gelu(x)\n', 'gelu');
    assert.match(jmd, /PyTorch `gelu`: approximate="none" by default/);
    // Smooth functions show f″ too.
    assert.ok(md.includes('f″(x)'));
  });

  it('a different formula elsewhere is spelled out (Keras 3 vs Keras 2 hard_sigmoid)', () => {
    const md = hover('import keras\ny = keras.activations.hard_sigmoid(x)\n', 'hard_sigmoid');
    const tf = resolve('tf', 'hard_sigmoid');
    const keras = resolve('keras', 'hard_sigmoid');
    const tfText = tf.entry.def.formulas(tf.params, tf.conventions).f.text;
    assert.notEqual(tfText, keras.entry.def.formulas(keras.params, keras.conventions).f.text, 'the catalog has two formulas');
    assert.ok(md.includes(`TensorFlow \`hard_sigmoid\`: f(x) = ${tfText}`), md);
    assert.ok(md.includes('f′(3) = 0 in Keras 3'));
  });

  it('variables: kink gradients are labelled as computed with the defaults', () => {
    const md = hover(TORCH + 'act = nn.LeakyReLU(s)\n', 'LeakyReLU', { images: false });
    assert.ok(md.includes('f′(0) = 0.01 in PyTorch (one-sided 0.01 | 1) with the default parameters'), md);
  });

  it('piecewise-linear functions skip the trivial f″ at the standard level, full shows it', () => {
    const md = hover(TORCH + 'y = F.relu(x)\n', 'relu');
    assert.ok(!md.includes('f″(x)'));
    assert.ok(hover(TORCH + 'y = F.relu(x)\n', 'relu', { detail: 'full' }).includes('f″(x)'));
  });

  it('variables stay symbols in the formula', () => {
    const md = hover(TORCH + 'y = F.leaky_relu(x, slope)\n', 'leaky_relu', { images: false });
    assert.ok(md.includes('`f(x) = x if x > 0, else slope·x`'), md);
    assert.ok(md.includes('leaky_relu(negative_slope=slope)'));
  });

  it('lookalikes carry the gradient-at-0 note', () => {
    const a = hover(TORCH + 'y = torch.maximum(x, torch.zeros_like(x))\n', 'maximum');
    assert.ok(a.includes('0.5 at x = 0'), a);
    assert.ok(a.includes('this expression: f′(0) = 0.5'));
    const b = hover(TORCH + 'y = x.clamp(min=0)\n', 'clamp');
    assert.ok(b.includes('gradient 1 at x = 0'));
    const c = hover('import numpy as np\ny = np.maximum(0, x)\n', 'maximum');
    assert.ok(c.includes('NumPy: it has no gradient'));
    const d = hover('import tensorflow as tf\ny = tf.maximum(x, 0.)\n', 'maximum');
    assert.ok(d.includes('here 1 at x = 0'));
    const e = hover('import tensorflow as tf\ny = tf.maximum(0., x)\n', 'maximum');
    assert.ok(e.includes('here 0 at x = 0'));
  });

  it('clamps of positions, schedules and hinges are no hand-written ReLU: no hover', () => {
    // shapes seen in public code: an index clamp (audio LMs), a warm-up schedule (flax benchmarks), a hinge loss
    for (const [code, needle] of [
      [TORCH + 'pos = torch.stack((seq_positions.clamp(min = 0), seq_offsets), dim = -1)\n', 'clamp'],
      [TORCH + 'idx = self.positions.clamp(min=0)\n', 'clamp'],
      ['import jax.numpy as jnp\nprogress = jnp.maximum(0.0, (step - warmup_steps) / float(steps_per_cycle))\n', 'maximum'],
      [TORCH + 'loss = torch.clamp(1 - y * scores, min=0).mean()\n', 'clamp'],
      [TORCH + 'lengths = torch.maximum(seq_lens, torch.zeros_like(seq_lens))\n', 'maximum'],
    ] as const) {
      assert.equal(matchAt(indexText(code, 'python'), code.indexOf(needle) + 1), null, code);
    }
    // a layer's output clamped at 0 is one, arithmetic or not
    assert.ok(hover(TORCH + 'h = torch.clamp(x @ w1 + b1, min=0)\n', 'clamp').includes('gradient 1 at x = 0'));
    assert.ok(hover(TORCH + 'h = self.fc(x).clamp(min=0)\n', 'clamp').includes('gradient 1 at x = 0'));
    assert.ok(hover(TORCH + 'h = h.clamp(min=0)\n', 'clamp').includes('gradient 1 at x = 0'));
  });

  it('rejected values are reported, not thrown', () => {
    const md = hover(TORCH + 'act = nn.Hardtanh(2.0, -2.0)\n', 'Hardtanh');
    assert.match(md, /⚠️ .*min\\_val.*showing the defaults/);
  });

  it('values from the code cannot inject links or break code spans', () => {
    const md = hover(TORCH + 'act = nn.GELU(approximate="x](command:activationInspector.runDemo) `")\n', 'GELU');
    // Outside code spans, exactly our three links; every link target is balanced.
    const outside = md.replace(/`[^`\n]*`/g, '');
    const links = [...outside.matchAll(/\[([^\]\n]*)\]\(command:([\w.]+)\?([^ )]*) "[^"]*"\)/g)];
    assert.deepEqual(links.map((l) => l[1]), ['Open in Explorer', 'Compare', 'Demo: sparsity']);
    assert.equal([...outside.matchAll(/(?<!\\)\]\(command:/g)].length, 3, 'escaped text is no link');
    assert.deepEqual(JSON.parse(decodeURIComponent(links[0]?.[3] as string)), [{ id: 'gelu', framework: 'torch', name: 'GELU', params: {} }]);
    const sym = hover(TORCH + 'y = F.leaky_relu(x, cfg[`a`])\n', 'leaky_relu', { images: false });
    assert.ok(sym.split('\n')[0]?.endsWith("`leaky_relu(negative_slope=cfg['a'])`"), sym.split('\n')[0]);
  });

  it('formula and plot images are standalone SVGs in the theme’s colours', () => {
    const dark = images(hover(TORCH + 'y = F.elu(x, alpha=0.5)\n', 'elu', { theme: 'dark' }));
    const light = images(hover(TORCH + 'y = F.elu(x, alpha=0.5)\n', 'elu', { theme: 'light' }));
    assert.ok(dark.length >= 3, 'f, f′ and the plot');
    for (const svg of [...dark, ...light]) {
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.ok(!svg.includes('currentColor'));
      assert.match(svg, /width="\d+" height="\d+"/, 'pixel sizes, not ex');
    }
    assert.ok(dark[0]?.includes(themeColors('dark').formula));
    assert.ok(light[0]?.includes(themeColors('light').formula));
    const plot = dark[dark.length - 1] as string;
    assert.ok(plot.includes(themeColors('dark').plot.f) && plot.includes(themeColors('dark').plot.df));
  });

  it('the plot draws f where it is: relu is 0 on the left and rises on the right', () => {
    const svgs = images(hover(TORCH + 'y = F.relu(x)\n', 'relu'));
    const plot = svgs[svgs.length - 1] as string;
    const fPath = /<path d="([^"]+)" fill="none" stroke="[^"]+" stroke-width="2"\/>/.exec(plot)?.[1] as string;
    const pts = [...fPath.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
    assert.ok(pts.length > 100);
    const first = pts[0] as readonly [number, number];
    const mid = pts[Math.floor(pts.length / 2) - 5] as readonly [number, number];
    const last = pts[pts.length - 1] as readonly [number, number];
    assert.equal(first[1], mid[1], 'flat at 0 for x < 0');
    assert.ok(last[1] < first[1] - 30, 'rises (smaller SVG y) for x > 0');
  });

  it('command links carry the arguments our commands take, for our commands only', () => {
    const md = hover(TORCH + 'act = nn.LeakyReLU(0.2)\n', 'LeakyReLU');
    assert.deepEqual(commandArgs(md, 'activationInspector.openExplorer'), [{ id: 'leaky_relu', framework: 'torch', name: 'LeakyReLU', params: { negative_slope: 0.2 } }]);
    assert.deepEqual(commandArgs(md, 'activationInspector.compare'), [{ ids: ['leaky_relu', 'relu', 'gelu'], framework: 'torch' }]);
    assert.deepEqual(commandArgs(md, 'activationInspector.runDemo'), [{ id: 'dying-relu' }]);
    const links = [...md.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);
    assert.equal(links.length, 3);
    assert.ok(links.every((l) => (HOVER_COMMANDS as readonly string[]).includes(l as string)));
    // Variables do not travel as values.
    const sym = hover(TORCH + 'y = F.leaky_relu(x, slope)\n', 'leaky_relu');
    assert.deepEqual(commandArgs(sym, 'activationInspector.openExplorer'), [{ id: 'leaky_relu', framework: 'torch', name: 'leaky_relu', params: {} }]);
    assert.deepEqual(commandArgs(hover(TORCH + 'y = torch.sigmoid(x)\n', 'sigmoid'), 'activationInspector.runDemo'), [{ id: 'vanishing-gradients' }]);
  });

  it('in a file that runs under autocast, Open in Explorer carries the dtype', () => {
    const src = TORCH + 'gate = nn.Sigmoid()\nwith torch.autocast("cuda", dtype=torch.bfloat16):\n    y = gate(x)\n';
    const rm = matchAt(indexText(src, 'python'), src.indexOf('Sigmoid') + 1);
    assert.ok(rm);
    const hint = findDtypeHints(src)[0];
    assert.equal(hint?.dtype, 'bfloat16');
    const md = hoverMarkdown(rm, { images: false, dtype: hint });
    assert.deepEqual(commandArgs(md, 'activationInspector.openExplorer'), [{ id: 'sigmoid', framework: 'torch', name: 'Sigmoid', params: {}, dtype: 'bfloat16' }]);
    assert.deepEqual(commandArgs(hoverMarkdown(rm, { images: false }), 'activationInspector.openExplorer'), [{ id: 'sigmoid', framework: 'torch', name: 'Sigmoid', params: {} }]);
  });

  it('arguments we do not model are listed; the input and name= are not', () => {
    const md = hover(TORCH + 'y = F.leaky_relu(input=h, negative_slope=0.2, inplace=True)\n', 'leaky_relu', { images: false });
    assert.ok(md.includes('Not modelled here: `inplace=True`.'), md);
    const tf = hover('import tensorflow as tf\ny = tf.nn.relu(features=h, name="act")\n', 'relu', { images: false });
    assert.ok(!tf.includes('Not modelled'));
  });

  it('shows the catalog’s notes on this framework’s behaviour', () => {
    const md = hover('import keras\nl = keras.layers.LeakyReLU(alpha=0.1)\n', 'LeakyReLU', { images: false });
    const notes = resolve('keras', 'LeakyReLU').binding.notes ?? [];
    assert.ok(notes.length > 0, 'the catalog has a note on the Keras LeakyReLU layer');
    for (const n of notes) assert.ok(md.includes(`ℹ️ ${n}`), md);
  });

  it('compact detail: text only, no images or links', () => {
    const md = hover(TORCH + 'act = nn.GELU()\n', 'GELU', { detail: 'compact' });
    assert.equal(images(md).length, 0);
    assert.ok(!md.includes('command:'));
    assert.ok(md.includes('`f(x) = '));
  });

  it('strings show the activation they name, with that framework’s defaults', () => {
    const md = hover('import keras\nd = keras.layers.Dense(4, activation="leaky_relu")\n', '"leaky_relu"');
    assert.ok(md.startsWith('**Leaky ReLU** — Keras 3 `"leaky_relu"`'), md);
    assert.ok(md.includes('negative_slope=0.2'));
  });

  it('TF.js hovers', () => {
    const md = hover("import * as tf from '@tensorflow/tfjs';\nconst y = tf.leakyRelu(x, 0.1);\n", 'leakyRelu', {}, 'js');
    assert.ok(md.startsWith('**Leaky ReLU** — TensorFlow.js `leakyRelu(alpha=0.1)`'), md);
  });

  it('softmax (a vector function) still gets formula and plot', () => {
    const md = hover(TORCH + 'p = F.softmax(z, dim=1)\n', 'softmax');
    assert.ok(md.startsWith('**Softmax**'), md);
    assert.ok(md.includes('dim=1'));
    assert.ok(images(md).length >= 2);
  });

  it('every binding in the catalog gets a hover whose formulas all typeset', function () {
    this.timeout(120_000);
    let formulas = 0;
    for (const e of allEntries()) {
      for (const b of e.bindings) {
        const name = b.names[0] as string;
        const rm = resolveMatch({ framework: b.framework, fn: name, binding: b, path: name, kind: 'reference', given: {}, ignored: [], start: 0, end: 1 });
        const fs = e.def.formulas(rm.resolved.params, rm.resolved.conventions) as Record<string, { latex: string } | undefined>;
        for (const [k, f] of Object.entries(fs)) {
          if (!f) continue;
          formulas++;
          assert.ok(texToSvg(f.latex, '#000'), `${e.def.id} (${b.framework}) ${k}: MathJax rejects ${f.latex}`);
        }
        const md = hoverMarkdown(rm, { detail: 'full', theme: 'light' });
        assert.ok(md.startsWith(`**${e.def.title}** — `), md.slice(0, 80));
        assert.ok(images(md).length >= 2, `${e.def.id} (${b.framework}): no images`);
      }
    }
    assert.ok(formulas > 100);
  });

  it('TeX errors fall back to text', () => {
    assert.equal(texToSvg('\\frac{1}{', '#000'), undefined);
    assert.ok(texToSvg('\\frac{1}{1+e^{-x}}', '#123456')?.svg.includes('#123456'));
  });
});
