// The hover's markdown for one resolved activation reference: name and framework, the
// formula with the call's values (typeset image + text), f′ (and f″ where it is not
// trivially 0), a plot, properties, how other frameworks differ, lookalike notes and
// command links. Pure: returns a string; the extension wraps it in a MarkdownString.
import { fmt } from '../engine/activations/kernel';
import { bindingsOf, demoFor, kernelOf, resolve, type Resolved } from '../engine/activations/registry';
import type { ActivationDef, Conventions, Formula, Framework, FrameworkBinding, Params, ParamValue } from '../engine/activations/types';
import { FRAMEWORK_LABELS, FRAMEWORKS } from '../engine/activations/types';
import { versionLines } from '../engine/activations/versions';
import type { ResolvedMatch } from '../code/resolveMatch';
import type { DtypeHint } from '../code/dtype';
import { precisionNote, type SweepDtype } from '../engine/precision/tables';
import { splitLine } from './gatedMarkdown';
import { plotSvg } from './plot';
import { svgDataUri, themeColors, type ThemeKind } from './svg';
import { texToSvg } from './tex';

export type DetailLevel = 'compact' | 'standard' | 'full';

export interface HoverOptions {
  readonly detail?: DetailLevel;
  readonly theme?: ThemeKind;
  /** Typeset formulas and draw the plot (off: text only). */
  readonly images?: boolean;
  /** The reduced precision the file shows (autocast, .half(), a Keras policy): one line on it. */
  readonly dtype?: DtypeHint;
  /** Framework versions known to be installed (torch: from the probe's interpreter): version lines say which value applies. */
  readonly installed?: Partial<Record<Framework, string>>;
}

/** The commands the hover links to (the only ones its MarkdownString trusts). */
export const HOVER_COMMANDS = ['activationInspector.openExplorer', 'activationInspector.compare', 'activationInspector.runDemo'] as const;

const cache = new Map<string, string>();
const CACHE_MAX = 300;

export function hoverMarkdown(rm: ResolvedMatch, opts: HoverOptions = {}): string {
  const key = JSON.stringify([rm.match.framework, rm.match.binding.names[0], rm.match.binding.id, rm.match.fn, rm.match.kind, rm.match.path, rm.params, rm.symbols, rm.error, rm.match.note, rm.match.ignored, opts.detail, opts.theme, opts.images, opts.dtype?.dtype, opts.dtype?.evidence, opts.installed?.[rm.match.framework]]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const md = build(rm, { detail: opts.detail ?? 'standard', theme: opts.theme ?? 'dark', images: opts.images ?? true }, opts.dtype, opts.installed?.[rm.match.framework]);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, md);
  return md;
}

