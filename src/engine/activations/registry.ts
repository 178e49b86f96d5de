// The one registry of activations: lookup by canonical id or by any framework's spelling,
// parameter resolution (framework names and defaults → canonical values, validated), and
// kernels. Hovers, charts, the CLI and the trainer all come through here.
import { CATALOG_ENTRIES } from './catalog';
import { CatalogError } from './errors';
import type {
  ActivationDef,
  BindingParam,
  CatalogEntry,
  Conventions,
  ElementwiseDef,
  ElementwiseKernel,
  Framework,
  FrameworkBinding,
  ParamSpec,
  ParamValue,
  Params,
} from './types';
import { DEMO_TITLES, FRAMEWORKS, type ActivationTags, type DemoId } from './types';

export { CatalogError };


const byId = new Map<string, CatalogEntry>();
for (const e of CATALOG_ENTRIES) {
  if (byId.has(e.def.id)) throw new Error(`duplicate activation id ${e.def.id}`);
  byId.set(e.def.id, e);
}

export function allEntries(): readonly CatalogEntry[] {
  return CATALOG_ENTRIES;
}

export function getEntry(id: string): CatalogEntry | undefined {
  return byId.get(id);
}

export function getDef(id: string): ActivationDef {
  const e = byId.get(id);
  if (!e) throw new CatalogError(`unknown activation "${id}"`, closeMatches(id, [...byId.keys()]));
  return e.def;
}

export function isFramework(s: string): s is Framework {
  return (FRAMEWORKS as readonly string[]).includes(s);
}

/** Lower-case and drop `_`, so `LeakyReLU`, `leaky_relu` and `leakyRelu` meet. */
export function normalizeName(s: string): string {
  return s.toLowerCase().replace(/[_\s-]/g, '');
}

/** Every binding of a framework, in catalog order. */
export function bindingsOf(framework: Framework): FrameworkBinding[] {
  const out: FrameworkBinding[] = [];
  for (const e of CATALOG_ENTRIES) for (const b of e.bindings) if (b.framework === framework) out.push(b);
  return out;
}

/**
 * Finds a framework's binding by one of its names: exact spelling first (so Keras's
 * `LeakyReLU` layer and `leaky_relu` function, which have different defaults, stay apart),
 * then case/underscore-insensitive.
 */
export function findBinding(framework: Framework, name: string): FrameworkBinding | undefined {
  const list = bindingsOf(framework);
  const exact = list.find((b) => b.names.includes(name));
  if (exact) return exact;
  const n = normalizeName(name);
  return list.find((b) => b.names.some((m) => normalizeName(m) === n));
}

/** A name looked up leniently: the binding and the framework's own spelling of it. */
export interface NameMatch {
  readonly binding: FrameworkBinding;
  /** The framework's spelling (`LeakyRelu` for torch → `LeakyReLU`). */
  readonly name: string;
}

/**
 * Exact spelling first; then ignoring case and `_`/`-`/spaces. A lenient match is accepted
 * only when it points at one binding (torch `LeakyRelu` → `LeakyReLU`); when it
 * could be two (Keras `Relu`: the `relu` function or the `ReLU` layer, whose defaults
 * differ) the caller gets both spellings and must ask.
 */
export function lookupName(framework: Framework, name: string): NameMatch | { readonly ambiguous: readonly string[] } | undefined {
  const list = bindingsOf(framework);
  for (const b of list) if (b.names.includes(name)) return { binding: b, name };
  const n = normalizeName(name);
  const hits: NameMatch[] = [];
  for (const b of list) {
    const same = b.names.filter((m) => normalizeName(m) === n);
    const m = same.find((x) => x.toLowerCase() === name.toLowerCase()) ?? same[0];
    if (m !== undefined) hits.push({ binding: b, name: m });
  }
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) return { ambiguous: hits.map((h) => h.name) };
  return undefined;
}

export function requireBinding(framework: string, name: string): FrameworkBinding {
  return requireName(framework, name).binding;
}

/** lookupName, or a CatalogError naming the close matches (and other frameworks' names). */
export function requireName(framework: string, name: string): NameMatch {
  if (!isFramework(framework)) {
    const sugg = closeMatches(framework, FRAMEWORKS);
    throw new CatalogError(`unknown framework "${framework}" (expected one of ${FRAMEWORKS.join(', ')})${sugg.length ? `; did you mean "${sugg[0]}"?` : ''}`, sugg);
  }
  const hit = lookupName(framework, name);
  if (hit && 'binding' in hit) return hit;
  if (hit) {
    const paths = hit.ambiguous.map((n) => {
      const b = bindingsOf(framework).find((x) => x.names.includes(n));
      const path = b?.paths.find((q) => q.endsWith(`.${n}`));
      return `"${n}"${path ? ` (${path})` : ''}`;
    });
    throw new CatalogError(`${framework} activation "${name}" could be ${paths.join(' or ')}, which differ (defaults or parameters); give the exact spelling`, [...hit.ambiguous]);
  }
  const names = bindingsOf(framework).flatMap((x) => x.names);
  const sugg = closeMatches(name, names);
  const elsewhere = FRAMEWORKS.filter((f) => f !== framework && lookupName(f, name));
  let msg = `unknown ${framework} activation "${name}"`;
  if (sugg.length) msg += `; did you mean ${sugg.map((s) => `"${s}"`).join(', ')}?`;
  if (elsewhere.length) msg += ` ("${name}" exists in ${elsewhere.join(', ')})`;
  throw new CatalogError(msg, sugg);
}

