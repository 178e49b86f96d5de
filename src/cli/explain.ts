// `activation-inspector explain --file F --line L --column C [--json]`: what the hover
// would show at a position (1-based line and column, as editors show them). Ranges in the
// output are 1-based with an exclusive end column. For notebooks, positions are in the
// .ipynb file itself unless `--cell N` (1-based, counting all cells) makes them
// cell-relative.
import { indexText, languageOfFile, lineStarts, matchAt, offsetAt, positionAt, type SourceLang } from '../code/api';
import { fileToJoined, joinedToCell, parseNotebook, type NotebookText } from '../code/notebook';
import type { ResolvedMatch } from '../code/resolveMatch';
import { FRAMEWORKS, type Framework } from '../engine/activations/types';
import { hoverMarkdown, type DetailLevel } from '../render/markdown';
import { explainCustom, type CustomExplainMatch, type GatedExplainMatch, type Pos, type Range1 } from './explainCustom';
import { dtypeHintAt } from '../code/dtype';
import { oneOf, positiveInt, required, UsageError } from './args';
import { runCommand, type CommandSpec } from './command';
import { jsonText, notText, readFailure, type CliIo } from './io';

export interface ExplainResult {
  readonly match: null | {
    readonly framework: Framework;
    readonly fn: string;
    readonly id: string;
    readonly path: string;
    readonly kind: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly symbols: Readonly<Record<string, string>>;
    readonly range: Range1;
    readonly cell?: { readonly index: number; readonly range: Range1 };
    readonly note?: string;
    readonly error?: string;
  };
  readonly markdown?: string;
}

type ExplainOptions = { cell?: number; framework?: Framework; detail?: DetailLevel; images?: boolean };

/** The text to scan (a notebook: its joined code cells) and the offset a 1-based position means in it. */
interface Located {
  readonly text: string;
  readonly lang: SourceLang;
  readonly nb?: NotebookText;
  /** Negative: the position is in no code (a markdown cell, the notebook's JSON around its cells). */
  readonly offset: number;
}

function locate(content: string, fileName: string, line: number, column: number, cellNumber: number | undefined): Located {
  const kind = languageOfFile(fileName);
  if (!kind) throw new UsageError(`unsupported file type "${fileName}" (expected .py, .ipynb, .js or .ts)`);
  if (kind !== 'notebook') {
    const starts = lineStarts(content);
    checkPosition(fileName, content, starts, line, column);
    return { text: content, lang: kind, offset: offsetAt(starts, content.length, line - 1, column - 1) };
  }
  let nb: NotebookText;
  try {
    nb = parseNotebook(content);
  } catch (e) {
    throw new UsageError(`${fileName}: ${(e as Error).message}`);
  }
  if (cellNumber !== undefined) {
    const cell = nb.cells.find((c) => c.index === cellNumber - 1);
    if (!cell) throw new UsageError(`${fileName} has ${nb.cells.length} code cell${nb.cells.length === 1 ? '' : 's'} (numbered among all its cells); there is no cell ${cellNumber}`);
    checkPosition(`${fileName} cell ${cellNumber}`, cell.source, lineStarts(cell.source), line, column);
    const off = offsetAt(lineStarts(cell.source), cell.source.length, line - 1, column - 1);
    return { text: nb.text, lang: 'python', nb, offset: off < 0 ? -1 : cell.joinedStart + off };
  }
  checkPosition(fileName, content, lineStarts(content), line, column);
  const fo = offsetAt(lineStarts(content), content.length, line - 1, column - 1);
  const j = fo < 0 ? undefined : fileToJoined(nb, fo);
  return { text: nb.text, lang: 'python', nb, offset: j ? j.joined : -1 };
}

/** The explain result for raw file content (exported for tests and the bench). */
export function explainText(content: string, fileName: string, line: number, column: number, opts: ExplainOptions = {}): ExplainResult {
  return explainLocated(locate(content, fileName, line, column, opts.cell), content, opts);
}

