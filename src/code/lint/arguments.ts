// Reading a call's arguments (by keyword or position, literal values, source text) and the
// edits that remove one, for the rules and their quick fixes.
import { bindingAt } from '../docIndex';
import { sourceOf, type Arg } from '../literals';
import type { Token } from '../tokens';
import type { LintContext } from './calls';

export function argNamed(args: readonly Arg[], names: readonly string[], pos?: number): Arg | undefined {
  const kw = args.find((a) => a.name !== undefined && names.includes(a.name));
  if (kw) return kw;
  if (pos === undefined) return undefined;
  if (args.slice(0, pos + 1).some((a) => a.spread)) return undefined;
  return args.filter((a) => a.name === undefined && !a.spread)[pos];
}

/** A literal string argument's value. */
export function strValue(a: Arg | undefined): string | undefined {
  return a && a.value.kind === 'value' && typeof a.value.value === 'string' ? a.value.value : undefined;
}

export function numValue(a: Arg | undefined): number | undefined {
  return a && a.value.kind === 'value' && typeof a.value.value === 'number' ? a.value.value : undefined;
}

/** Source text of an argument's value. */
export function argText(ctx: LintContext, a: Arg): string {
  return sourceOf(ctx.ix.text, ctx.ix.toks, a.first, a.last + 1);
}

/**
 * Source of an argument's value, following a variable to its assignment
 * (`init = GlorotUniform()` … `kernel_initializer=init` → `GlorotUniform()`).
 */
export function argResolvedText(ctx: LintContext, a: Arg): string {
  const toks = ctx.ix.toks;
  const t = toks[a.first] as Token;
  if (a.first === a.last && t.kind === 'name') {
    const b = bindingAt(ctx.ix, t.text, t.start);
    if (b?.kind === 'expr') {
      let j = b.tok;
      while (j < toks.length && toks[j]?.kind !== 'nl') j++;
      return sourceOf(ctx.ix.text, toks, b.tok, j);
    }
  }
  return argText(ctx, a);
}

/** Offsets of a whole argument including its `name=` (for removal). */
export function argSpan(ctx: LintContext, a: Arg): { start: number; end: number } {
  const toks = ctx.ix.toks;
  const first = a.name !== undefined && toks[a.first - 1]?.text === '=' || (a.name !== undefined && toks[a.first - 1]?.text === ':') ? a.first - 2 : a.first;
  return { start: (toks[first] as Token).start, end: (toks[a.last] as Token).end };
}

/** Edit that deletes an argument and the comma that separates it from its neighbour. */
export function removeArgEdit(ctx: LintContext, call: { open: number; close: number; args: readonly Arg[] }, a: Arg): { start: number; end: number; newText: string } {
  const toks = ctx.ix.toks;
  const text = ctx.ix.text;
  const span = argSpan(ctx, a);
  // An element alone on its line (`    nn.Softmax(dim=1),`): delete the whole line.
  const ls = text.lastIndexOf('\n', span.start - 1) + 1;
  let le = span.end;
  if (text[le] === ',') le++;
  while (text[le] === ' ' || text[le] === '\t') le++;
  if (/^[ \t]*$/.test(text.slice(ls, span.start)) && (text[le] === '\n' || text.startsWith('\r\n', le)) && call.args.length > 1) {
    return { start: ls, end: le + (text[le] === '\r' ? 2 : 1), newText: '' };
  }
  const idx = call.args.indexOf(a);
  if (idx > 0) {
    // delete from the end of the previous argument through this one
    const prev = call.args[idx - 1] as Arg;
    return { start: (toks[prev.last] as Token).end, end: span.end, newText: '' };
  }
  const next = call.args[idx + 1];
  if (next) {
    const nspan = argSpan(ctx, next);
    return { start: span.start, end: nspan.start, newText: '' };
  }
  // the only argument: also drop a trailing comma
  let end = span.end;
  const after = toks[a.last + 1];
  if (after?.text === ',') end = after.end;
  return { start: span.start, end, newText: '' };
}

/** Start/end offsets of tokens [a, z]. */
export function tokSpan(ctx: LintContext, a: number, z: number): { start: number; end: number } {
  return { start: (ctx.ix.toks[a] as Token).start, end: (ctx.ix.toks[z] as Token).end };
}
