// Shared helpers for the extension-host tests (not a test file itself).
import * as assert from 'assert';
import * as vscode from 'vscode';

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'activation-inspector.activation-inspector';

/** The extension under test; fails the test with a clear message if VS Code lacks it. */
export function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

/** Poll `cond` every 50 ms until it holds or `timeoutMs` passes. */
/**
 * Waits are hang guards, never speed limits: CI's machine is slow and busy, so every wait is
 * the quiet-machine figure times this factor (4; the suites' own timeouts are scaled alike).
 */
export const PATIENCE = 4;

export async function waitFor(cond: () => boolean, quietMs: number, what: string): Promise<void> {
  const timeoutMs = quietMs * PATIENCE;
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The workspace folder the tests run on: the repository's examples/. */
export function examplesFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open; the runner opens examples/');
  return folder;
}

/** The text of each hover's contents. */
export function texts(hovers: vscode.Hover[] | undefined): string[] {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
}

/** Our hover (the one whose text starts with a bold activation title), or undefined. */
export async function ourHover(uri: vscode.Uri, pos: vscode.Position): Promise<{ text: string; hover: vscode.Hover } | undefined> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  for (const h of hovers ?? []) {
    const text = texts([h]).join('\n');
    if (/^\*\*[^*]+\*\*( lookalike)? — /.test(text)) return { text, hover: h };
  }
  return undefined;
}

/** The position `delta` characters into the first occurrence of `needle` in the document. */
export function positionOf(doc: vscode.TextDocument, needle: string, delta = 1): vscode.Position {
  const at = doc.getText().indexOf(needle);
  assert.ok(at >= 0, `${needle} not in ${doc.uri.toString()}`);
  return doc.positionAt(at + delta);
}
