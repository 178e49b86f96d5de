// Hovers on activations the user's own code defines, in the real extension host: a
// definition in one notebook cell hovers at its use in a later cell (the cell is scanned
// with the notebook's other code cells), gated modules hover with f(a, b) and which
// projection is a (value) and b (gate), and torch F.glu says how it splits its input.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { getExtension, ourHover, positionOf } from './helpers';

const GATED = `import torch.nn as nn
import torch.nn.functional as F


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.mlp = FeedForward(dim, 4 * dim)
`;

describe('custom activation hovers', () => {
  before(async () => {
    await getExtension().activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a notebook: a module defined in one cell hovers at its use in a later cell', async () => {
    const cells = [
      'import torch\nimport torch.nn as nn',
      'class QuickGELU(nn.Module):\n    def forward(self, x):\n        return x * torch.sigmoid(1.702 * x)',
      '# the activation, used\nact = QuickGELU()\ny = act(torch.randn(4))',
    ].map((src) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, src, 'python'));
    const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData(cells));
    await vscode.window.showNotebookDocument(nb);
    const use = nb.cellAt(2).document;
    assert.strictEqual(use.uri.scheme, 'vscode-notebook-cell');
    const h = await ourHover(use.uri, positionOf(use, 'QuickGELU()', 3));
    assert.ok(h, 'no hover on the use of QuickGELU in a later cell');
    assert.match(h.text, /^\*\*QuickGELU\*\* — custom activation, module defined in cell 2, on line 1/);
    assert.ok(h.text.includes('x * sigmoid(1.702 * x)'), h.text.slice(-300));
    assert.match(h.text, /approximates (exact )?GELU/);
    assert.strictEqual(use.getText(h.hover.range), 'QuickGELU');
    // and on the definition, in its own cell
    const def = nb.cellAt(1).document;
    const d = await ourHover(def.uri, positionOf(def, 'QuickGELU', 2));
    assert.ok(d);
    assert.match(d.text, /^\*\*QuickGELU\*\* — custom activation, defined here \(module\)/);
    assert.strictEqual(def.getText(d.hover.range), 'QuickGELU');
  });

  it('a gated module (LLaMA FeedForward) hovers on its class name and its use with f(a, b), a = w3(x), b = w1(x)', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: GATED });
    const h = await ourHover(doc.uri, positionOf(doc, 'FeedForward(nn.Module)', 3));
    assert.ok(h, 'no hover on the gated class');
    assert.match(h.text, /^\*\*FeedForward\*\* — gated activation \*\*SwiGLU\*\*, defined here \(module\)/);
    assert.ok(h.text.includes('with **a** = `self.w3(x)` (the value) and **b** = `self.w1(x)` (the gate, through SiLU)'), h.text);
    assert.ok(h.text.includes('![∂f/∂b = a·σ(b)(1 + b(1 − σ(b)))](data:image/svg+xml;base64,'), 'the partial ∂f/∂b, typeset');
    assert.strictEqual(doc.getText(h.hover.range), 'FeedForward');
    const u = await ourHover(doc.uri, positionOf(doc, 'FeedForward(dim', 3));
    assert.ok(u);
    assert.match(u.text, /^\*\*FeedForward\*\* — gated activation \*\*SwiGLU\*\*, module defined on line 5/);
  });

  it('torch F.glu says which half is the value and which the gate, along its dim', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch.nn.functional as F\ny = F.glu(x, dim=1)\n' });
    const h = await ourHover(doc.uri, positionOf(doc, 'glu', 1));
    assert.ok(h);
    assert.match(h.text, /^\*\*GLU \(gated linear unit\)\*\* — PyTorch/);
    assert.ok(h.text.includes('Splits x along `dim=1` into two halves'), h.text);
    assert.ok(h.text.includes('**a** = the first half (the value), **b** = the second half (the gate)'));
  });
});
