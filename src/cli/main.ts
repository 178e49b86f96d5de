// `activation-inspector`: the engine from a terminal. Exit codes: 0 ok, 1 findings (lint),
// 2 usage or input errors (always one plain message, never a stack trace).
import { readFileSync } from 'node:fs';
import { CatalogError } from '../engine/activations/registry';
import { UsageError } from './args';
import { listCommand, showCommand } from './describe';
import { evalCommand } from './evaluate';
import { explainCommand } from './explain';
import { lintCommand } from './lint';
import { PROBE_USAGE, probeCommand, pythonPathCommand, runsCommand } from './probe';
import { trainCommand } from './train';

const USAGE = `usage: activation-inspector <command> [options]

commands:
  eval --framework torch|keras|jax|tf|tfjs --fn NAME [--param KEY=VALUE]… (--x 1,2,3 | --x-file FILE.json) [--json]
      f, f′, f″ (or y and the Jacobian for softmax-like functions) at the given points
  list [--framework F] [--json]          every activation and its names per framework
  show NAME [--framework F]              formula, derivative, defaults and kink conventions
  train --spec FILE.json [--precision float64|float32] [--json]
      replay a mini-training (the reference's trainings[] format) and print its results
  explain --file F --line L --column C [--json]
      the activation at that position (1-based) in .py, .ipynb, .js or .ts, with its hover text
  lint FILE… [--json]                    activation pitfalls; exit 1 if any warning or error
${PROBE_USAGE}
  help                                   this text`;

type Command = (argv: string[]) => number | Promise<number>;

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
};

const COMMANDS: Record<string, Command> = {
  eval: (argv) => evalCommand(argv, { readFile: (p) => readFileSync(p, 'utf8'), out }),
  list: (argv) => listCommand(argv, out),
  show: (argv) => showCommand(argv, out),
  train: (argv) => trainCommand(argv),
  explain: (argv) => explainCommand(argv),
  lint: (argv) => lintCommand(argv),
  probe: (argv) => probeCommand(argv),
  'python-path': (argv) => pythonPathCommand(argv),
  runs: (argv) => runsCommand(argv),
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    out(USAGE);
    return cmd ? 0 : 2;
  }
  const run = COMMANDS[cmd];
  if (!run) {
    process.stderr.write(`activation-inspector: unknown command "${cmd}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof CatalogError) {
      process.stderr.write(`activation-inspector ${cmd}: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`activation-inspector ${cmd}: internal error: ${msg}\n`);
    return 3;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`activation-inspector: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
