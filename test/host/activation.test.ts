// The extension is present in the real extension host and activates on its events.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { examplesFolder, getExtension, waitFor } from './helpers';

describe('extension activation', () => {
  it('is loaded with the manifest of package.json and its bundle', async () => {
    const ext = getExtension();
    const pkg = ext.packageJSON as { name: string; publisher: string; main: string };
    assert.strictEqual(pkg.name, 'activation-inspector');
    assert.strictEqual(pkg.publisher, 'activation-inspector');
    assert.strictEqual(pkg.main, './dist/extension.js');
    const bundle = await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, 'dist', 'extension.js'));
    assert.ok(bundle.size > 0, 'dist/extension.js is empty');
  });

  it('activates when a Python file is opened (onLanguage:python)', async () => {
    const ext = getExtension();
    const uri = vscode.Uri.joinPath(examplesFolder().uri, 'pytorch_mlp.py');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'python');
    await waitFor(() => ext.isActive, 15_000, 'the extension to activate');
    assert.strictEqual(ext.isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    const ext = getExtension();
    await ext.activate();
    const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } })
      .contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