function build(rm: ResolvedMatch, o: Required<Omit<HoverOptions, 'dtype' | 'installed'>>, dtype: DtypeHint | undefined, installed: string | undefined): string {
  const { match: m, resolved: r } = rm;
  const def = r.entry.def;
  const colors = themeColors(o.theme);
  const images = o.images && o.detail !== 'compact';
  const out: string[] = [];

  // Title: **Leaky ReLU** — PyTorch `nn.LeakyReLU(negative_slope=0.2)`
  // Arguments as written, plus defaults that differ from the textbook function (Keras's
  // leaky_relu slope 0.2); defaults that change nothing (relu's threshold=0) are left out.
  const shownArgs = Object.entries(rm.params)
    .filter(([k]) => k in m.given || !isTextbookDefault(def, r, k))
    .map(([k, v]) => `${k}=${rm.symbols[k] ?? showValue(v)}`);
  const callText = m.kind === 'string' ? `"${m.fn}"` : `${m.fn}(${shownArgs.join(', ')})`;
  const title = m.kind === 'lookalike' ? `**${def.title}** lookalike — ${FRAMEWORK_LABELS[m.framework]}` : `**${def.title}** — ${FRAMEWORK_LABELS[m.framework]}`;
  out.push(`${title} ${codeSpan(callText)}`);
  if (m.kind === 'string' && shownArgs.length) out.push(`with ${shownArgs.map((a) => `\`${a}\``).join(', ')}`);
  out.push('');
  if (m.note) out.push(`⚠️ ${m.note}`, '');
  // Error text quotes the user's values: escaped, so a crafted string cannot become a link.
  if (rm.error) out.push(`⚠️ ${mdEscape(rm.error)} — showing the defaults.`, '');

  // Formulas, then the plot; f″ (where it is not trivially 0) as text below the plot,
  // typeset only at the full level, so the plot stays in view in a normal-height hover.
  const fs = formulasWithSymbols(def, r, rm.symbols);
  const meta = def.meta(r.params);
  // f and f′ share a line when both are images (they wrap when too wide), keeping the
  // plot within the hover's default height.
  const fLine = formulaLine('f(x)', 'f(x)', fs.f, images, colors.formula);
  const dfLine = formulaLine('f′(x)', "f'(x)", fs.df, images, colors.formula);
  if (fLine.startsWith('![') && dfLine.startsWith('![')) out.push(`${fLine.trimEnd()} &emsp; ${dfLine}`);
  else out.push(fLine, dfLine);
  if (images) {
    const plot = plotFor(def, r, colors.plot);
    if (plot) out.push(`![${escapeAlt(`plot of f and f′ for ${def.title} over ${plotRangeText(def)}`)}](${plot})  `);
  }
  if (fs.d2f && (o.detail === 'full' || (meta.smoothness !== 'C0' && meta.smoothness !== 'discontinuous'))) {
    out.push(formulaLine('f″(x)', "f''(x)", fs.d2f, images && o.detail === 'full', colors.formula));
  }
  if (fs.symbolNote) out.push('', fs.symbolNote);
  out.push('');
  // F.glu / nn.GLU: which half is the value and which the gate (the two-input entry glu_ab).
  const split = o.detail === 'compact' ? undefined : splitLine(def.id, rm.params);
  if (split) out.push(split, '');

  // Properties
  const props = [`range ${meta.range}`, meta.smoothness === 'C∞' ? 'smooth (C∞)' : meta.smoothness, meta.zeroCentred ? 'zero-centred' : 'not zero-centred', monotonicText(meta.monotonic)];
  const kinkText = kinkGradients(def, r, m.framework, Object.keys(rm.symbols).length > 0);
  if (kinkText) props.push(kinkText);
  if (m.lookalikeGrad !== undefined) props.push(`this expression: f′(0) = ${fmt(m.lookalikeGrad)}`);
  out.push(props.join(' · '));
  if (dtype && def.kind === 'elementwise' && o.detail !== 'compact') out.push('', precisionLine(m.framework, def.id, dtype));

  if (o.detail !== 'compact') {
    const diffs = differences(m.binding, r);
    if (diffs.length) out.push('', `**Other frameworks differ:** ${diffs.join('; ')}.`);
    if (m.ignored.length) out.push('', `Not modelled here: ${m.ignored.map(codeSpan).join(', ')}.`);
    // The catalog's deliberate notes on this framework's behaviour (renamed arguments, …).
    for (const n of m.binding.notes ?? []) out.push('', `ℹ️ ${n}`);
    // Where versions of this framework return different numbers (torch hardswish at ±3).
    for (const v of versionLines(m.framework, def.id, installed)) out.push('', `Versions: ${v}.`);
  }
  if (o.detail === 'full') {
    out.push('', def.summary);
    if (meta.uses.length) out.push('', `Typical uses: ${meta.uses.join('; ')}.`);
  }
  if (o.detail !== 'compact') out.push('', commandLinks(rm, dtype && def.kind === 'elementwise' ? dtype.dtype : undefined));
  return out.join('\n');
}

/** "In float16 (`model.half()`): f overflows to ∞ for x ≥ 11.09." — from the dtype sweep. */
function precisionLine(framework: Framework, id: string, hint: DtypeHint): string {
  const note = precisionNote(framework, id, hint.dtype) ?? `In ${hint.dtype}: no overflow, and no gradient that rounding makes exactly 0.`;
  return `**Precision:** ${note.replace(`In ${hint.dtype}:`, `In ${hint.dtype} (${codeSpan(shorten(hint.evidence))}):`)}`;
}

function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Whether framework parameter `name` resolves to the activation's canonical default. */
function isTextbookDefault(def: ActivationDef, r: Resolved, name: string): boolean {
  const canonical = r.binding.params.find((q) => q.name === name)?.canonical;
  const spec = def.params.find((p) => p.name === canonical);
  return !!spec && Object.is(r.params[spec.name], spec.default);
}

/** Backslash-escapes Markdown punctuation in plain text. */
export function mdEscape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

/** A code span that source text cannot break out of (backticks become quotes, one line). */
function codeSpan(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 200) + '`';
}

