// The CLI's one argument parser: `--key value`, `--key=value`, boolean flags, `--` ends the
// options. Values may start with `-` (`--x -1,2`), so a value-taking option always consumes
// the next token. Each command declares its options once (`OptionSpec`); the parser, the
// per-command `--help` and the error messages all read that declaration.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** The name without the leading `--`. */
  readonly name: string;
  /** Placeholder of the value (`FILE.json`); absent for a plain flag. */
  readonly value?: string;
  /** May be given more than once (the values are collected in order). */
  readonly repeatable?: boolean;
  readonly help: string;
}

export interface PositionalSpec {
  /** Placeholder shown in the usage (`FILE…`). */
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** The message when fewer than `min` are given. */
  readonly missing?: string;
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string[]>;
  readonly flags: Set<string>;
}

/** Parses `argv` against the declared options; `--help`/`-h` must be handled before. */
export function parseArgs(argv: readonly string[], options: readonly OptionSpec[], positional: PositionalSpec = { name: '', min: 0, max: 0 }): ParsedArgs {
  const pos: string[] = [];
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const byName = new Map(options.map((o) => [o.name, o]));
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] as string;
    if (tok === '--') {
      pos.push(...argv.slice(i + 1));
      break;
    }
    if (!tok.startsWith('-') || tok === '-') {
      pos.push(tok);
      continue;
    }
    const eq = tok.indexOf('=');
    const key = tok.startsWith('--') ? tok.slice(2, eq < 0 ? undefined : eq) : tok;
    const spec = tok.startsWith('--') ? byName.get(key) : undefined;
    if (!spec) {
      const all = options.map((o) => `--${o.name}`);
      throw new UsageError(`unknown option ${tok.startsWith('--') ? `--${key}` : `"${tok}"`}${all.length ? ` (options: ${all.join(', ')})` : ''}`);
    }
    if (spec.value === undefined) {
      if (eq >= 0) throw new UsageError(`--${key} takes no value`);
      flags.add(key);
      continue;
    }
    let value: string;
    if (eq >= 0) value = tok.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`--${key} needs a value`);
      value = next;
      i++;
    }
    const list = values.get(key) ?? [];
    if (list.length && !spec.repeatable) throw new UsageError(`--${key} given more than once`);
    list.push(value);
    values.set(key, list);
  }
  if (pos.length > positional.max) throw new UsageError(`unexpected argument "${pos[positional.max]}"`);
  if (pos.length < positional.min) throw new UsageError(positional.missing ?? `${positional.name} is required`);
  return { positional: pos, options: values, flags };
}

/** The single value of an option, or undefined. */
export function single(args: ParsedArgs, key: string): string | undefined {
  return args.options.get(key)?.[0];
}

export function required(args: ParsedArgs, key: string): string {
  const v = single(args, key);
  if (v === undefined) throw new UsageError(`--${key} is required`);
  return v;
}

/** A positive integer option (`what` says what the number means), or undefined. */
export function positiveInt(args: ParsedArgs, key: string, what: string): number | undefined {
  const v = single(args, key);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${key} must be a positive integer (${what}), got "${v}"`);
  return Number(v);
}

/** One of a fixed set of words, or undefined. */
export function oneOf<T extends string>(args: ParsedArgs, key: string, allowed: readonly T[]): T | undefined {
  const v = single(args, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${key} must be ${allowed.length === 2 ? `${allowed[0]} or ${allowed[1]}` : `one of ${allowed.join(', ')}`}, got "${v}"`);
  return v as T;
}

/** `--name VALUE` or `--flag`, as shown in usage lines. */
export function optionUsage(o: OptionSpec): string {
  return o.value === undefined ? `--${o.name}` : `--${o.name} ${o.value}`;
}
