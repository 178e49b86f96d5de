// The one I/O object every CLI command is given: tests inject a recording one, `main` the
// process. Output is text (one line or more, a newline added if missing) or JSON written with
// the engine's one encoder of non-finite numbers ("inf", "-inf", "nan").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { toJsonSafe } from '../engine/json';

export interface CliIo {
  out(text: string): void;
  /** Raw output without a newline, for streamed JSON (absent: chunks are joined, then `out`). */
  write?(chunk: string): void;
  err(text: string): void;
  readFile(path: string): string;
  /** Entries of a directory, or undefined when `path` is not one. */
  listDir(path: string): { name: string; dir: boolean }[] | undefined;
  /** stderr is a terminal: long runs may show progress there. */
  readonly progress?: boolean;
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt?(handler: () => void): () => void;
}

const line = (s: string): string => (s.endsWith('\n') ? s : `${s}\n`);

/** The process's streams and file system (looked up on each call, so tests may patch them). */
export const processIo: CliIo = {
  out: (s) => void process.stdout.write(line(s)),
  write: (s) => void process.stdout.write(s),
  // On a terminal; ACTIVATION_INSPECTOR_PROGRESS=1 forces it (tests, logs that want it).
  get progress() {
    return process.stderr.isTTY === true || process.env.ACTIVATION_INSPECTOR_PROGRESS === '1';
  },
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
  err: (s) => void process.stderr.write(line(s)),
  readFile: (p) => decodeUtf8(readFileSync(p), p),
  listDir: (p) => {
    try {
      if (!statSync(p).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    return readdirSync(p, { withFileTypes: true }).map((d) => ({ name: d.name, dir: d.isDirectory() }));
  },
};

/** JSON text of `value`, non-finite numbers as "inf"/"-inf"/"nan", undefined members dropped. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(toJsonSafe(value), null, indent);
}

/** A short reason for a failed read: the errno code (ENOENT → "no such file") or the message. */
export function readFailure(e: unknown): string {
  if (e instanceof NotUtf8Error) return 'it is not valid UTF-8 text';
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : (code ?? (e as Error).message);
}

/**
 * Streams output in pieces of at most ~64 KiB: large results (a Jacobian row after row, a
 * million points) never become one string.
 */
export function outputStream(io: CliIo): { put(s: string): void; end(newline?: boolean): void } {
  const parts: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (!parts.length) return;
    const chunk = parts.join('');
    parts.length = 0;
    size = 0;
    if (io.write) io.write(chunk);
    else held.push(chunk);
  };
  const held: string[] = [];
  return {
    put(s) {
      parts.push(s);
      size += s.length;
      if (size >= 65536) flush();
    },
    /** Flushes; `newline` adds the final one (text that already ends in one passes false). */
    end(newline = true) {
      flush();
      if (io.write) {
        if (newline) io.write('\n');
      } else io.out(held.join(''));
    },
  };
}

/** A file whose bytes are not valid UTF-8 (readFile throws it; lint and explain report it). */
export class NotUtf8Error extends Error {
  readonly code = 'ENOTUTF8';
  constructor(path: string) {
    super(`${path} is not valid UTF-8 text`);
    this.name = 'NotUtf8Error';
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The file's text, decoded strictly: invalid bytes throw NotUtf8Error (a U+FFFD the file
 * itself contains, as a notebook's saved output may, is text like any other). A BOM is kept,
 * as readFileSync(…, 'utf8') keeps it.
 */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new NotUtf8Error(path);
  }
}

/** Why `text` is not source text, or undefined: NUL bytes mean a binary file. */
export function notText(text: string): string | undefined {
  const nul = text.indexOf('\0');
  if (nul >= 0) return `it is a binary file (a NUL byte at offset ${nul})`;
  return undefined;
}
