// The scanner's entry points: index a document once per version, then answer "what
// activation is at this offset?" by lookups. Pure; the VS Code hover and the CLI use it.
import type { DocIndex } from './docIndex';
import { indexJs } from './jsIndex';
import { indexPython } from './pyIndex';
import { tokenizePython } from './pyTokenizer';
import { resolveMatch, type ResolvedMatch } from './resolveMatch';
import { findAt, type ScanOptions } from './scanner';

export type SourceLang = 'python' | 'js';

/**
 * `cellStarts`: for a notebook's joined code cells, the offset where each cell starts (the
 * tokenizer never continues a bracket or string across them).
 */
export function indexText(text: string, lang: SourceLang, cellStarts: readonly number[] = []): DocIndex {
  return lang === 'python' ? indexPython(text, tokenizePython(text, cellStarts)) : indexJs(text);
}

/** File name → how to scan it (`.ipynb` is Python inside JSON). */
export function languageOfFile(path: string): SourceLang | 'notebook' | undefined {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  const ext = m?.[1]?.toLowerCase();
  if (ext === 'py' || ext === 'pyi') return 'python';
  if (ext === 'ipynb') return 'notebook';
  if (ext && ['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'].includes(ext)) return 'js';
  return undefined;
}

/** The resolved activation at `offset`, or null. Never throws on any text. */
export function matchAt(ix: DocIndex, offset: number, opts: ScanOptions = {}): ResolvedMatch | null {
  const m = findAt(ix, offset, opts);
  if (!m) return null;
  try {
    return resolveMatch(m);
  } catch {
    // A catalog entry that cannot resolve even with defaults: no hover rather than an error.
    return null;
  }
}

/**
 * Indexes per document, reused while the version is unchanged (a hover on a 20,000-line
 * file must not re-tokenize it). Least-recently-used eviction beyond `capacity`.
 */
export class IndexCache {
  private readonly entries = new Map<string, { version: number | string; lang: SourceLang; ix: DocIndex }>();
  constructor(private readonly capacity = 16) {}

  /** `text` gives the text, or a notebook's joined cells with where each starts. */
  get(key: string, version: number | string, lang: SourceLang, text: () => string | { readonly text: string; readonly starts: readonly number[] }): DocIndex {
    const hit = this.entries.get(key);
    if (hit && hit.version === version && hit.lang === lang) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.ix;
    }
    const t = text();
    const ix = typeof t === 'string' ? indexText(t, lang) : indexText(t.text, lang, t.starts);
    this.entries.delete(key);
    this.entries.set(key, { version, lang, ix });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return ix;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export { lineStarts, offsetAt, positionAt } from './lines';