export interface Resolved {
  readonly entry: CatalogEntry;
  readonly binding: FrameworkBinding;
  /** The framework's own spelling of the name asked for (`LeakyRelu` → `LeakyReLU`). */
  readonly name: string;
  /** Canonical parameters, every one present. */
  readonly params: Params;
  /** The framework's own parameter names and values, defaults filled in. */
  readonly frameworkParams: Readonly<Record<string, ParamValue>>;
  readonly conventions: Conventions;
}

/**
 * Resolves a framework call: `given` uses the framework's parameter names (or their
 * aliases) and the framework's value representation; strings from a command line are
 * parsed against the parameter's type. Unknown names and invalid values throw CatalogError.
 */
export function resolve(framework: string, name: string, given: Readonly<Record<string, ParamValue>> = {}): Resolved {
  const { binding, name: spelled } = requireName(framework, name);
  const entry = byId.get(binding.id);
  if (!entry) throw new Error(`internal: binding ${binding.framework}.${name} points at unknown id ${binding.id}`);
  const def = entry.def;

  const frameworkParams: Record<string, ParamValue> = {};
  for (const bp of binding.params) frameworkParams[bp.name] = bp.default;
  for (const [key, raw] of Object.entries(given)) {
    const bp = binding.params.find((q) => q.name === key || (q.aliases ?? []).includes(key));
    if (!bp) {
      const known = binding.params.map((q) => q.name);
      const sugg = closeMatches(key, known);
      throw new CatalogError(
        `${framework} ${binding.names[0]} has no parameter "${key}"` +
          (known.length ? ` (parameters: ${known.join(', ')})` : ' (it takes no parameters)') +
          (sugg.length ? `; did you mean "${sugg[0]}"?` : ''),
        sugg,
      );
    }
    const spec = def.params.find((s) => s.name === bp.canonical);
    const v = coerceFrameworkValue(bp, raw, spec, `${framework} ${spelled}`);
    if (typeof raw === 'string' && typeof v === 'number' && !Number.isFinite(v) && !Number.isNaN(v) && spec && !infinityAllowed(def.id, spec.name, v)) {
      throw new CatalogError(`${framework} ${spelled}: ${bp.name} must be a finite number, got "${raw.trim()}"${/^[+-]?inf/i.test(raw.trim()) ? '' : ` (it overflows to ${v > 0 ? 'inf' : '-inf'})`}${infinityNote(def.id)}`);
    }
    frameworkParams[bp.name] = v;
  }

  const params: Record<string, ParamValue> = {};
  for (const spec of def.params) params[spec.name] = spec.default;
  for (const [k, v] of Object.entries(binding.fixed ?? {})) params[k] = v;
  for (const bp of binding.params) {
    const v = frameworkParams[bp.name] as ParamValue;
    let c: ParamValue;
    try {
      c = bp.toCanonical ? bp.toCanonical(v) : v;
    } catch (e) {
      throw new CatalogError(`${framework} ${binding.names[0]}: ${(e as Error).message}`);
    }
    params[bp.canonical] = c;
  }
  for (const spec of def.params) validateParam(def, spec, params[spec.name] as ParamValue, binding);
  checkRelations(def, params, binding);

  const conventions: Record<string, string> = {};
  for (const c of def.conventions) conventions[c.name] = binding.conventions[c.name] ?? (c.options[0]?.value as string);
  return { entry, binding, name: spelled, params, frameworkParams, conventions };
}

/** Resolves canonical parameters directly (explorer, trainer). Missing ones take defaults. */
export function resolveCanonical(id: string, given: Params = {}, conventions: Conventions = {}): { def: ActivationDef; params: Params; conventions: Conventions } {
  const def = getDef(id);
  const params: Record<string, ParamValue> = {};
  for (const spec of def.params) params[spec.name] = spec.default;
  for (const [k, v] of Object.entries(given)) {
    const spec = def.params.find((s) => s.name === k);
    if (!spec) throw new CatalogError(`${id} has no parameter "${k}"`, closeMatches(k, def.params.map((s) => s.name)));
    params[k] = coerceCanonical(spec, v);
  }
  for (const spec of def.params) validateParam(def, spec, params[spec.name] as ParamValue);
  checkRelations(def, params);
  const conv: Record<string, string> = {};
  for (const c of def.conventions) {
    const v = conventions[c.name] ?? (c.options[0]?.value as string);
    if (!c.options.some((o) => o.value === v)) {
      throw new CatalogError(`${id}: convention ${c.name} must be one of ${c.options.map((o) => o.value).join(', ')}`);
    }
    conv[c.name] = v;
  }
  return { def, params, conventions: conv };
}

