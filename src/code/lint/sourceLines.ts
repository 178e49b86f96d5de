// Lines of the linted text: the line of an offset, a line's indentation and its text.
import { lineAt } from '../lines';
import type { LintContext } from './calls';

/** 0-based line of an offset. */
export function lineOf(ctx: LintContext, offset: number): number {
  return lineAt(ctx.lineStarts, offset);
}

/** Indentation (columns of leading whitespace) of a line. */
export function indentOf(ctx: LintContext, line: number): number {
  const s = ctx.lineStarts[line] ?? 0;
  let i = s;
  while (ctx.ix.text[i] === ' ' || ctx.ix.text[i] === '\t') i++;
  return i - s;
}

/** The text of a line without its newline. */
export function lineText(ctx: LintContext, line: number): string {
  const s = ctx.lineStarts[line] ?? 0;
  const e = ctx.lineStarts[line + 1];
  return ctx.ix.text.slice(s, e === undefined ? undefined : e - 1);
}
