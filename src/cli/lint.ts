// `activation-inspector lint FILE… [--json]`: the editor's activation diagnostics for
// terminals and CI (a directory stands for the .py/.ipynb/.js/.ts files under it). Exit codes: 0 no warning or error, 1 at least one, 2 usage errors (no
// files, a missing or unreadable file, an unknown option, an invalid notebook).
// `--json` prints [{"file","line","column","endLine","endColumn","code","severity","message"}]
// with 1-based lines and columns.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { languageOfFile } from '../code/api';
import { lintFile, RULES, type FileFinding } from '../code/lint';

const USAGE = 'usage: activation-inspector lint FILE… [--json]   (Python .py, notebooks .ipynb, JS/TS files)';

export interface LintIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly readFile: (path: string) => string;
  /** Entries of a directory, or undefined when `path` is not one. */
  readonly listDir?: (path: string) => { name: string; dir: boolean }[] | undefined;
}

// Directories never worth walking into.
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.venv', 'venv', 'env', '__pycache__', '.ipynb_checkpoints', 'dist', 'build', 'site-packages', '.mypy_cache', '.tox']);

/** A directory argument stands for the Python, notebook and JS/TS files under it (sorted). */
function expand(path: string, io: LintIo, depth = 0): string[] | undefined {
  const entries = io.listDir?.(path);
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

const defaultIo: LintIo = {
  out: (s) => void process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => void process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  readFile: (p) => readFileSync(p, 'utf8'),
  listDir: (p) => {
    try {
      if (!statSync(p).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    return readdirSync(p, { withFileTypes: true }).map((d) => ({ name: d.name, dir: d.isDirectory() }));
  },
};

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

export async function lintCommand(argv: string[], io: LintIo = defaultIo): Promise<number> {
  let json = false;
  const files: string[] = [];
  let rest = false;
  for (const a of argv) {
    if (!rest && a === '--') rest = true;
    else if (!rest && a === '--json') json = true;
    else if (!rest && (a === '--help' || a === '-h')) {
      io.out(USAGE);
      return 0;
    } else if (!rest && a.startsWith('-') && a !== '-') {
      io.err(`activation-inspector lint: unknown option "${a}"\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.err(`activation-inspector lint: no files given\n${USAGE}`);
    return 2;
  }
  // Directories stand for the lintable files under them.
  const named = files.splice(0);
  for (const f of named) files.push(...(expand(f, io) ?? [f]));
  // Read everything first: a missing file is a usage error, reported before any output.
  const texts: string[] = [];
  for (const f of files) {
    try {
      texts.push(io.readFile(f));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      io.err(`activation-inspector lint: cannot read ${f}: ${code === 'ENOENT' ? 'no such file' : code ?? (e as Error).message}`);
      return 2;
    }
  }
  const all: JsonFinding[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as string;
    let found: FileFinding[] | undefined;
    try {
      found = lintFile(file, texts[i] as string);
    } catch (e) {
      io.err(`activation-inspector lint: ${file}: ${(e as Error).message}`);
      return 2;
    }
    if (!found) {
      io.err(`activation-inspector lint: ${file}: not a Python, notebook or JavaScript/TypeScript file`);
      return 2;
    }
    all.push(...toJsonFindings(file, found));
  }
  if (json) io.out(JSON.stringify(all, null, 2));
  else {
    for (const f of all) io.out(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message} [${RULES[f.code as keyof typeof RULES].title}]`);
    const n = all.filter((f) => f.severity === 'warning' || f.severity === 'error').length;
    io.out(n === 0 && all.length === 0 ? `${files.length} file${files.length === 1 ? '' : 's'} checked: no findings` : `${files.length} file${files.length === 1 ? '' : 's'} checked: ${all.length} finding${all.length === 1 ? '' : 's'} (${n} warning${n === 1 ? '' : 's'} or errors)`);
  }
  return all.some((f) => f.severity === 'warning' || f.severity === 'error') ? 1 : 0;
}