/** The elementwise kernel for a resolved call; throws for vector activations. */
export function kernelOf(def: ActivationDef, params: Params, conventions: Conventions): ElementwiseKernel {
  if (def.kind !== 'elementwise') throw new CatalogError(`${def.id} is a vector function (it acts on a whole vector), not elementwise`);
  return def.kernel(params, conventions);
}

/** Convenience for the trainer and tests: a kernel by canonical id. */
export function elementwiseKernel(id: string, params: Params = {}, conventions: Conventions = {}): ElementwiseKernel {
  const r = resolveCanonical(id, params, conventions);
  return kernelOf(r.def, r.params, r.conventions);
}

export function isElementwise(def: ActivationDef): def is ElementwiseDef {
  return def.kind === 'elementwise';
}

// ---------------------------------------------------------------------------------------
// values

/** Parses a command-line or source literal into a number/boolean/string as the spec wants. */
function coerceFrameworkValue(bp: BindingParam, raw: ParamValue, spec: ParamSpec | undefined, where: string): ParamValue {
  if (typeof raw !== 'string') return raw;
  const s = raw.trim();
  // Framework-representation strings (torch approximate="tanh", Keras max_value=None)
  const hit = bp.options?.find((o) => String(o) === s);
  if (hit !== undefined) return hit;
  const words = (bp.options ?? []).filter((o): o is string => typeof o === 'string');
  // An enum the framework spells as strings (torch GELU approximate: 'none' | 'tanh')
  if (spec?.type === 'boolean' && typeof bp.default === 'string' && words.length) {
    throw new CatalogError(`${where}: ${bp.name} expects ${words.map((w) => `'${w}'`).join(' or ')}, got "${raw}"`);
  }
  if (/^(none|null)$/i.test(s)) return 'None';
  if (typeof bp.default === 'boolean' || spec?.type === 'boolean') {
    const b = parseBool(s);
    if (b === undefined) throw new CatalogError(`${where}: ${bp.name} expects true or false, got "${raw}"`);
    return b;
  }
  if (typeof bp.default === 'number' || spec?.type === 'number') {
    const n = parseNumberLiteral(s);
    if (n === undefined) {
      const also = words.length ? ` or one of ${words.map((w) => `"${w}"`).join(', ')}` : '';
      throw new CatalogError(`${where}: ${bp.name} expects a number${also}, got "${raw}"`);
    }
    return n;
  }
  return s;
}

/**
 * Infinite values, one rule: refused (like NaN) except where the framework itself means
 * "no bound" by an infinity — and then the canonical value is ±Infinity and JSON prints it
 * as "inf"/"-inf". `1e400` overflows to inf as Python's float() does, and follows the
 * same rule. See docs/conventions.md, "Non-finite parameters".
 */
const INFINITY_ALLOWED: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>> = {
  // Keras/TF relu max_value=None means no cap (stored as +inf); tf.keras accepts float('inf').
  relu: { max_value: [Infinity] },
  // torch.nn.Hardtanh(min_val=-inf, max_val=inf) is the identity; tf.js clipByValue likewise.
  hardtanh: { min_val: [-Infinity], max_val: [Infinity] },
  // torch Softplus(threshold=inf): never switch to the linear branch (other frameworks' form).
  softplus: { threshold: [Infinity] },
};

function infinityAllowed(id: string, param: string, v: number): boolean {
  return INFINITY_ALLOWED[id]?.[param]?.includes(v) ?? false;
}

function infinityNote(id: string): string {
  const ok = INFINITY_ALLOWED[id];
  if (!ok) return '';
  const list = Object.entries(ok).map(([k, vs]) => `${k}=${vs.map((x) => (x > 0 ? 'inf' : '-inf')).join('/')}`);
  return `; only ${list.join(', ')} may be infinite here`;
}

function coerceCanonical(spec: ParamSpec, v: ParamValue): ParamValue {
  if (typeof v !== 'string') return v;
  if (spec.type === 'number') {
    const n = parseNumberLiteral(v);
    if (n === undefined) throw new CatalogError(`parameter ${spec.name} expects a number, got "${v}"`);
    return n;
  }
  if (spec.type === 'boolean') {
    const b = parseBool(v);
    if (b === undefined) throw new CatalogError(`parameter ${spec.name} expects true or false, got "${v}"`);
    return b;
  }
  return v;
}

