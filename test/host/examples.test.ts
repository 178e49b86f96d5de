// The sample workspace (examples/) opens in the editor with the right languages.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { examplesFolder } from './helpers';

/** File name → expected languageId and one activation call it contains. */
const TEXT_EXAMPLES: [string, string, string][] = [
  ['pytorch_mlp.py', 'python', 'nn.LeakyReLU(0.2)'],
  ['keras_classifier.py', 'python', 'Dense(64, activation="relu")'],
  ['jax_flax_mlp.py', 'python', 'jax.nn.silu'],
  ['custom_activations.py', 'python', 'x * torch.sigmoid(1.702 * x)'],
  ['tfjs_model.js', 'javascript', "activation: 'relu'"],
];

describe('examples workspace', () => {
  it('is the open workspace folder', () => {
    assert.strictEqual(vscode.workspace.workspaceFolders?.length, 1);
    assert.match(examplesFolder().uri.path, /\/examples$/);
  });

  for (const [name, languageId, snippet] of TEXT_EXAMPLES) {
    it(`opens ${name} as ${languageId}`, async () => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(examplesFolder().uri, name));
      const editor = await vscode.window.showTextDocument(doc);
      assert.strictEqual(doc.languageId, languageId);
      assert.ok(doc.getText().includes(snippet), `${name} lacks ${snippet}`);
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
    });
  }

  it('opens the notebook with Python code cells', async () => {
    const uri = vscode.Uri.joinPath(examplesFolder().uri, 'activations_tour.ipynb');
    const nb = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(nb);
    assert.strictEqual(nb.notebookType, 'jupyter-notebook');
    const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    assert.ok(code.length >= 3, `only ${code.length} code cells`);
    for (const cell of code) assert.strictEqual(cell.document.languageId, 'python');
    assert.ok(code.some((c) => c.document.getText().includes('nn.LeakyReLU(0.2)')));
  });

  it('finds every example with workspace.findFiles', async () => {
    const found = (await vscode.workspace.findFiles('**/*.{py,js,ipynb}')).map((u) => u.path.split('/').pop());
    for (const name of [...TEXT_EXAMPLES.map((e) => e[0]), 'activations_tour.ipynb']) {
      assert.ok(found.includes(name), `findFiles missed ${name} (found ${found.join(', ')})`);
    }
  });
});
