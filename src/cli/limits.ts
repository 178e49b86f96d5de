// The resource limits a command line can set (--max-memory, --max-output, --max-work), read
// into the engine's Limits. Defaults and the arithmetic are in src/engine/limits.ts.
import { DEFAULT_LIMITS, formatBytes, formatCount, parseByteSize, parseCount, type Limits } from '../engine/limits';
import { single, UsageError, type OptionSpec, type ParsedArgs } from './args';

export const MAX_MEMORY: OptionSpec = { name: 'max-memory', value: 'SIZE', help: `refuse trainings estimated to need more memory (default ${formatBytes(DEFAULT_LIMITS.maxMemoryBytes)}; e.g. 8GiB, 500MB)` };
export const MAX_OUTPUT: OptionSpec = { name: 'max-output', value: 'SIZE', help: `refuse results larger than this (default ${formatBytes(DEFAULT_LIMITS.maxOutputBytes)}; e.g. 1GiB)` };
export const MAX_WORK: OptionSpec = { name: 'max-work', value: 'N', help: `refuse trainings of more multiply-adds (default ${formatCount(DEFAULT_LIMITS.maxWork)}, about a minute on one core)` };

function size(args: ParsedArgs, key: string): number | undefined {
  const v = single(args, key);
  if (v === undefined) return undefined;
  const n = parseByteSize(v);
  if (n === undefined) throw new UsageError(`--${key} expects a size such as 4GiB, 512MB or 1e9 (bytes), got "${v}"`);
  return n;
}

/** The limits after the command line's overrides. */
export function limitsFrom(args: ParsedArgs): Limits {
  const work = single(args, 'max-work');
  const w = work === undefined ? undefined : parseCount(work);
  if (work !== undefined && w === undefined) throw new UsageError(`--max-work expects a positive number of multiply-adds such as 1e12, got "${work}"`);
  return {
    ...DEFAULT_LIMITS,
    maxMemoryBytes: size(args, 'max-memory') ?? DEFAULT_LIMITS.maxMemoryBytes,
    maxOutputBytes: size(args, 'max-output') ?? DEFAULT_LIMITS.maxOutputBytes,
    maxWork: w ?? DEFAULT_LIMITS.maxWork,
  };
}
