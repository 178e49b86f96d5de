// `activation-inspector explain --file F --line L --column C [--json]`: what the hover
// would show at a position (1-based line and column, as editors show them). Ranges in the
// output are 1-based with an exclusive end column. For notebooks, positions are in the
// .ipynb file itself unless `--cell N` (1-based, counting all cells) makes them
// cell-relative.
import { readFileSync } from 'node:fs';
import { indexText, languageOfFile, lineStarts, matchAt, offsetAt, positionAt, type SourceLang } from '../code/api';
import { fileToJoined, joinedToCell, parseNotebook, type NotebookText } from '../code/notebook';
import type { ResolvedMatch } from '../code/resolveMatch';
import { isFramework } from '../engine/activations/registry';
import type { Framework } from '../engine/activations/types';
import { hoverMarkdown, type DetailLevel } from '../render/markdown';
import { explainCustom, type CustomExplainMatch } from './explainCustom';

const USAGE = 'usage: activation-inspector explain --file FILE(.py|.ipynb|.js|.ts) --line L --column C [--cell N] [--json] [--framework F] [--detail compact|standard|full] [--no-images]';

interface Pos {
  readonly line: number;
  readonly column: number;
}
interface Range1 {
  readonly start: Pos;
  readonly end: Pos;
}

class Usage extends Error {}

function parse(argv: readonly string[]): { file: string; line: number; column: number; cell?: number; json: boolean; framework?: Framework; detail: DetailLevel; images: boolean } {
  const vals = new Map<string, string>();
  const flags = new Set<string>();
  const VALUES = ['file', 'line', 'column', 'cell', 'framework', 'detail'];
  const FLAGS = ['json', 'no-images'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) throw new Usage(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    const key = a.slice(2, eq < 0 ? undefined : eq);
    if (FLAGS.includes(key) && eq < 0) flags.add(key);
    else if (VALUES.includes(key)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Usage(`--${key} needs a value`);
      vals.set(key, v);
    } else throw new Usage(`unknown option --${key}`);
  }
  const file = vals.get('file');
  if (!file) throw new Usage('--file is required');
  const int = (k: string, required: boolean): number | undefined => {
    const v = vals.get(k);
    if (v === undefined) {
      if (required) throw new Usage(`--${k} is required`);
      return undefined;
    }
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new Usage(`--${k} must be a positive integer (1-based), got "${v}"`);
    return Number(v);
  };
  const fw = vals.get('framework');
  if (fw !== undefined && !isFramework(fw)) throw new Usage(`--framework must be one of torch, keras, jax, tf, tfjs`);
  const detail = vals.get('detail') ?? 'standard';
  if (!['compact', 'standard', 'full'].includes(detail)) throw new Usage('--detail must be compact, standard or full');
  const cell = int('cell', false);
  return {
    file,
    line: int('line', true) as number,
    column: int('column', true) as number,
    ...(cell !== undefined ? { cell } : {}),
    json: flags.has('json'),
    ...(fw !== undefined ? { framework: fw as Framework } : {}),
    detail: detail as DetailLevel,
    images: !flags.has('no-images'),
  };
}

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