function explainLocated(at: Located, content: string, opts: ExplainOptions): ExplainResult {
  const { text, lang, nb, offset } = at;
  if (offset < 0) return { match: null };
  const ix = indexText(text, lang, nb ? nb.cells.map((c) => c.joinedStart) : []);
  const rm = matchAt(ix, offset, opts.framework ? { defaultFramework: opts.framework } : {});
  if (!rm) return { match: null };
  const dtype = lang === 'python' ? dtypeHintAt(text, lineStarts(text).filter((st) => st <= offset).length - 1) : undefined;
  const markdown = hoverMarkdown(rm, { detail: opts.detail ?? 'standard', images: opts.images ?? true, theme: 'light', ...(dtype ? { dtype } : {}) });
  return { match: describe(rm, text, content, nb), markdown };
}

/** A position past the end of the text (or of its line) is a usage error naming the length. */
function checkPosition(what: string, text: string, starts: readonly number[], line: number, column: number): void {
  const lines = text === "" ? 0 : text.endsWith("\n") ? starts.length - 1 : starts.length;
  if (line > Math.max(lines, 1)) throw new UsageError(`${what} has ${lines} line${lines === 1 ? '' : 's'}; --line ${line} is past its end`);
  const start = starts[line - 1] ?? 0;
  const next = starts[line] ?? text.length + 1;
  const length = next - 1 - start; // without the newline
  const len = text[next - 2] === '\r' ? length - 1 : length;
  if (column > len + 1) throw new UsageError(`line ${line} of ${what} has ${len} character${len === 1 ? '' : 's'}; --column ${column} is past its end`);
}

function describe(rm: ResolvedMatch, text: string, content: string, nb: NotebookText | undefined): NonNullable<ExplainResult['match']> {
  const m = rm.match;
  const base = {
    framework: m.framework,
    fn: m.fn,
    id: m.binding.id,
    path: m.path,
    kind: m.kind,
    // Python's None is JSON's null.
    params: Object.fromEntries(Object.entries(rm.params).map(([k, v]) => [k, v === 'None' ? null : v])),
    symbols: rm.symbols,
    ...(m.note ? { note: m.note } : {}),
    ...(rm.error ? { error: rm.error } : {}),
  };
  const to1 = (p: { line: number; character: number }): Pos => ({ line: p.line + 1, column: p.character + 1 });
  if (!nb) {
    const starts = lineStarts(text);
    return { ...base, range: { start: to1(positionAt(starts, m.start)), end: to1(positionAt(starts, m.end)) } };
  }
  const a = joinedToCell(nb, m.start);
  const b = joinedToCell(nb, m.end);
  const fileStarts = lineStarts(content);
  if (!a || !b) throw new Error('internal: match outside every cell');
  const cellStarts = lineStarts(a.cell.source);
  return {
    ...base,
    range: { start: to1(positionAt(fileStarts, a.file)), end: to1(positionAt(fileStarts, b.file)) },
    cell: { index: a.cell.index, range: { start: to1(positionAt(cellStarts, a.inCell)), end: to1(positionAt(cellStarts, b.inCell)) } },
  };
}

/**
 * `[label](command:id?args)` → `label`. The arguments are URI-encoded JSON, which may hold
 * parentheses (`tf.nn.leaky_relu(…)`), so the link ends at the parenthesis that balances.
 */
export function stripCommandLinks(md: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const at = md.indexOf('](command:', i);
    if (at < 0) return out + md.slice(i);
    const open = md.lastIndexOf('[', at);
    let depth = 1;
    let j = at + 2;
    while (j < md.length && depth > 0) {
      const c = md[j];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '\n') break;
      j++;
    }
    if (open < i || depth !== 0) {
      out += md.slice(i, at + 2);
      i = at + 2;
      continue;
    }
    out += md.slice(i, open) + md.slice(open + 1, at);
    i = j;
  }
}

type CustomResult = { readonly match: CustomExplainMatch | GatedExplainMatch; readonly markdown: string };

