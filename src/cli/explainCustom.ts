// `explain` on an activation the file defines itself (src/code/custom): the JSON match is
// {"kind": "expression", "fn", "expression", "params", "at", "range", "definition"} for an
// elementwise one, {"kind": "gated", "fn", "id", "gate", "expression", "a", "b", "at",
// "range", "definition"} for a gated module (f(a, b) = a·g(b), a the value, b the gate); the
// markdown is the hover's. In a notebook the text is its joined code cells (a definition in
// one cell is seen at its uses in later cells); ranges are then in the .ipynb file, with
// "cell" (1-based, all cells counted, and the range in that cell) as for catalog matches.
import { lineStarts, positionAt } from '../code/api';
import { customAt } from '../code/custom/index';
import { gatedAt } from '../code/custom/gated';
import { joinedToCell, type NotebookText } from '../code/notebook';
import { customHoverMarkdown } from '../render/customMarkdown';
import { gatedHoverMarkdown } from '../render/gatedMarkdown';
import type { DetailLevel } from '../render/markdown';

/** A 1-based position in the file (line, column), as the CLI prints it. */
export interface Pos {
  readonly line: number;
  readonly column: number;
}
/** A 1-based range in the file. */
export interface Range1 {
  readonly start: Pos;
  readonly end: Pos;
}

/** Where a notebook match sits: the cell (1-based among all cells) and positions inside it. */
interface CellPlace {
  readonly cell?: { readonly index: number; readonly range: Range1 };
  readonly definitionCell?: { readonly index: number; readonly line: number; readonly column: number };
}

export interface CustomExplainMatch extends CellPlace {
  readonly kind: 'expression';
  /** The name as the code spells it (`swish`, `QuickGELU`, `self.act`, `ACT2FN["gelu"]`). */
  readonly fn: string;
  /** The function in the --expr syntax (`eval --expr` accepts it). */
  readonly expression: string;
  readonly params: Readonly<Record<string, number>>;
  /** On the definition itself or on a use of it. */
  readonly at: 'definition' | 'use';
  /** What kind of definition: def, method, module, lambda, entry (a dict entry). */
  readonly definedAs: string;
  readonly range: Range1;
  /** 1-based position of the definition's name (in a notebook: in the .ipynb file). */
  readonly definition: Pos;
}

export interface GatedExplainMatch extends CellPlace {
  readonly kind: 'gated';
  /** The module's class name. */
  readonly fn: string;
  /** The catalog's gated entry: glu_ab, reglu, geglu, swiglu (`show ID`). */
  readonly id: string;
  readonly gate: 'GLU' | 'ReGLU' | 'GeGLU' | 'SwiGLU';
  /** f(a, b) = a·g(b) in the --expr syntax with a and b as names (`a * silu(b)`). */
  readonly expression: string;
  /** The code that computes a (the value) and b (the gate, the activated projection). */
  readonly a: string;
  readonly b: string;
  readonly at: 'definition' | 'use';
  readonly range: Range1;
  readonly definition: Pos;
}

/** A notebook's joined code and the file it came from (for positions in the .ipynb). */
export interface NotebookSource {
  readonly nb: NotebookText;
  readonly content: string;
}

/** Joined-text offsets → 1-based positions: in the text itself, or in the notebook file and its cell. */
function positions(text: string, source: NotebookSource | undefined): {
  pos(off: number): Pos;
  range(a: number, b: number): { range: Range1; cell?: CellPlace['cell'] };
  def(off: number): { definition: Pos; definitionCell?: CellPlace['definitionCell']; line: number; cell?: number };
} {
  const to1 = (p: { line: number; character: number }): Pos => ({ line: p.line + 1, column: p.character + 1 });
  if (!source) {
    const starts = lineStarts(text);
    const pos = (off: number): Pos => to1(positionAt(starts, off));
    return { pos, range: (a, b) => ({ range: { start: pos(a), end: pos(b) } }), def: (off) => ({ definition: pos(off), line: pos(off).line }) };
  }
  const fileStarts = lineStarts(source.content);
  const inFile = (off: number): Pos => {
    const c = joinedToCell(source.nb, off);
    if (!c) throw new Error('internal: offset outside every cell');
    return to1(positionAt(fileStarts, c.file));
  };
  const inCell = (off: number): { index: number; pos: Pos } => {
    const c = joinedToCell(source.nb, off);
    if (!c) throw new Error('internal: offset outside every cell');
    return { index: c.cell.index + 1, pos: to1(positionAt(lineStarts(c.cell.source), c.inCell)) };
  };
  return {
    pos: inFile,
    range: (a, b) => {
      const ca = inCell(a);
      const cb = inCell(b);
      return { range: { start: inFile(a), end: inFile(b) }, cell: { index: ca.index, range: { start: ca.pos, end: cb.pos } } };
    },
    def: (off) => {
      const c = inCell(off);
      return { definition: inFile(off), definitionCell: { index: c.index, ...c.pos }, line: c.pos.line, cell: c.index };
    },
  };
}

/**
 * The custom-activation explain result at an offset of a .py/.js/.ts text (or of a
 * notebook's joined code cells, with `notebook`), or null.
 */
export function explainCustom(
  text: string,
  lang: 'python' | 'js',
  offset: number,
  opts: { detail?: DetailLevel; images?: boolean },
  notebook?: NotebookSource,
): { match: CustomExplainMatch | GatedExplainMatch; markdown: string } | null {
  const where = positions(text, notebook);
  const hoverOpts = { detail: opts.detail ?? 'standard', images: opts.images ?? true, theme: 'light' as const };
  const m = customAt(text, lang, offset);
  if (m) {
    const d = where.def(m.defStart);
    let markdown: string;
    try {
      markdown = customHoverMarkdown({ ...m, defLine: d.line, ...(d.cell !== undefined ? { defCell: d.cell } : {}) }, hoverOpts);
    } catch {
      // The symbolic core could not analyse it: no hover rather than a broken one.
      return null;
    }
    const r = where.range(m.start, m.end);
    return {
      match: {
        kind: 'expression',
        fn: m.name,
        expression: m.expression,
        params: m.params,
        at: m.at,
        definedAs: m.kind,
        range: r.range,
        definition: d.definition,
        ...(r.cell ? { cell: r.cell } : {}),
        ...(d.definitionCell ? { definitionCell: d.definitionCell } : {}),
      },
      markdown,
    };
  }
  const g = lang === 'python' ? gatedAt(text, offset) : null;
  if (!g) return null;
  const d = where.def(g.start);
  const r = where.range(g.useStart, g.useEnd);
  return {
    match: {
      kind: 'gated',
      fn: g.name,
      id: g.id,
      gate: g.gate,
      expression: g.expression,
      a: g.a,
      b: g.b,
      at: g.at,
      range: r.range,
      definition: d.definition,
      ...(r.cell ? { cell: r.cell } : {}),
      ...(d.definitionCell ? { definitionCell: d.definitionCell } : {}),
    },
    markdown: gatedHoverMarkdown(g, d.cell !== undefined ? `in cell ${d.cell}, on line ${d.line}` : `on line ${d.line}`, hoverOpts),
  };
}