function showValue(v: ParamValue): string {
  if (typeof v === 'string') return v === 'None' ? 'None' : JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === Infinity || v === -Infinity) return v > 0 ? '∞' : '−∞';
  return fmt(v);
}

function formulaLine(label: string, texLabel: string, f: Formula, images: boolean, color: string): string {
  const text = `${label} = ${f.text}`;
  const img = images ? texToSvg(`${texLabel} = ${f.latex}`, color) : undefined;
  // The alt text is the readable fallback if the image cannot be shown.
  return img ? `![${escapeAlt(text)}](${img.uri})  ` : `\`${text}\`  `;
}

function plotRangeText(def: ActivationDef): string {
  const [a, b] = def.kind === 'elementwise' ? def.plotRange : [-6, 6];
  return `[${fmt(a)}, ${fmt(b)}]`;
}

function escapeAlt(s: string): string {
  return s.replace(/[[\]\\]/g, (c) => '\\' + c);
}

/**
 * Formulas with variables shown as symbols: render with two different stand-in values; if
 * replacing each stand-in by the symbol gives the same text, the substitution is exact.
 * Otherwise (the value enters a derived constant) fall back to the defaults with a note.
 */
function formulasWithSymbols(def: ActivationDef, r: Resolved, symbols: Readonly<Record<string, string>>): { f: Formula; df: Formula; d2f?: Formula; symbolNote?: string } {
  const base = def.formulas(r.params, r.conventions) as { f: Formula; df: Formula; d2f?: Formula };
  const names = Object.keys(symbols);
  if (!names.length) return base;
  let current = base;
  const fallback: string[] = [];
  for (const fwName of names) {
    const bp = r.binding.params.find((q) => q.name === fwName);
    const spec = def.params.find((s) => s.name === bp?.canonical);
    const sym = symbols[fwName] as string;
    if (!spec || spec.type !== 'number') {
      fallback.push(`\`${fwName}\` = \`${sym}\``);
      continue;
    }
    // Positive stand-ins where allowed: formulas print negatives with a Unicode minus.
    const lo = Math.max(spec.min ?? 0, spec.uiMin ?? 0);
    const hi = Math.min(spec.max ?? Infinity, spec.uiMax ?? lo + 10);
    if (!(hi > lo)) {
      fallback.push(`\`${fwName}\` = \`${sym}\``);
      continue;
    }
    const a = Number((lo + (hi - lo) * 0.3719).toPrecision(5));
    const b = Number((lo + (hi - lo) * 0.6173).toPrecision(5));
    try {
      const fa = def.formulas({ ...r.params, [spec.name]: a }, r.conventions) as { f: Formula; df: Formula; d2f?: Formula };
      const fb = def.formulas({ ...r.params, [spec.name]: b }, r.conventions) as { f: Formula; df: Formula; d2f?: Formula };
      const texSym = `\\mathit{${sym.replace(/[\\{}]/g, '').replace(/_/g, '\\_')}}`;
      const sub = (x: Formula, v: number): Formula => ({ latex: x.latex.split(fmt(v)).join(texSym), text: x.text.split(fmt(v)).join(sym) });
      const same = (x: Formula, y: Formula): boolean => x.latex === y.latex && x.text === y.text;
      const fA = sub(fa.f, a);
      const dA = sub(fa.df, a);
      const ok = same(fA, sub(fb.f, b)) && same(dA, sub(fb.df, b)) && (fA.text.includes(sym) || dA.text.includes(sym));
      if (!ok) {
        fallback.push(`\`${fwName}\` = \`${sym}\``);
        continue;
      }
      const d2 = fa.d2f && fb.d2f && same(sub(fa.d2f, a), sub(fb.d2f, b)) ? sub(fa.d2f, a) : undefined;
      // Only substitute one symbol at a time into the base; combined substitutions are rare.
      current = names.length === 1 ? (d2 ? { f: fA, df: dA, d2f: d2 } : { f: fA, df: dA }) : current;
      if (names.length > 1) fallback.push(`\`${fwName}\` = \`${sym}\``);
    } catch {
      fallback.push(`\`${fwName}\` = \`${sym}\``);
    }
  }
  const symbolNote = fallback.length ? `Variables ${fallback.join(', ')} are shown with the default values.` : undefined;
  return symbolNote ? { ...current, symbolNote } : current;
}

