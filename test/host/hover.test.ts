// Hovers in the real extension host: `vscode.executeHoverProvider` on the examples (a
// PyTorch script, a notebook cell whose imports are in an earlier cell, TF.js) and on
// documents made here, including places that must not show our hover and the setting
// that turns hovers off.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { examplesFolder, getExtension, ourHover, positionOf } from './helpers';

describe('activation hovers', () => {
  before(async () => {
    await getExtension().activate();
  });

  it('PyTorch example: nn.LeakyReLU(0.2) shows the formula with 0.2, the images and command links', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(examplesFolder().uri, 'pytorch_mlp.py'));
    await vscode.window.showTextDocument(doc);
    const pos = positionOf(doc, 'nn.LeakyReLU(0.2)', 5);
    const h = await ourHover(doc.uri, pos);
    assert.ok(h, 'no Activation Inspector hover');
    assert.match(h.text, /^\*\*Leaky ReLU\*\* — PyTorch `LeakyReLU\(negative_slope=0\.2\)`/);
    assert.match(h.text, /!\[f\(x\) = [^\]]*0\.2[^\]]*\]\(data:image\/svg\+xml;base64,/);
    assert.ok(h.text.includes('f′(0) = 0.2 in PyTorch'));
    assert.match(h.text, /JAX `leaky_relu`: [^;]*f′\(0\) = 1/);
    assert.ok(h.text.includes('data:image/svg+xml;base64,'), 'typeset formula / plot images');
    assert.ok(h.text.includes('command:activationInspector.openExplorer?'));
    // The hover covers `nn.LeakyReLU`.
    const r = h.hover.range;
    assert.ok(r);
    assert.strictEqual(doc.getText(r), 'nn.LeakyReLU');
    const md = h.hover.contents[0] as vscode.MarkdownString;
    assert.deepStrictEqual(md.isTrusted, { enabledCommands: ['activationInspector.openExplorer', 'activationInspector.compare', 'activationInspector.runDemo'] });
    assert.notStrictEqual(md.supportHtml, true);
  });

  it('its command links run our commands with the arguments they carry', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch.nn as nn\nact = nn.LeakyReLU(0.2)\n' });
    const h = await ourHover(doc.uri, positionOf(doc, 'LeakyReLU', 2));
    assert.ok(h);
    const links = [...h.text.matchAll(/\(command:(activationInspector\.(?:openExplorer|compare))\?([^ )]+)/g)];
    assert.strictEqual(links.length, 2);
    try {
      for (const [, cmd, args] of links) {
        const parsed = JSON.parse(decodeURIComponent(args as string)) as unknown[];
        const panel = await vscode.commands.executeCommand(cmd as string, ...parsed);
        assert.ok(panel, `${cmd} did not open a panel for ${JSON.stringify(parsed)}`);
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('an instance attribute used in forward (self.act2) shows the GELU it holds', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(examplesFolder().uri, 'pytorch_mlp.py'));
    const pos = positionOf(doc, 'self.act2(self.fc2', 6);
    const h = await ourHover(doc.uri, pos);
    assert.ok(h);
    assert.ok(h.text.startsWith('**GELU** — PyTorch `GELU(approximate="tanh")`'), h.text.slice(0, 200));
  });

  it('notebook cell: imports from an earlier cell resolve', async () => {
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(examplesFolder().uri, 'activations_tour.ipynb'));
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code && c.document.getText().includes('nn.LeakyReLU(0.2)'));
    assert.ok(cell, 'no cell with nn.LeakyReLU(0.2)');
    assert.ok(!cell.document.getText().includes('import torch.nn as nn'), 'the import must come from an earlier cell');
    const h = await ourHover(cell.document.uri, positionOf(cell.document, 'nn.LeakyReLU(0.2)', 5));
    assert.ok(h, 'no hover in the notebook cell');
    assert.match(h.text, /^\*\*Leaky ReLU\*\* — PyTorch/);
    assert.strictEqual(cell.document.getText(h.hover.range), 'nn.LeakyReLU');
    const fcell = nb.getCells().find((c) => c.document.getText().includes('F.gelu(x, approximate="tanh")'));
    assert.ok(fcell);
    const g = await ourHover(fcell.document.uri, positionOf(fcell.document, 'F.gelu', 3));
    assert.ok(g && g.text.startsWith('**GELU** — PyTorch `gelu(approximate="tanh")`'), g?.text.slice(0, 120));
  });

  it('documents made here: Keras strings, JAX defaults, TF.js', async () => {
    const k = await vscode.workspace.openTextDocument({ language: 'python', content: 'from keras import layers\nd = layers.Dense(64, activation="gelu")\n' });
    const kh = await ourHover(k.uri, positionOf(k, '"gelu"', 2));
    assert.ok(kh && kh.text.startsWith('**GELU** — Keras 3 `"gelu"`'), kh?.text.slice(0, 120));
    assert.ok(kh.text.includes('JAX `gelu`: approximate=True by default'));
    const j = await vscode.workspace.openTextDocument({ language: 'javascript', content: "import * as tf from '@tensorflow/tfjs';\nconst y = tf.leakyRelu(x, 0.1);\n" });
    const jh = await ourHover(j.uri, positionOf(j, 'leakyRelu', 3));
    assert.ok(jh && jh.text.startsWith('**Leaky ReLU** — TensorFlow.js `leakyRelu(alpha=0.1)`'), jh?.text.slice(0, 120));
    const t = await vscode.workspace.openTextDocument({ language: 'typescript', content: "import * as tf from '@tensorflow/tfjs';\nconst y: tf.Tensor = tf.sigmoid(x);\n" });
    assert.ok((await ourHover(t.uri, positionOf(t, 'sigmoid', 2)))?.text.startsWith('**Sigmoid**'));
  });

  it('lookalikes get the gradient-at-0 note', async () => {
    const d = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch\ny = torch.maximum(x, torch.zeros_like(x))\n' });
    const h = await ourHover(d.uri, positionOf(d, 'maximum', 2));
    assert.ok(h && h.text.includes('0.5 at x = 0'));
  });

  it('no hover of ours in comments, strings, or on a user-defined relu', async () => {
    const d = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'import torch.nn as nn\n# nn.ReLU() in a comment\ns = "nn.ReLU()"\ndef relu(x):\n    return x\ny = relu(3)\n',
    });
    assert.strictEqual(await ourHover(d.uri, positionOf(d, 'ReLU() in', 1)), undefined);
    assert.strictEqual(await ourHover(d.uri, positionOf(d, 'ReLU()"', 1)), undefined);
    assert.strictEqual(await ourHover(d.uri, positionOf(d, 'relu(3)', 1)), undefined);
  });

  it('the per-language setting turns Python hovers off', async () => {
    const d = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch.nn as nn\na = nn.ReLU()\n' });
    const pos = positionOf(d, 'ReLU', 1);
    assert.ok(await ourHover(d.uri, pos));
    const cfg = vscode.workspace.getConfiguration('activationInspector');
    await cfg.update('hover.python', false, vscode.ConfigurationTarget.Global);
    try {
      assert.strictEqual(await ourHover(d.uri, pos), undefined);
    } finally {
      await cfg.update('hover.python', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok(await ourHover(d.uri, pos));
  });
});
