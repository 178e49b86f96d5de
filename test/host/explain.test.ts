// "Explain Activation at Cursor" in the real extension host: it finds the activation under the
// cursor (the same scanner as the hover), returns what it found, and says so plainly when
// there is nothing there.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { getExtension } from './helpers';

describe('Explain Activation at Cursor', () => {
  before(async () => {
    await getExtension().activate();
  });

  it('explains nn.LeakyReLU(0.2) under the cursor, with the argument resolved', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'import torch.nn as nn\nact = nn.LeakyReLU(0.2)\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('LeakyReLU') + 3);
    editor.selection = new vscode.Selection(at, at);
    const r = await vscode.commands.executeCommand<{ framework: string; fn: string; id: string; params: Record<string, unknown> }>('activationInspector.explainAtCursor');
    assert.ok(r, 'no result');
    assert.strictEqual(r.framework, 'torch');
    assert.strictEqual(r.id, 'leaky_relu');
    assert.strictEqual(r.params['negative_slope'], 0.2);
  });

  it('resolves a Keras string activation in a Dense layer', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'from tensorflow import keras\nlayer = keras.layers.Dense(64, activation="gelu")\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('"gelu"') + 2);
    editor.selection = new vscode.Selection(at, at);
    const r = await vscode.commands.executeCommand<{ framework: string; id: string; params: Record<string, unknown> }>('activationInspector.explainAtCursor');
    assert.ok(r);
    assert.strictEqual(r.id, 'gelu');
    assert.notStrictEqual(r.framework, 'torch');
  });

  it('returns nothing (and tells the user) where there is no activation', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: '# relu in a comment\nx = 1\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('relu') + 1);
    editor.selection = new vscode.Selection(at, at);
    const r = await vscode.commands.executeCommand('activationInspector.explainAtCursor');
    assert.strictEqual(r, undefined);
  });
});
