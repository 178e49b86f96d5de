// Jupyter notebooks (.ipynb): the code cells joined into one Python text (so later cells
// see earlier imports), with maps between file positions (in the JSON), cell positions
// and positions in the joined text. A small JSON reader keeps each string's raw offsets,
// so escapes like \" and \n inside the JSON map back exactly.

export interface NotebookCell {
  /** Index among all cells of the notebook (0-based). */
  readonly index: number;
  readonly source: string;
  /** Offset of this cell in the joined text. */
  readonly joinedStart: number;
  /** For each char of `source`, its offset in the file (one extra entry for the end). */
  readonly fileOffsets: Int32Array;
}

export interface NotebookText {
  /** Code cells joined with a newline between them. */
  readonly text: string;
  readonly cells: readonly NotebookCell[];
}

type Json = { t: 'obj'; v: Map<string, Json> } | { t: 'arr'; v: Json[] } | { t: 'str'; v: string; offs: number[] } | { t: 'other' };

/** Parses a notebook; throws Error on invalid JSON or a non-notebook shape. */
export function parseNotebook(raw: string): NotebookText {
  let i = 0;
  const ws = (): void => {
    while (i < raw.length && /\s/.test(raw[i] as string)) i++;
  };
  const fail = (): never => {
    throw new Error(`invalid notebook JSON at offset ${i}`);
  };
  const value = (): Json => {
    ws();
    const c = raw[i];
    if (c === '{') {
      i++;
      const v = new Map<string, Json>();
      ws();
      if (raw[i] === '}') return (i++, { t: 'obj', v });
      for (;;) {
        ws();
        const k = value();
        if (k.t !== 'str') fail();
        ws();
        if (raw[i++] !== ':') fail();
        v.set((k as { v: string }).v, value());
        ws();
        const d = raw[i++];
        if (d === '}') return { t: 'obj', v };
        if (d !== ',') fail();
      }
    }
    if (c === '[') {
      i++;
      const v: Json[] = [];
      ws();
      if (raw[i] === ']') return (i++, { t: 'arr', v });
      for (;;) {
        v.push(value());
        ws();
        const d = raw[i++];
        if (d === ']') return { t: 'arr', v };
        if (d !== ',') fail();
      }
    }
    if (c === '"') {
      i++;
      let s = '';
      const offs: number[] = [];
      while (i < raw.length && raw[i] !== '"') {
        const at = i;
        if (raw[i] === '\\') {
          const e = raw[i + 1];
          if (e === 'u') {
            s += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
            s += map[e ?? ''] ?? e ?? '';
            i += 2;
          }
        } else s += raw[i++];
        while (offs.length < s.length) offs.push(at);
      }
      if (raw[i] !== '"') fail();
      offs.push(i); // the end
      i++;
      return { t: 'str', v: s, offs };
    }
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(raw.slice(i, i + 40));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
    return { t: 'other' };
  };
  const root = value();
  if (root.t !== 'obj') throw new Error('not a notebook: top level is not an object');
  const cellsJ = root.v.get('cells');
  if (!cellsJ || cellsJ.t !== 'arr') throw new Error('not a notebook: no "cells" array');
  const cells: NotebookCell[] = [];
  let text = '';
  cellsJ.v.forEach((c, index) => {
    if (c.t !== 'obj') return;
    const type = c.v.get('cell_type');
    if (!type || type.t !== 'str' || type.v !== 'code') return;
    const src = c.v.get('source');
    const parts: { v: string; offs: number[] }[] = [];
    if (src?.t === 'str') parts.push(src);
    else if (src?.t === 'arr') for (const p of src.v) if (p.t === 'str') parts.push(p);
    let source = '';
    const offs: number[] = [];
    for (const p of parts) {
      source += p.v;
      offs.push(...p.offs.slice(0, p.v.length));
    }
    const lastPart = parts[parts.length - 1];
    offs.push(lastPart ? (lastPart.offs[lastPart.offs.length - 1] as number) : 0);
    if (text.length) text += '\n';
    cells.push({ index, source, joinedStart: text.length, fileOffsets: Int32Array.from(offs) });
    text += source;
  });
  return { text, cells };
}

/** The cell containing a file offset, and the offset in the joined text. */
export function fileToJoined(nb: NotebookText, fileOffset: number): { cell: NotebookCell; joined: number } | undefined {
  for (const cell of nb.cells) {
    const offs = cell.fileOffsets;
    const n = cell.source.length;
    if (n === 0) continue;
    if (fileOffset < (offs[0] as number) || fileOffset > (offs[n] as number)) continue;
    // Last char whose raw offset ≤ fileOffset (escapes span several raw chars).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((offs[mid] as number) <= fileOffset) lo = mid;
      else hi = mid - 1;
    }
    return { cell, joined: cell.joinedStart + lo };
  }
  return undefined;
}

/** Joined-text offset → (cell, offset in the cell, offset in the file). */
export function joinedToCell(nb: NotebookText, joined: number): { cell: NotebookCell; inCell: number; file: number } | undefined {
  let found: NotebookCell | undefined;
  for (const c of nb.cells) if (c.joinedStart <= joined) found = c;
  if (!found) return undefined;
  const inCell = Math.min(joined - found.joinedStart, found.source.length);
  return { cell: found, inCell, file: found.fileOffsets[inCell] as number };
}
