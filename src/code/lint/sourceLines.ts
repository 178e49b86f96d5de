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

/**
 * Where a variable assigned on `line` holds: [start of the next line, end) until it is bound
 * again at the same indentation (`name = …`) or its block ends; `returned` when a line of that
 * region at its indentation is `return name` (a helper that builds and returns it).
 */
export function assignmentRegion(ctx: LintContext, name: string, line: number): { start: number; end: number; returned: boolean } {
  const text = ctx.ix.text;
  const indent = indentOf(ctx, line);
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const rebinds = new RegExp(`^\\s*${esc}\\s*=[^=]`);
  const returns = new RegExp(`^\\s*return\\s+${esc}\\s*(#.*)?$`);
  let returned = false;
  let end = text.length;
  for (let l = line + 1; l < ctx.lineStarts.length; l++) {
    const src = lineText(ctx, l);
    if (src.trim() === '' || /^\s*#/.test(src)) continue;
    const ind = indentOf(ctx, l);
    if (ind < indent || (ind === indent && rebinds.test(src))) {
      end = ctx.lineStarts[l] as number;
      break;
    }
    if (ind === indent && returns.test(src.replace(/\r$/, ''))) returned = true;
  }
  return { start: ctx.lineStarts[line + 1] ?? text.length, end, returned };
}
