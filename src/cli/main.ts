// `activation-inspector`: the engine from a terminal. Exit codes: 0 ok, 1 findings (lint),
// 2 usage or input errors (always one plain line, never a stack trace), 3 internal errors.
// Every command is a `CommandSpec` in ./commands; `runCommand` parses, runs and maps errors.
import { PROGRAM, runCommand, usageLine } from './command';
import { COMMANDS } from './commands';
import { processIo, type CliIo } from './io';
import { version as VERSION } from '../../package.json';

/** What every exit code means (also in --help and the README). */
export const EXIT_CODES = [
  '0  done (lint: no warning or error found)',
  '1  lint found a warning or error',
  '2  bad input: usage, unknown names, invalid values, unreadable files, or a request over a limit (one line on stderr)',
  '3  internal error: a bug — please report it with the command line',
  '130  interrupted (Ctrl-C) during a long run',
];

/** The overview printed by `help`, generated from the command table. */
export function overview(): string {
  const lines = [`usage: ${PROGRAM} <command> [options]`, '', 'commands:'];
  for (const c of COMMANDS) lines.push(`  ${usageLine(c).slice(`usage: ${PROGRAM} `.length)}`, `      ${c.summary}`);
  lines.push(`  help                                   this text (and ${PROGRAM} <command> --help)`);
  lines.push(`  --version                              the version (${VERSION})`);
  lines.push('', 'exit codes:', ...EXIT_CODES.map((l) => `  ${l}`));
  return lines.join('\n');
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out(overview());
    if (cmd) return 0;
    io.err(`${PROGRAM}: no command given (the commands are listed above)`);
    return 2;
  }
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    io.out(`${PROGRAM} ${VERSION}`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === cmd);
  if (!command) {
    io.err(`${PROGRAM}: unknown command "${cmd}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    return 2;
  }
  return runCommand(command, rest, io);
}

if (require.main === module) {
  // A reader that stops early (`| head`) is not an error: stop quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${PROGRAM}: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
