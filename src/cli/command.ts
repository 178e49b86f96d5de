// What a CLI command is: its name, one-line summary, declared options and positionals, and a
// `run` that gets the parsed arguments and the injected I/O. `runCommand` is the one place
// that turns a command's failures into the contract: bad input → one line on stderr, exit 2;
// a bug → "internal error", exit 3; never a stack trace.
import { CatalogError } from '../engine/activations/registry';
import { SpecError } from '../engine/train/spec';
import { LimitError } from '../engine/limits';
import { optionUsage, parseArgs, UsageError, type OptionSpec, type ParsedArgs, type PositionalSpec } from './args';
import { processIo, type CliIo } from './io';

export interface CommandSpec {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly positional?: PositionalSpec;
  /** Overrides the usage line generated from the options (for alternatives such as A | B). */
  readonly usage?: string;
  /** Exit code: 0 ok, 1 findings (lint); throws UsageError/CatalogError/SpecError for bad input. */
  run(args: ParsedArgs, io: CliIo): number | Promise<number>;
}

export const PROGRAM = 'activation-inspector';

/** `activation-inspector NAME [positional] --opt VALUE …`, generated from the declaration. */
export function usageLine(c: CommandSpec): string {
  if (c.usage) return `usage: ${PROGRAM} ${c.name} ${c.usage}`;
  const pos = c.positional && c.positional.max > 0 ? [c.positional.min > 0 ? c.positional.name : `[${c.positional.name}]`] : [];
  const opts = c.options.map((o) => `[${optionUsage(o)}]${o.repeatable ? '…' : ''}`);
  return `usage: ${PROGRAM} ${[c.name, ...pos, ...opts].join(' ')}`;
}

/** The per-command `--help` text. */
export function helpText(c: CommandSpec): string {
  const width = Math.max(0, ...c.options.map((o) => optionUsage(o).length));
  return [usageLine(c), '', c.summary, ...(c.options.length ? ['', 'options:'] : []), ...c.options.map((o) => `  ${optionUsage(o).padEnd(width)}  ${o.help}`)].join('\n');
}

/** Errors that mean bad input (exit 2) rather than a bug (exit 3). */
export function isInputError(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof CatalogError || e instanceof SpecError || e instanceof LimitError;
}

/** Parses argv for `c`, runs it, and maps failures to the exit-code contract. */
export async function runCommand(c: CommandSpec, argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  if (head.includes('--help') || head.includes('-h')) {
    io.out(helpText(c));
    return 0;
  }
  try {
    return await c.run(parseArgs(argv, c.options, c.positional), io);
  } catch (e) {
    if (isInputError(e)) {
      const hint = e instanceof UsageError ? ` (${PROGRAM} ${c.name} --help)` : '';
      io.err(`${PROGRAM} ${c.name}: ${e.message.replace(/\s*\n\s*/g, ' ')}${hint}`);
      return 2;
    }
    io.err(`${PROGRAM} ${c.name}: internal error: ${e instanceof Error ? e.message : String(e)}`);
    return 3;
  }
}
