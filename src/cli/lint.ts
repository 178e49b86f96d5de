// `activation-inspector lint FILE… [--json]`: the editor's activation diagnostics for
// terminals and CI (a directory stands for the .py/.ipynb/.js/.ts files under it). Exit codes: 0 no warning or error, 1 at least one, 2 usage errors (no
// files, a missing or unreadable file, an unknown option, an invalid notebook).
// `--json` prints [{"file","line","column","endLine","endColumn","code","severity","message"}]
// with 1-based lines and columns.
import { join } from 'node:path';
import { languageOfFile } from '../code/api';
import { lintFile, RULES, type FileFinding } from '../code/lint';
import { UsageError } from './args';
import { runCommand, type CommandSpec } from './command';
import { jsonText, notText, NotUtf8Error, processIo, readFailure, type CliIo } from './io';

// Directories never worth walking into.
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.venv', 'venv', 'env', '__pycache__', '.ipynb_checkpoints', 'dist', 'build', 'site-packages', '.mypy_cache', '.tox']);

/** A directory argument stands for the Python, notebook and JS/TS files under it (sorted). */
function expand(path: string, io: CliIo, depth = 0): string[] | undefined {
  const entries = io.listDir(path);
  if (!entries) return undefined;
  const out: string[] = [];
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = join(path, e.name);
    if (e.dir) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && depth < 20) out.push(...(expand(full, io, depth + 1) ?? []));
    } else if (languageOfFile(e.name)) out.push(full);
  }
  return out;
}

export interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly code: string;
  readonly severity: string;
  readonly message: string;
}

/** Editor-only hints are not printed: the CLI reports errors, warnings and information. */
export function toJsonFindings(file: string, findings: readonly FileFinding[]): JsonFinding[] {
  return findings
    .filter((f) => f.severity !== 'hint')
    .map((f) => ({ file, line: f.line + 1, column: f.character + 1, endLine: f.endLine + 1, endColumn: f.endCharacter + 1, code: f.code, severity: f.severity, message: f.message }));
}

/** Why a file found in a directory could not be linted, in a few words. */
function unparsable(text: string, e: unknown): string {
  if (text.trim() === '') return 'empty file';
  if (text.startsWith('version https://git-lfs.github.com/spec/')) return 'a Git LFS pointer (the content is not checked out)';
  if (text.includes('\u0000')) return 'binary content';
  return (e as Error).message;
}

/** `lint`: activation pitfalls; exit 1 if any warning or error. */
export const LINT: CommandSpec = {
  name: 'lint',
  summary: 'activation pitfalls in .py, .ipynb, .js and .ts files (a directory stands for the files under it); exit 1 if any warning or error',
  options: [{ name: 'json', help: 'print [{"file","line","column","endLine","endColumn","code","severity","message"}]' }],
  positional: { name: 'FILE…', min: 1, max: Infinity, missing: 'no files given' },
  run(args, io) {
    // Directories stand for the lintable files under them. A file named on the command line
    // must be readable and parse (a usage error otherwise); a file found in a directory that
    // cannot be read or parsed (an empty notebook, a Git LFS pointer, a binary) is reported on
    // stderr and skipped, so one bad file does not hide the findings in the others.
    const named = args.positional.map((f) => ({ f, files: expand(f, io) }));
    const files = named.flatMap(({ f, files: inDir }) => (inDir ?? [f]).map((file) => ({ file, explicit: !inDir })));
    // Read everything first: a missing file is a usage error, reported before any output.
    const texts = files.map(({ file, explicit }) => {
      try {
        return io.readFile(file);
      } catch (e) {
        // undecodable: reported below as not linted, like a binary file
        if (e instanceof NotUtf8Error) return e;
        if (explicit) throw new UsageError(`cannot read ${file}: ${readFailure(e)}`);
        io.err(`activation-inspector lint: skipped ${file}: cannot read it (${readFailure(e)})`);
        return undefined;
      }
    });
    const all: JsonFinding[] = [];
    let checked = 0;
    files.forEach(({ file, explicit }, i) => {
      const text = texts[i];
      if (text === undefined) return;
      // A binary or undecodable file is reported, never silently "clean"; the rest are linted.
      const why = text instanceof NotUtf8Error ? readFailure(text) : notText(text);
      if (text instanceof NotUtf8Error || why) {
        io.err(`activation-inspector lint: ${file}: not linted: ${why}`);
        return;
      }
      let found: FileFinding[] | undefined;
      try {
        found = lintFile(file, text);
      } catch (e) {
        if (explicit) throw new UsageError(`${file}: ${(e as Error).message}`);
        io.err(`activation-inspector lint: skipped ${file}: ${unparsable(text, e)}`);
        return;
      }
      if (!found) throw new UsageError(`${file}: not a Python, notebook or JavaScript/TypeScript file`);
      checked++;
      all.push(...toJsonFindings(file, found));
    });
    if (args.flags.has('json')) io.out(jsonText(all, 2));
    else {
      for (const f of all) io.out(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message} [${RULES[f.code as keyof typeof RULES].title}]`);
      io.out(summaryLine(checked, files.length - checked, all));
    }
    return all.some((f) => f.severity === 'warning' || f.severity === 'error') ? 1 : 0;
  },
};

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

/** "3 files checked: 3 findings (2 warnings, 1 information)", counts per severity, right plurals. */
export function summaryLine(checked: number, skipped: number, all: readonly JsonFinding[]): string {
  const head = `${plural(checked, 'file')} checked${skipped ? ` (${plural(skipped, 'file')} not linted)` : ''}`;
  if (all.length === 0) return `${head}: no findings`;
  const count = (sev: string): number => all.filter((f) => f.severity === sev).length;
  const parts = [
    [count('error'), 'error', 'errors'],
    [count('warning'), 'warning', 'warnings'],
    [count('information'), 'information', 'information'],
  ] as const;
  return `${head}: ${plural(all.length, 'finding')} (${parts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many)).join(', ')})`;
}

/** Runs `lint` from argv (after the subcommand); returns the exit code. */
export function lintCommand(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCommand(LINT, argv, io);
}
