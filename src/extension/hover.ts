// The hover provider for Python, JavaScript/TypeScript and notebook cells. All the work
// is in the pure scanner (src/code) and the markdown builder (src/render); this file
// maps documents and positions, reads settings and wraps the result for VS Code.
import * as vscode from 'vscode';
import { installedVersions } from './installed';
import { matchAt } from '../code/api';
import type { ResolvedMatch } from '../code/resolveMatch';
import { dtypeHintAt, type DtypeHint } from '../code/dtype';
import { HOVER_COMMANDS, hoverMarkdown } from '../render/markdown';
import type { ThemeKind } from '../render/svg';
import { customHover } from './customHover';
import { defaultStringFramework, hoverDetail, hoverEnabled, hoverImages, type HoverLanguage } from './config';
import { forgetDocument, indexedDocument } from './documents';

const MAX_CHARS = 8_000_000;
const JS_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);

export const HOVER_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'javascript' },
  { language: 'typescript' },
  { language: 'javascriptreact' },
  { language: 'typescriptreact' },
  { notebookType: 'jupyter-notebook', language: 'python' },
  { scheme: 'vscode-notebook-cell', language: 'python' },
];

function themeKind(): ThemeKind {
  switch (vscode.window.activeColorTheme.kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.HighContrast:
      return 'highContrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'highContrastLight';
    default:
      return 'dark';
  }
}

export class ActivationHoverProvider implements vscode.HoverProvider {
  private customEnabled(doc: vscode.TextDocument): boolean {
    const isJs = JS_LANGUAGES.has(doc.languageId);
    if (!isJs && doc.languageId !== 'python') return false;
    const inNotebook = doc.uri.scheme === 'vscode-notebook-cell';
    const lang: HoverLanguage = inNotebook ? 'notebooks' : isJs ? (doc.languageId.startsWith('typescript') ? 'typescript' : 'javascript') : 'python';
    return hoverEnabled(lang, doc) && doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) <= MAX_CHARS;
  }

  /** The activation reference at `pos`, with its range in `doc`; undefined when there is none. */
  matchIn(doc: vscode.TextDocument, pos: vscode.Position, respectSettings = true): { rm: ResolvedMatch; range: vscode.Range } | undefined {
    const isJs = JS_LANGUAGES.has(doc.languageId);
    if (!isJs && doc.languageId !== 'python') return undefined;
    const inNotebook = doc.uri.scheme === 'vscode-notebook-cell';
    const lang: HoverLanguage = inNotebook ? 'notebooks' : isJs ? (doc.languageId.startsWith('typescript') ? 'typescript' : 'javascript') : 'python';
    if (respectSettings && !hoverEnabled(lang, doc)) return undefined;
    // Generated or minified giants: not worth tokenizing on the UI's critical path.
    if (doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) > MAX_CHARS) return undefined;
    const src = indexedDocument(doc);
    if (!src) return undefined;
    const rm = matchAt(src.ix, src.base + doc.offsetAt(pos), { defaultFramework: defaultStringFramework(doc) });
    if (!rm) return undefined;
    const range = new vscode.Range(doc.positionAt(rm.match.start - src.base), doc.positionAt(rm.match.end - src.base));
    return { rm, range };
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    // Activations the file defines itself come first: their names shadow the catalog's.
    const custom = this.customEnabled(doc) ? customHover(doc, pos, JS_LANGUAGES.has(doc.languageId) ? 'js' : 'python', themeKind()) : undefined;
    if (custom) return custom;
    const found = this.matchIn(doc, pos);
    if (!found) return undefined;
    const dtype = doc.languageId === 'python' ? dtypeHint(doc, pos.line) : undefined;
    const md = new vscode.MarkdownString(hoverMarkdown(found.rm, { detail: hoverDetail(doc), theme: themeKind(), images: hoverImages(doc), installed: installedVersions(), ...(dtype ? { dtype } : {}) }));
    // Command links work for our own commands only; no raw HTML.
    md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    md.supportHtml = false;
    return new vscode.Hover(md, found.range);
  }
}

let lastHint: { uri: string; version: number; line: number; hint: DtypeHint | undefined } | undefined;

/** The reduced precision the document shows near `line` (cached per document version and line). */
function dtypeHint(doc: vscode.TextDocument, line: number): DtypeHint | undefined {
  const uri = doc.uri.toString();
  if (lastHint && lastHint.uri === uri && lastHint.version === doc.version && lastHint.line === line) return lastHint.hint;
  const hint = dtypeHintAt(doc.getText(), line);
  lastHint = { uri, version: doc.version, line, hint };
  return hint;
}

/** Registers the hover for every supported language and notebook cells. */
export function registerHover(context: vscode.ExtensionContext): ActivationHoverProvider {
  const provider = new ActivationHoverProvider();
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(HOVER_SELECTOR, provider),
    vscode.workspace.onDidCloseTextDocument(forgetDocument),
    vscode.workspace.onDidCloseNotebookDocument(forgetDocument),
  );
  return provider;
}
