// The hover for activations the user's own code defines (src/code/custom): on the
// definition and on its uses — elementwise ones (formula, f′, f″) and gated modules
// (f(a, b) = a·g(b), which projection is a and b). A notebook cell is scanned with the
// notebook's other code cells, joined by the one document adapter (src/code/document.ts),
// so a definition in one cell hovers at its uses in later cells.
import * as vscode from 'vscode';
import { customAt } from '../code/custom/index';
import { gatedAt } from '../code/custom/gated';
import { joinCells } from '../code/document';
import { lineStarts, positionAt } from '../code/api';
import { customHoverMarkdown } from '../render/customMarkdown';
import { gatedHoverMarkdown } from '../render/gatedMarkdown';
import type { ThemeKind } from '../render/svg';
import { hoverDetail, hoverImages } from './config';
import { codeCells, documentText, notebookOf } from './documents';

/** The text scanned for `doc`: the document, or its notebook's code cells joined; where `doc` starts in it. */
function scanned(doc: vscode.TextDocument): { text: string; base: number; place(offset: number): { line: number; cell?: number } } | undefined {
  const d = documentText(doc);
  if (!d) return undefined;
  const { text, starts } = joinCells(d.parts());
  const base = starts[d.part] ?? 0;
  const nb = notebookOf(doc);
  const cells = nb ? codeCells(nb) : [];
  const ls = lineStarts(text);
  return {
    text,
    base,
    place(offset) {
      if (!cells.length) return { line: positionAt(ls, offset).line + 1 };
      let i = 0;
      while (i + 1 < starts.length && (starts[i + 1] as number) <= offset) i++;
      const start = starts[i] as number;
      const line = positionAt(ls, offset).line - positionAt(ls, start).line + 1;
      const cell = cells[i];
      return cell ? { line, cell: cell.index + 1 } : { line };
    },
  };
}

/** A hover for a custom activation at `pos`, or undefined. */
export function customHover(doc: vscode.TextDocument, pos: vscode.Position, lang: 'python' | 'js', theme: ThemeKind): vscode.Hover | undefined {
  const src = scanned(doc);
  if (!src) return undefined;
  const offset = src.base + doc.offsetAt(pos);
  const range = (start: number, end: number): vscode.Range => new vscode.Range(doc.positionAt(start - src.base), doc.positionAt(end - src.base));
  const opts = { detail: hoverDetail(doc), theme, images: hoverImages(doc) };
  let text: string | undefined;
  let at: vscode.Range | undefined;
  const m = customAt(src.text, lang, offset);
  if (m) {
    const p = src.place(m.defStart);
    try {
      text = customHoverMarkdown({ ...m, defLine: p.line, ...(p.cell !== undefined ? { defCell: p.cell } : {}) }, opts);
    } catch {
      return undefined;
    }
    at = range(m.start, m.end);
  } else if (lang === 'python') {
    const g = gatedAt(src.text, offset);
    if (!g) return undefined;
    const p = src.place(g.start);
    text = gatedHoverMarkdown(g, p.cell !== undefined ? `in cell ${p.cell}, on line ${p.line}` : `on line ${p.line}`, opts);
    at = range(g.useStart, g.useEnd);
  }
  if (text === undefined || !at) return undefined;
  const md = new vscode.MarkdownString(text);
  md.isTrusted = false;
  md.supportHtml = false;
  return new vscode.Hover(md, at);
}
