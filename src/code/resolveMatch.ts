// A scanner match → registry resolution: literal arguments become the framework's
// parameter values (defaults filled in, validated); variables stay symbols.
import { CatalogError, resolve, type Resolved } from '../engine/activations/registry';
import type { ParamValue } from '../engine/activations/types';
import type { CodeMatch } from './scanner';

export interface ResolvedMatch {
  readonly match: CodeMatch;
  /** The registry's resolution with the literal arguments (symbols left at defaults). */
  readonly resolved: Resolved;
  /** Framework-spelled parameters: defaults, then literals, then symbols (as source text). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Parameters given as variables: framework name → source text. */
  readonly symbols: Readonly<Record<string, string>>;
  /** Why the given values were rejected (then `resolved` holds the defaults). */
  readonly error?: string;
}

const AXIS_PARAMS = new Set(['dim', 'axis']);

function tryResolve(m: CodeMatch, name: string, given: Record<string, ParamValue>): Resolved | undefined {
  try {
    return resolve(m.framework, name, given);
  } catch {
    return undefined;
  }
}

export function resolveMatch(m: CodeMatch): ResolvedMatch {
  const literals: Record<string, ParamValue> = {};
  const symbols: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.given)) {
    if (v.kind === 'symbol') symbols[k] = v.text;
    else literals[k] = v.value === null ? 'None' : v.value;
  }
  const name = m.binding.names[0] as string;
  let resolved: Resolved;
  let error: string | undefined;
  try {
    resolved = resolve(m.framework, name, literals);
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    // The catalog evaluates one vector, so it rejects an axis like dim=1 that is fine on a
    // batch: keep the code's axis as written and resolve the rest.
    const axes = m.binding.params.filter((q) => AXIS_PARAMS.has(q.canonical) && q.name in literals).map((q) => q.name);
    const rest = Object.fromEntries(Object.entries(literals).filter(([k]) => !axes.includes(k)));
    const retry = axes.length ? tryResolve(m, name, rest) : undefined;
    if (retry) resolved = retry;
    else {
      error = e.message;
      resolved = resolve(m.framework, name, {});
    }
  }
  const params: Record<string, ParamValue> = { ...resolved.frameworkParams };
  for (const [k, v] of Object.entries(literals)) if (k in params && AXIS_PARAMS.has(m.binding.params.find((q) => q.name === k)?.canonical ?? '')) params[k] = v;
  if (error) for (const [k, v] of Object.entries(literals)) params[k] = v;
  for (const [k, v] of Object.entries(symbols)) params[k] = v;
  return error === undefined ? { match: m, resolved, params, symbols } : { match: m, resolved, params, symbols, error };
}
