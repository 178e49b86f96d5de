// The linter's entry points: lint a Python or JS/TS text, a notebook's cells (joined, so later
// cells see earlier imports), or a file by name. Findings are sorted by position; severities
// come from the rule table unless overridden ('off' drops a rule). Pure; never throws on text.
import { indexText, languageOfFile, type SourceLang } from '../api';
import { joinCells } from '../document';
import { lineStarts, positionAt } from '../lines';
import { parseNotebook, joinedToCell } from '../notebook';
import { buildContext } from './calls';
import { findArchitectures } from './architecture';
import { logitsRule } from './rules/logits';
import { bceRule } from './rules/bce';
import { bceAutocastRule } from './rules/bceAutocast';
import { float16OverflowRule } from './rules/float16Overflow';
import { initRule } from './rules/init';
import { deepStackRule, initMismatchRule } from './rules/stack';
import { jaxGeluRule, kerasRule } from './rules/kerasChanges';
import { lookalikeRule } from './rules/lookalikes';
import { softmaxDimRule } from './rules/softmaxDim';
import { RULES, type LintFinding, type SeverityOverrides } from './types';

export * from './types';
export { joinCells };

export interface LintOptions {
  readonly severities?: SeverityOverrides;
  /**
   * Called with a rule's exception (a bug: the text is then reported as having no findings,
   * so the editor and the CLI stay up). Hosts may log it; tests rethrow it.
   */
  readonly onRuleError?: (e: unknown) => void;
  /** Notebooks: where each joined cell starts (an unclosed bracket ends at a cell boundary). */
  readonly cellStarts?: readonly number[];
}

export function lintText(text: string, lang: SourceLang, opts: LintOptions = {}): LintFinding[] {
  let raw: LintFinding[];
  try {
    const ctx = buildContext(indexText(text, lang, opts.cellStarts));
    const archs = findArchitectures(ctx);
    raw = [...logitsRule(ctx, archs), ...lookalikeRule(ctx), ...initRule(ctx), ...deepStackRule(ctx, archs), ...initMismatchRule(ctx, archs), ...kerasRule(ctx), ...jaxGeluRule(ctx), ...softmaxDimRule(ctx), ...bceRule(ctx, archs), ...bceAutocastRule(ctx), ...float16OverflowRule(ctx)];
  } catch (e) {
    // A rule bug must not take the editor or the CLI down; report it as no findings.
    opts.onRuleError?.(e);
    return [];
  }
  const out: LintFinding[] = [];
  const seen = new Set<string>();
  for (const f of raw) {
    const setting = opts.severities?.[f.code];
    if (setting === 'off') continue;
    const key = `${f.code}:${f.start}:${f.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // A rule may emit a milder severity than its default (hints); a setting replaces the default only.
    const severity = setting && f.severity === RULES[f.code].severity ? setting : f.severity;
    out.push(severity === f.severity ? f : { ...f, severity });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code));
}

/** Lints notebook cells together; each finding is mapped to its cell (offsets within it). */
export function lintCells(sources: readonly string[], opts: LintOptions = {}): { cell: number; finding: LintFinding }[] {
  const { text, starts } = joinCells(sources);
  const out: { cell: number; finding: LintFinding }[] = [];
  for (const f of lintText(text, 'python', { ...opts, cellStarts: starts })) {
    let cell = 0;
    for (let i = 0; i < starts.length; i++) if ((starts[i] as number) <= f.start) cell = i;
    const base = starts[cell] as number;
    const len = (sources[cell] as string).length;
    const clamp = (o: number): number => Math.max(0, Math.min(len, o - base));
    const edits = (fx: LintFinding['fixes'][number]): LintFinding['fixes'][number] => ({ ...fx, edits: fx.edits.map((e) => ({ start: clamp(e.start), end: clamp(e.end), newText: e.newText })) });
    // fixes that reach into another cell cannot be applied to this cell's document
    const fixes = f.fixes.filter((fx) => fx.edits.every((e) => e.start >= base && e.end <= base + len)).map(edits);
    out.push({ cell, finding: { ...f, start: clamp(f.start), end: clamp(f.end), fixes } });
  }
  return out;
}

export interface FileFinding extends LintFinding {
  /** 0-based line/character of start and end in the file as stored. */
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

/**
 * Lints a file's contents by its name (`.py`, `.ipynb`, `.js`/`.ts`…). Notebook positions
 * are in the .ipynb file itself. Returns undefined for a file type the linter does not read.
 * Throws Error for a notebook that is not valid JSON.
 */
export function lintFile(path: string, text: string, opts: LintOptions = {}): FileFinding[] | undefined {
  const lang = languageOfFile(path);
  if (!lang) return undefined;
  const starts = lineStarts(text);
  const pos = (o: number): { line: number; character: number } => positionAt(starts, o);
  const at = (f: LintFinding, s: number, e: number): FileFinding => {
    const a = pos(s);
    const b = pos(Math.max(s, e));
    return { ...f, line: a.line, character: a.character, endLine: b.line, endCharacter: b.character };
  };
  if (lang !== 'notebook') return lintText(text, lang, opts).map((f) => at(f, f.start, f.end));
  const nb = parseNotebook(text);
  return lintText(nb.text, 'python', { ...opts, cellStarts: nb.cells.map((c) => c.joinedStart) }).map((f) => {
    const s = joinedToCell(nb, f.start);
    const e = joinedToCell(nb, f.end);
    const fs = s?.file ?? 0;
    const fe = Math.max(fs, e?.file ?? fs);
    return at({ ...f, start: fs, end: fe, fixes: [] }, fs, fe);
  });
}