/** The explain result for raw file content (exported for tests and the bench). */
export function explainText(
  content: string,
  fileName: string,
  line: number,
  column: number,
  opts: { cell?: number; framework?: Framework; detail?: DetailLevel; images?: boolean } = {},
): ExplainResult {
  const kind = languageOfFile(fileName);
  if (!kind) throw new Usage(`unsupported file type "${fileName}" (expected .py, .ipynb, .js or .ts)`);
  let text: string;
  let lang: SourceLang;
  let nb: NotebookText | undefined;
  let offset: number;
  if (kind === 'notebook') {
    try {
      nb = parseNotebook(content);
    } catch (e) {
      throw new Usage(`${fileName}: ${(e as Error).message}`);
    }
    text = nb.text;
    lang = 'python';
    if (opts.cell !== undefined) {
      const cell = nb.cells.find((c) => c.index === (opts.cell as number) - 1);
      if (!cell) return { match: null };
      const off = offsetAt(lineStarts(cell.source), cell.source.length, line - 1, column - 1);
      if (off < 0) return { match: null };
      offset = cell.joinedStart + off;
    } else {
      const fo = offsetAt(lineStarts(content), content.length, line - 1, column - 1);
      const j = fo < 0 ? undefined : fileToJoined(nb, fo);
      if (!j) return { match: null };
      offset = j.joined;
    }
  } else {
    text = content;
    lang = kind;
    offset = offsetAt(lineStarts(text), text.length, line - 1, column - 1);
    if (offset < 0) return { match: null };
  }
  const ix = indexText(text, lang);
  const rm = matchAt(ix, offset, opts.framework ? { defaultFramework: opts.framework } : {});
  if (!rm) return { match: null };
  const markdown = hoverMarkdown(rm, { detail: opts.detail ?? 'standard', images: opts.images ?? true, theme: 'light' });
  return { match: describe(rm, text, content, nb), markdown };
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
 * explainText, but an activation the file defines itself comes first (names it defines
 * shadow the catalog's): `{"match": {"kind": "expression", …}}`.
 */
export function explainTextWithCustom(
  content: string,
  fileName: string,
  line: number,
  column: number,
  opts: { cell?: number; framework?: Framework; detail?: DetailLevel; images?: boolean } = {},
): ExplainResult | { readonly match: CustomExplainMatch; readonly markdown: string } {
  const kind = languageOfFile(fileName);
  if (kind === 'python' || kind === 'js') {
    const offset = offsetAt(lineStarts(content), content.length, line - 1, column - 1);
    const custom = offset < 0 ? null : explainCustom(content, kind, offset, { ...(opts.detail ? { detail: opts.detail } : {}), images: opts.images ?? true });
    if (custom) return custom;
  }
  return explainText(content, fileName, line, column, opts);
}

function textReport(r: ExplainResult | { readonly match: CustomExplainMatch; readonly markdown: string }): string {
  if (!r.match) return 'no activation at this position';
  if ('expression' in r.match) {
    const c = r.match;
    return `${c.fn} = ${c.expression} (defined at ${c.definition.line}:${c.definition.column})\n\n${(r.markdown ?? '').replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')}`;
  }
  const m = r.match;
  const params = Object.entries(m.params).map(([k, v]) => `${k}=${m.symbols[k] ?? JSON.stringify(v)}`).join(', ');
  const where = `${m.range.start.line}:${m.range.start.column}-${m.range.end.line}:${m.range.end.column}`;
  const md = (r.markdown ?? '').replace(/\[([^\][\n]+)\]\(command:[^)]*\)/g, '$1');
  return `${m.framework} ${m.fn} (${m.id}) at ${where}${params ? `: ${params}` : ''}\n\n${md}`;
}

export async function explainCommand(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof parse>;
  try {
    opts = parse(argv);
  } catch (e) {
    process.stderr.write(`activation-inspector explain: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let content: string;
  try {
    content = readFileSync(opts.file, 'utf8');
  } catch (e) {
    process.stderr.write(`activation-inspector explain: cannot read ${opts.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  let result: ReturnType<typeof explainTextWithCustom>;
  try {
    result = explainTextWithCustom(content, opts.file, opts.line, opts.column, {
      ...(opts.cell !== undefined ? { cell: opts.cell } : {}),
      ...(opts.framework ? { framework: opts.framework } : {}),
      detail: opts.detail,
      // Terminal text has no use for image data; JSON carries the hover's exact markdown.
      images: opts.json && opts.images,
    });
  } catch (e) {
    if (e instanceof Usage) {
      process.stderr.write(`activation-inspector explain: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : `${textReport(result)}\n`);
  return 0;
}
