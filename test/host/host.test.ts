// Proves where these tests run: a real VS Code extension host, at the version the
// manifest's engines.vscode asks for.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { getExtension } from './helpers';

describe('extension host', () => {
  it('is a real VS Code that satisfies engines.vscode', () => {
    const m = /^(\d+)\.(\d+)\.(\d+)/.exec(vscode.version);
    assert.ok(m, `unexpected vscode.version ${vscode.version}`);
    const engines = (getExtension().packageJSON as { engines: { vscode: string } }).engines.vscode;
    const want = /(\d+)\.(\d+)/.exec(engines);
    assert.ok(want, `unexpected engines.vscode ${engines}`);
    const [major, minor] = [Number(m[1]), Number(m[2])];
    assert.ok(major === Number(want[1]) && minor >= Number(want[2]), `VS Code ${vscode.version} does not satisfy ${engines}`);
    console.log(`      running in VS Code ${vscode.version} (${vscode.env.appName}), appHost=${vscode.env.appHost}`);
  });

  it('reports its host and runs extensions in Node', () => {
    assert.ok(vscode.env.appHost.length > 0, 'vscode.env.appHost is empty');
    // code-server's web workbench reports uiKind Web; desktop VS Code reports Desktop.
    const expected = vscode.env.appHost === 'desktop' ? vscode.UIKind.Desktop : vscode.UIKind.Web;
    assert.strictEqual(vscode.env.uiKind, expected);
    assert.strictEqual(typeof process.versions.node, 'string');
  });
});
