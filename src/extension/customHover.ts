// The hover for activations the user's own file defines (src/code/custom): on the
// definition and on its uses in the same file. Plain .py/.js/.ts documents only (a
// notebook's cells are not one file's definitions yet).
import * as vscode from 'vscode';
import { customAt } from '../code/custom/index';
import { customHoverMarkdown } from '../render/customMarkdown';
import type { ThemeKind } from '../render/svg';
import { hoverDetail, hoverImages } from './config';

/** A hover for a custom activation at `pos`, or undefined. */
export function customHover(doc: vscode.TextDocument, pos: vscode.Position, lang: 'python' | 'js', theme: ThemeKind): vscode.Hover | undefined {
  if (doc.uri.scheme === 'vscode-notebook-cell') return undefined;
  const m = customAt(doc.getText(), lang, doc.offsetAt(pos));
  if (!m) return undefined;
  let text: string;
  try {
    text = customHoverMarkdown(m, { detail: hoverDetail(doc), theme, images: hoverImages(doc) });
  } catch {
    return undefined;
  }
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  return new vscode.Hover(md, new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end)));
}
