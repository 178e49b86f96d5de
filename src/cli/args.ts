// A small, strict argument parser for the CLI: `--key value`, `--key=value`, repeated keys,
// boolean flags. Values may start with `-` (`--x -1,2`), so a known value-taking option
// always consumes the next token.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string[]>;
  readonly flags: Set<string>;
}

export interface ArgSpec {
  /** Options that take a value (without the leading --). */
  readonly values: readonly string[];
  /** Options that are plain flags. */
  readonly flags: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] as string;
    if (tok === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!tok.startsWith('--')) {
      positional.push(tok);
      continue;
    }
    const eq = tok.indexOf('=');
    const key = tok.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags.includes(key)) {
      if (eq >= 0) throw new UsageError(`--${key} takes no value`);
      flags.add(key);
      continue;
    }
    if (!spec.values.includes(key)) {
      const all = [...spec.values, ...spec.flags].map((k) => `--${k}`);
      throw new UsageError(`unknown option --${key} (options: ${all.join(', ')})`);
    }
    let value: string;
    if (eq >= 0) value = tok.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`--${key} needs a value`);
      value = next;
      i++;
    }
    const list = options.get(key) ?? [];
    list.push(value);
    options.set(key, list);
  }
  return { positional, options, flags };
}

/** The single value of an option, or undefined; repeated → usage error. */
export function single(args: ParsedArgs, key: string): string | undefined {
  const v = args.options.get(key);
  if (!v) return undefined;
  if (v.length > 1) throw new UsageError(`--${key} given more than once`);
  return v[0];
}

export function required(args: ParsedArgs, key: string): string {
  const v = single(args, key);
  if (v === undefined) throw new UsageError(`--${key} is required`);
  return v;
}