function plotFor(def: ActivationDef, r: Resolved, colors: ReturnType<typeof themeColors>['plot']): string | undefined {
  try {
    if (def.kind === 'elementwise') {
      const k = kernelOf(def, r.params, r.conventions);
      const kinks = def.kinks(r.params, r.conventions).map((q) => q.x);
      return svgDataUri(plotSvg({ f: k.f, df: k.df, range: def.plotRange, kinks }, colors));
    }
    // Vector functions: the first output of f([x, 0]) and its diagonal derivative.
    if (def.outputLength(2) !== 2) return undefined;
    const at = (x: number): { y: number; d: number } => {
      const res = def.apply(Float64Array.from([x, 0]), r.params, r.conventions);
      return { y: res.y[0] as number, d: (res.jacobian[0] as Float64Array)[0] as number };
    };
    return svgDataUri(plotSvg({ f: (x) => at(x).y, df: (x) => at(x).d, range: [-6, 6], labels: { f: 'f([x, 0])₁', df: '∂/∂x' } }, colors));
  } catch {
    return undefined;
  }
}

function monotonicText(m: string): string {
  return m === 'no' ? 'not monotonic' : m === 'increasing' ? 'monotonic (increasing)' : `monotonic (${m})`;
}

/** "f′(0) = 0 here (one-sided 0 | 1)" for every kink of this framework's convention. */
function kinkGradients(def: ActivationDef, r: Resolved, fw: Framework, withSymbols: boolean): string | undefined {
  if (def.kind !== 'elementwise') return undefined;
  // Only real kinks (one-sided slopes differ), not switch points like softplus's threshold.
  const kinks = def.kinks(r.params, r.conventions).filter((q) => Math.abs(q.left - q.right) > 1e-6);
  if (!kinks.length) return undefined;
  const k = kernelOf(def, r.params, r.conventions);
  const parts = kinks.slice(0, 3).map((q) => `f′(${fmt(q.x)}) = ${fmt(k.df(q.x))} in ${shortLabel(fw)} (one-sided ${fmt(q.left)} | ${fmt(q.right)})`);
  return parts.join(', ') + (withSymbols ? ' with the default parameters' : '');
}

function shortLabel(fw: Framework): string {
  return { torch: 'PyTorch', keras: 'Keras 3', jax: 'JAX', tf: 'TensorFlow', tfjs: 'TF.js' }[fw];
}

/**
 * How the same activation differs in the other frameworks from what this call computes:
 * their defaults (incl. approximations a binding pins) and the derivative they return at
 * the kinks. `nn.GELU(approximate="tanh")` thus lists Keras (exact by default), not JAX.
 */
