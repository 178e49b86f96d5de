// `explain` on an activation the file defines itself (src/code/custom): the JSON match is
// {"kind": "expression", "fn", "expression", "params", "at", "range", "definition"}, the
// markdown is the hover's.
import { lineStarts, positionAt } from '../code/api';
import { customAt } from '../code/custom/index';
import { customHoverMarkdown } from '../render/customMarkdown';
import type { DetailLevel } from '../render/markdown';

interface Pos {
  readonly line: number;
  readonly column: number;
}

export interface CustomExplainMatch {
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
  readonly range: { readonly start: Pos; readonly end: Pos };
  /** 1-based position of the definition's name. */
  readonly definition: Pos;
}

/** The custom-activation explain result at an offset of a .py/.js/.ts text, or null. */
export function explainCustom(
  text: string,
  lang: 'python' | 'js',
  offset: number,
  opts: { detail?: DetailLevel; images?: boolean },
): { match: CustomExplainMatch; markdown: string } | null {
  const m = customAt(text, lang, offset);
  if (!m) return null;
  const starts = lineStarts(text);
  const to1 = (off: number): Pos => {
    const p = positionAt(starts, off);
    return { line: p.line + 1, column: p.character + 1 };
  };
  let markdown: string;
  try {
    markdown = customHoverMarkdown(m, { detail: opts.detail ?? 'standard', images: opts.images ?? true, theme: 'light' });
  } catch {
    // The symbolic core could not analyse it: no hover rather than a broken one.
    return null;
  }
  return {
    match: { kind: 'expression', fn: m.name, expression: m.expression, params: m.params, at: m.at, definedAs: m.kind, range: { start: to1(m.start), end: to1(m.end) }, definition: to1(m.defStart) },
    markdown,
  };
}
