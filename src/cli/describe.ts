// `activation-inspector list` and `show`: the catalog for people, in plain text (or JSON).
import {
  CatalogError,
  allEntries,
  bindingsOf,
  closeMatches,
  findBinding,
  getEntry,
  isFramework,
  normalizeName,
  resolve,
} from '../engine/activations/registry';
import { FRAMEWORKS, FRAMEWORK_LABELS, type CatalogEntry, type Formula, type Framework, type FrameworkBinding } from '../engine/activations/types';
import { UsageError, single, type OptionSpec } from './args';
import type { CommandSpec } from './command';
import { jsonText } from './io';
import { MODELLED_VERSIONS, versionLines } from '../engine/activations/versions';
import { describeGated, findGated, gatedListLines, gatedNames, gatedRows, twoInputLine } from './describeGated';

function frameworkOption(v: string | undefined): Framework | undefined {
  if (v === undefined) return undefined;
  if (!isFramework(v)) throw new UsageError(`unknown framework "${v}" (expected one of ${FRAMEWORKS.join(', ')})`);
  return v;
}

const FRAMEWORK_OPTION: OptionSpec = { name: 'framework', value: FRAMEWORKS.join('|'), help: 'only this framework' };

/**
 * `list`: every activation and its names per framework, then the gated two-input ones
 * (kind "gated", with "inputs", "gate", "formula", "split": the split-form function paths).
 */
export const LIST: CommandSpec = {
  name: 'list',
  summary: 'every activation and its names per framework (gated ones: two inputs f(a, b))',
  options: [FRAMEWORK_OPTION, { name: 'json', help: 'print [{"id","title","kind","names"}] (kind "gated" rows add "inputs","gate","formula","split")' }],
  run(args, io) {
    const fw = frameworkOption(single(args, 'framework'));
    if (args.flags.has('json')) {
      const rows = [
        ...allEntries().map((e) => ({
          id: e.def.id,
          title: e.def.title,
          kind: e.def.kind as string,
          names: Object.fromEntries(FRAMEWORKS.map((f) => [f, namesIn(e, f)])),
        })),
        ...gatedRows(),
      ];
      io.out(jsonText(fw ? rows.filter((r) => (r.names[fw] ?? []).length) : rows));
      return 0;
    }
    const lines: string[] = [];
    if (fw) {
      lines.push(`${FRAMEWORK_LABELS[fw]}: ${bindingsOf(fw).length} activations`);
      for (const b of bindingsOf(fw)) {
        const params = b.params.map((p) => `${p.name}=${showValue(p.default)}`).join(', ');
        lines.push(`  ${b.names.join(', ').padEnd(40)} ${params}`);
      }
    } else {
      lines.push(`${allEntries().length} activations (names per framework; "—" = not in that framework)`);
      for (const e of allEntries()) {
        const per = FRAMEWORKS.map((f) => `${f}: ${namesIn(e, f).join('/') || '—'}`).join('  ');
        lines.push(`  ${e.def.id.padEnd(16)} ${e.def.title.padEnd(22)} ${per}`);
      }
    }
    lines.push(...gatedListLines(fw));
    io.out(lines.join('\n'));
    return 0;
  },
};

function namesIn(e: CatalogEntry, f: Framework): string[] {
  return [...new Set(e.bindings.filter((b) => b.framework === f).flatMap((b) => b.names))];
}

/** Finds an entry by canonical id or by any framework's spelling. */
export function findEntry(name: string, fw?: Framework): { entry: CatalogEntry; binding?: FrameworkBinding } {
  if (fw) {
    const b = findBinding(fw, name);
    if (b) return { entry: getEntry(b.id) as CatalogEntry, binding: b };
  }
  const byId = getEntry(name) ?? allEntries().find((e) => normalizeName(e.def.id) === normalizeName(name));
  if (byId) return { entry: byId };
  for (const f of FRAMEWORKS) {
    const b = findBinding(f, name);
    if (b) return { entry: getEntry(b.id) as CatalogEntry, binding: fw ? undefined : b };
  }
  const all = [...allEntries().flatMap((e) => [e.def.id, ...e.bindings.flatMap((b) => b.names)]), ...gatedNames()];
  const sugg = closeMatches(name, all);
  throw new CatalogError(`unknown activation "${name}"${sugg.length ? `; did you mean ${sugg.map((s) => `"${s}"`).join(', ')}?` : ''}`, sugg);
}