export function differences(binding: FrameworkBinding, r: Resolved): string[] {
  const def = r.entry.def;
  const mine = r;
  const out: string[] = [];
  for (const fw of FRAMEWORKS) {
    if (fw === binding.framework) continue;
    const others = bindingsOf(fw).filter((b) => b.id === binding.id);
    for (const ob of others) {
      let theirs: Resolved;
      try {
        theirs = resolve(fw, ob.names[0] as string, {});
      } catch {
        continue;
      }
      const bits: string[] = [];
      for (const spec of def.params) {
        const a = mine.params[spec.name];
        const b = theirs.params[spec.name];
        if (a !== b && b !== undefined) {
          // Shown in that framework's own spelling (torch approximate="none", not False).
          const bp = ob.params.find((q) => q.canonical === spec.name);
          const shown = bp ? (theirs.frameworkParams[bp.name] ?? b) : b;
          bits.push(`${bp?.name ?? spec.name}=${showValue(shown as ParamValue)}${bp ? ' by default' : ' (fixed)'}`);
        }
      }
      const kg = kinkDiff(def, r.params, r.conventions, theirs.conventions);
      if (kg) bits.push(kg);
      if (bits.length) out.push(`${shortLabel(fw)} \`${ob.names[0]}\`: ${bits.join(', ')}`);
    }
  }
  return out;
}

/** The kink gradients under another framework's conventions, when they differ from ours. */
function kinkDiff(def: ActivationDef, p: Params, mine: Conventions, theirs: Conventions): string | undefined {
  if (def.kind !== 'elementwise') return undefined;
  if (def.conventions.every((c) => mine[c.name] === theirs[c.name])) return undefined;
  try {
    const a = kernelOf(def, p, mine);
    const b = kernelOf(def, p, theirs);
    // A different formula altogether (Keras 2's hard_sigmoid 0.2·x + 0.5), not only a
    // different derivative at the kinks: sample f over the plot range.
    const [lo, hi] = def.plotRange;
    for (let i = 0; i <= 64; i++) {
      const x = lo + ((hi - lo) * (i + 0.37)) / 64;
      const fa = a.f(x);
      const fb = b.f(x);
      if (Math.abs(fa - fb) > 1e-9 * (1 + Math.abs(fa))) return `f(x) = ${def.formulas(p, theirs).f.text}`;
    }
    const diffs = def.kinks(p, theirs).filter((q) => !Object.is(a.df(q.x), b.df(q.x)));
    if (!diffs.length) return undefined;
    return diffs.slice(0, 2).map((q) => `f′(${fmt(q.x)}) = ${fmt(b.df(q.x))}`).join(', ');
  } catch {
    return undefined;
  }
}

/**
 * Links to our commands, with the arguments they take: the explorer gets this call's
 * framework, spelling and literal arguments (framework names), and the dtype the file runs
 * it in; Compare overlays this activation with two common alternatives; the demo is the one
 * about its main pitfall.
 */
function commandLinks(rm: ResolvedMatch, dtype: SweepDtype | undefined): string {
  const { match: m, resolved: r } = rm;
  const id = r.entry.def.id;
  // Rejected values do not travel either: the explorer then shows the defaults, as the hover does.
  const literal = rm.error ? {} : Object.fromEntries(Object.entries(rm.params).filter(([k]) => !(k in rm.symbols)));
  const name = m.binding.names.includes(m.fn) ? m.fn : m.binding.names[0];
  // under autocast / .half(): the explorer opens in that dtype, with its regions marked
  const explorer = { id, framework: m.framework, name, params: literal, ...(dtype ? { dtype } : {}) };
  const compare = { ids: [...new Set([id, ...(id === 'relu' ? ['leaky_relu', 'gelu'] : ['relu', 'gelu'])])].slice(0, 3), framework: m.framework };
  const demo = demoFor(id);
  // encodeURIComponent leaves ( ) ' unencoded; a ")" would end the Markdown link early.
  const enc = (v: unknown): string => encodeURIComponent(JSON.stringify([v])).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const link = (label: string, cmd: string, arg: unknown, title: string): string => `[${label}](command:${cmd}?${enc(arg)} "${title}")`;
  return [
    link('Open in Explorer', 'activationInspector.openExplorer', explorer, 'Plot this activation with these parameters'),
    link('Compare', 'activationInspector.compare', compare, `Overlay ${compare.ids.join(', ')} in ${FRAMEWORK_LABELS[m.framework]}`),
    link(`Demo: ${demo.title}`, 'activationInspector.runDemo', { id: demo.id }, 'Run the mini-training demo about this'),
  ].join(' · ');
}