/**
 * explainText, but an activation the file (or the notebook) defines itself comes first
 * (names it defines shadow the catalog's): `{"match": {"kind": "expression" | "gated", …}}`.
 */
export function explainTextWithCustom(content: string, fileName: string, line: number, column: number, opts: ExplainOptions = {}): ExplainResult | CustomResult {
  const at = locate(content, fileName, line, column, opts.cell);
  if (at.offset >= 0 && (at.lang === 'python' || at.lang === 'js')) {
    const custom = explainCustom(at.text, at.lang, at.offset, { ...(opts.detail ? { detail: opts.detail } : {}), images: opts.images ?? true }, at.nb ? { nb: at.nb, content } : undefined);
    if (custom) return custom;
  }
  return explainLocated(at, content, opts);
}

function textReport(r: ExplainResult | CustomResult): string {
  if (!r.match) return 'no activation at this position';
  const plain = (md: string): string => md.replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1');
  if (!('framework' in r.match)) {
    const c = r.match;
    const head = c.kind === 'gated' ? `${c.fn}: ${c.gate} f(a, b) = ${c.expression}, a = ${c.a}, b = ${c.b}` : `${c.fn} = ${c.expression}`;
    return `${head} (defined at ${c.definition.line}:${c.definition.column})\n\n${plain(r.markdown ?? '')}`;
  }
  const m = r.match;
  const params = Object.entries(m.params).map(([k, v]) => `${k}=${m.symbols[k] ?? JSON.stringify(v)}`).join(', ');
  const where = `${m.range.start.line}:${m.range.start.column}-${m.range.end.line}:${m.range.end.column}`;
  const md = stripCommandLinks(r.markdown ?? '');
  return `${m.framework} ${m.fn} (${m.id}) at ${where}${params ? `: ${params}` : ''}\n\n${md}`;
}

/** `explain`: the activation at a position and the hover text the editor would show. */
export const EXPLAIN: CommandSpec = {
  name: 'explain',
  summary: 'the activation at that position (1-based) in .py, .ipynb, .js or .ts, with its hover text',
  options: [
    { name: 'file', value: 'FILE', help: 'a .py, .ipynb, .js or .ts file' },
    { name: 'line', value: 'L', help: '1-based line' },
    { name: 'column', value: 'C', help: '1-based column' },
    { name: 'cell', value: 'N', help: 'notebooks: the position is in cell N (1-based, all cells counted)' },
    { name: 'framework', value: 'F', help: 'the framework when the code does not say' },
    { name: 'detail', value: 'compact|standard|full', help: 'how much of the hover' },
    { name: 'json', help: 'print {"match", "markdown"}' },
    { name: 'no-images', help: 'JSON without the plot image' },
  ],
  run(args, io) {
    const file = required(args, 'file');
    const line = positiveInt(args, 'line', '1-based');
    const column = positiveInt(args, 'column', '1-based');
    if (line === undefined) throw new UsageError('--line is required');
    if (column === undefined) throw new UsageError('--column is required');
    const cell = positiveInt(args, 'cell', '1-based');
    const framework = oneOf(args, 'framework', FRAMEWORKS);
    const detail = oneOf(args, 'detail', ['compact', 'standard', 'full'] as const) ?? 'standard';
    const json = args.flags.has('json');
    let content: string;
    try {
      content = io.readFile(file);
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${readFailure(e)}`);
    }
    const why = notText(content);
    if (why) throw new UsageError(`cannot explain ${file}: ${why}`);
    const result = explainTextWithCustom(content, file, line, column, {
      ...(cell !== undefined ? { cell } : {}),
      ...(framework ? { framework } : {}),
      detail,
      // Terminal text has no use for image data; JSON carries the hover's exact markdown.
      images: json && !args.flags.has('no-images'),
    });
    io.out(json ? jsonText(result) : textReport(result));
    return 0;
  },
};

/** Runs `explain` from argv (after the subcommand); returns the exit code. */
export function explainCommand(argv: readonly string[], io?: CliIo): Promise<number> {
  return runCommand(EXPLAIN, argv, io);
}
