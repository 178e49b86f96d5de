// The one document adapter of the code front end: "a document, or a notebook cell with the
// notebook's other code cells" → the text that is indexed, and the offset of the document
// inside it. Hovers, CodeLens and diagnostics all go through it (the VS Code side only lists
// a notebook's cells), so a cell sees the same imports in each feature, and one index per
// document version is shared through an `IndexCache`.
import { IndexCache, type SourceLang } from './api';
import type { DocIndex } from './docIndex';

export interface DocumentText {
  /** Cache key: the document's URI, or the notebook's for a cell. */
  readonly key: string;
  /** Changes whenever any part changes (a notebook: every code cell's version). */
  readonly version: number | string;
  readonly lang: SourceLang;
  /** The parts scanned together: the document alone, or a notebook's code cells in order. */
  readonly parts: () => readonly string[];
  /** Which part is the document (0 for a plain document). */
  readonly part: number;
}

/** A plain document. */
export function plainDocument(key: string, version: number | string, lang: SourceLang, text: () => string): DocumentText {
  return { key, version, lang, parts: () => [text()], part: 0 };
}

/** A notebook cell: the notebook's code cells (id, version, text), and which one it is. */
export function notebookCell(notebookKey: string, cells: readonly { readonly id: string; readonly version: number; readonly text: () => string }[], part: number): DocumentText {
  return {
    key: notebookKey,
    version: cells.map((c) => `${c.id}:${c.version}`).join(','),
    lang: 'python',
    parts: () => cells.map((c) => c.text()),
    part,
  };
}

/** Code cells joined with a newline between them (as the notebook reader joins them). */
export function joinCells(sources: readonly string[]): { text: string; starts: number[] } {
  if (sources.length === 1) return { text: sources[0] as string, starts: [0] };
  let text = '';
  const starts: number[] = [];
  sources.forEach((s, i) => {
    if (i > 0) text += '\n';
    starts.push(text.length);
    text += s;
  });
  return { text, starts };
}

export interface IndexedDocument {
  readonly ix: DocIndex;
  /** Offset of the document's first character in `ix.text`. */
  readonly base: number;
  /** The document's own length. */
  readonly length: number;
}

/** The index of the document's text (cached per key and version) and where the document sits in it. */
export function indexDocument(cache: IndexCache, d: DocumentText): IndexedDocument {
  const parts = d.parts();
  let base = 0;
  for (let i = 0; i < d.part; i++) base += (parts[i] as string).length + 1;
  const ix = cache.get(d.key, d.version, d.lang, () => joinCells(parts));
  return { ix, base, length: (parts[d.part] ?? '').length };
}
