// VS Code side of the document adapter (src/code/document.ts): lists a notebook's code
// cells for a cell document, and holds the one index cache hovers and CodeLens share.
import * as vscode from 'vscode';
import { IndexCache } from '../code/api';
import { indexDocument, notebookCell, plainDocument, type DocumentText, type IndexedDocument } from '../code/document';

const CELL_SCHEME = 'vscode-notebook-cell';
const JS_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

/** Indexes per document version, shared by the hover and the CodeLens. */
export const indexCache = new IndexCache(24);

export function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== CELL_SCHEME) return undefined;
  return vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === doc));
}

/** The Python code cells of a notebook, in order. */
export function codeCells(nb: vscode.NotebookDocument): vscode.NotebookCell[] {
  return nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
}

/** Python or JS/TS documents and Python notebook cells; undefined for any other language. */
export function documentText(doc: vscode.TextDocument): DocumentText | undefined {
  const isJs = JS_LANGUAGES.has(doc.languageId);
  if (!isJs && doc.languageId !== 'python') return undefined;
  const nb = notebookOf(doc);
  if (nb) {
    const cells = codeCells(nb);
    const part = cells.findIndex((c) => c.document === doc);
    if (part >= 0) return notebookCell(nb.uri.toString(), cells.map((c) => ({ id: c.document.uri.fragment, version: c.document.version, text: () => c.document.getText() })), part);
  }
  return plainDocument(doc.uri.toString(), doc.version, isJs ? 'js' : 'python', () => doc.getText());
}

/** The shared index of a document (a cell: of its notebook) and the document's offset in it. */
export function indexedDocument(doc: vscode.TextDocument): IndexedDocument | undefined {
  const d = documentText(doc);
  return d && indexDocument(indexCache, d);
}

/** Drops a closed document's (or notebook's) index. */
export function forgetDocument(doc: vscode.TextDocument | vscode.NotebookDocument): void {
  indexCache.delete(doc.uri.toString());
}