export function parseBool(s: string): boolean | undefined {
  if (/^(true|1|yes)$/i.test(s)) return true;
  if (/^(false|0|no)$/i.test(s)) return false;
  return undefined;
}

/** Numbers as people write them: 0.1, -1e-2, 1/3, inf, -inf, nan. */
export function parseNumberLiteral(s: string): number | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan') return NaN;
  const frac = /^([+-]?[0-9.]+(?:e[+-]?\d+)?)\s*\/\s*([0-9.]+(?:e[+-]?\d+)?)$/.exec(t);
  if (frac) return Number(frac[1]) / Number(frac[2]);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** The def's cross-parameter check, reported with the framework's parameter names. */
function checkRelations(def: ActivationDef, params: Params, b?: FrameworkBinding): void {
  let msg = def.validate?.(params);
  if (msg === undefined) return;
  if (b) for (const bp of b.params) if (bp.name !== bp.canonical) msg = msg.split(bp.canonical).join(bp.name);
  throw new CatalogError(`${b ? `${b.framework} ${b.names[0]}` : def.id}: ${msg}`);
}

function validateParam(def: ActivationDef, spec: ParamSpec, v: ParamValue, b?: FrameworkBinding): void {
  const shown = b ? (b.params.find((q) => q.canonical === spec.name)?.name ?? spec.name) : spec.name;
  const where = `${b ? `${b.framework} ${b.names[0]}` : def.id}: ${shown}`;
  if (spec.type === 'number') {
    if (typeof v !== 'number') throw new CatalogError(`${where} must be a number, got ${JSON.stringify(v)}`);
    if (Number.isNaN(v)) throw new CatalogError(`${where} must be a number, got NaN`);
    if (!Number.isFinite(v) && !infinityAllowed(def.id, spec.name, v)) {
      throw new CatalogError(`${where} must be a finite number, got ${v > 0 ? 'inf' : '-inf'}${infinityNote(def.id)}`);
    }
    if (spec.min !== undefined && (spec.minExclusive ? v <= spec.min : v < spec.min)) {
      throw new CatalogError(`${where} = ${v} is out of range: it must be ${spec.minExclusive ? '>' : '≥'} ${spec.min}${spec.max !== undefined ? ` and ${spec.maxExclusive ? '<' : '≤'} ${spec.max}` : ''}`);
    }
    if (spec.max !== undefined && (spec.maxExclusive ? v >= spec.max : v > spec.max)) {
      throw new CatalogError(`${where} = ${v} is out of range: it must be ${spec.maxExclusive ? '<' : '≤'} ${spec.max}${spec.min !== undefined ? ` and ${spec.minExclusive ? '>' : '≥'} ${spec.min}` : ''}`);
    }
  } else if (spec.type === 'boolean') {
    if (typeof v !== 'boolean') throw new CatalogError(`${where} must be true or false, got ${JSON.stringify(v)}`);
  } else if (!spec.options?.includes(String(v))) {
    throw new CatalogError(`${where} must be one of ${(spec.options ?? []).join(', ')}, got ${JSON.stringify(v)}`);
  }
}

// ---------------------------------------------------------------------------------------
// suggestions

/**
 * Names within a small edit distance or sharing a prefix, best first: true edit distance
 * ranks before a prefix match (`relu6x` → `relu6` before `relu`), and spellings that differ
 * only in case or `_` count once (the first given).
 */
export function closeMatches(word: string, candidates: readonly string[], max = 3): string[] {
  // Nothing is close to a very long word, and edit distance on it would cost length² time.
  if (word.length > 64) return [];
  const w = normalizeName(word);
  const seen = new Set<string>();
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const n = normalizeName(c);
    if (seen.has(n) || !n) continue;
    seen.add(n);
    let d = editDistance(w, n);
    if (w && (n.startsWith(w) || w.startsWith(n))) d = Math.min(d, 1.5);
    scored.push({ c, d });
  }
  return scored
    .filter((s) => s.d <= Math.max(2, Math.floor(w.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((s) => s.c);
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}

/** The tags of an activation (family, saturating, demo); empty for an unknown id. */
export function tagsOf(id: string): ActivationTags {
  return getEntry(id)?.def.tags ?? {};
}

/** Ids of the activations whose tags satisfy `pred`, in catalog order. */
export function idsWhere(pred: (t: ActivationTags) => boolean): ReadonlySet<string> {
  return new Set(allEntries().filter((e) => pred(e.def.tags ?? {})).map((e) => e.def.id));
}

/** The demo about an activation's main pitfall, with its title. */
export function demoFor(id: string): { id: DemoId; title: string } {
  const demo = tagsOf(id).demo ?? 'sparsity';
  return { id: demo, title: DEMO_TITLES[demo] };
}