/** `show`: formula, derivative, defaults and kink conventions of one activation (gated: f(a, b) and its partials). */
export const SHOW: CommandSpec = {
  name: 'show',
  summary: 'formula, derivative, defaults and kink conventions of one activation (gated ones: f(a, b), ∂f/∂a, ∂f/∂b)',
  options: [FRAMEWORK_OPTION],
  positional: { name: 'NAME', min: 1, max: 1, missing: 'NAME is required (an id such as leaky_relu or swiglu, or any framework\'s spelling)' },
  run(args, io) {
    const fw = frameworkOption(single(args, 'framework'));
    const name = args.positional[0] as string;
    // A gated id or title (swiglu, GeGLU) — `glu`/`GLU` stay the framework functions' vector entry.
    const gated = getEntry(name) ? undefined : findGated(name);
    if (gated) {
      io.out(describeGated(gated, fw));
      return 0;
    }
    const { entry } = findEntry(name, fw);
    io.out(describeEntry(entry, fw, name));
    return 0;
  },
};

/** The plain-text description of one activation across frameworks; the formula is that of the binding spelled `name` when there is one (keras `ops.gelu` defaults to the tanh form, `gelu` to the exact one). */
export function describeEntry(entry: CatalogEntry, only?: Framework, name?: string): string {
  const def = entry.def;
  const lines = [`${def.title} (${def.id}) — ${def.summary}`];
  const canon: Record<string, string> = {};
  for (const p of def.params) canon[p.name] = String(p.default);
  if (def.params.length) {
    lines.push('', 'Parameters:');
    for (const p of def.params) {
      const range =
        p.type === 'number'
          ? `${p.min === undefined ? '(−∞' : `${p.minExclusive ? '(' : '['}${p.min}`}, ${p.max === undefined ? '∞)' : `${p.max}${p.maxExclusive ? ')' : ']'}`}`
          : p.type === 'enum'
            ? (p.options ?? []).join(' | ')
            : 'true | false';
      lines.push(`  ${p.name.padEnd(16)} ${range.padEnd(20)} ${p.doc}`);
    }
  }
  const bindings = entry.bindings.filter((b) => !only || b.framework === only);
  const named = bindings.findIndex((b) => name !== undefined && b.names.includes(name));
  if (named > 0) bindings.unshift(...bindings.splice(named, 1));
  if (only && bindings.length === 0) lines.push('', `Not available in ${FRAMEWORK_LABELS[only]}.`);
  let first = true;
  for (const b of bindings) {
    const r = resolve(b.framework, b.names[0] as string);
    if (first) {
      const fm = def.formulas(r.params, r.conventions);
      lines.push('', `Formula (${FRAMEWORK_LABELS[b.framework]} defaults):`, `  f(x)   = ${fm.f.text}`, `  f′(x)  = ${fm.df.text}`);
      const d2 = (fm as { d2f?: Formula }).d2f;
      if (d2) lines.push(`  f″(x)  = ${d2.text}`);
      const m = def.meta(r.params);
      lines.push(
        '',
        `Range ${m.range}; ${m.monotonic === 'no' ? 'not monotonic' : m.monotonic}; ${m.smoothness}; ${m.zeroCentred ? 'zero-centred' : 'not zero-centred'}; ${m.bounded ? 'bounded' : 'unbounded'}${m.selfNormalizing ? '; self-normalizing' : ''}; cost ×${m.cost} of ReLU`,
        `Typical uses: ${m.uses.join('; ')}`,
      );
      first = false;
    }
    lines.push('', `${FRAMEWORK_LABELS[b.framework]}: ${b.paths.join(', ') || b.names.join(', ')}`);
    if (b.params.length) lines.push(`  defaults: ${b.params.map((p) => `${p.name}=${showValue(p.default)}`).join(', ')}`);
    if (def.kind === 'elementwise') {
      for (const k of def.kinks(r.params, r.conventions)) {
        const at = def.kernel(r.params, r.conventions).df(k.x);
        lines.push(`  at x = ${k.x}: f′ is ${k.left} on the left, ${k.right} on the right; this framework returns ${at}`);
      }
    }
    for (const n of b.notes ?? []) lines.push(`  note: ${n}`);
    for (const v of versionLines(b.framework, def.id)) lines.push(`  versions: ${v}`);
  }
  const two = twoInputLine(def.id);
  if (two) lines.push('', two);
  const shown = [...new Set(bindings.map((b) => b.framework))];
  if (shown.length) lines.push('', `Modelled versions: ${shown.map((f) => MODELLED_VERSIONS[f].modelled).join('; ')}.`);
  return lines.join('\n');
}

function showValue(v: unknown): string {
  return typeof v === 'string' ? (v === 'None' ? 'None' : JSON.stringify(v)) : String(v);
}
