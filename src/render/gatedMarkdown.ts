// Hover markdown for gated activations, in the catalog's order f(a, b) = a·g(b) (a the value,
// b the gate; docs/conventions.md): a gated module the user's code defines
// (src/code/custom/gated.ts — `F.silu(self.w1(x)) * self.w3(x)`) with f, ∂f/∂a, ∂f/∂b,
// which projection is a and which is b, and the mapping to Shazeer's notation; and the
// line the hover of torch F.glu / nn.GLU (jax.nn.glu, keras.ops.glu) adds on how it splits
// its input. Pure: returns strings.
import { GATED_ENTRIES } from '../engine/activations/catalog';
import { fmt } from '../engine/activations/kernel';
import type { GatedDef } from '../engine/activations/types';
import type { GatedAt } from '../code/custom/gated';
import { plotSvg } from './plot';
import { svgDataUri, themeColors, type ThemeKind } from './svg';
import { texToSvg } from './tex';

/** Shazeer's "GLU Variants Improve Transformer" (2020) spelling of each, gate (W) first. */
const PAPER: Readonly<Record<string, string>> = {
  glu_ab: 'GLU(x) = σ(xW) ⊗ xV',
  reglu: 'ReGLU(x) = max(0, xW) ⊗ xV',
  geglu: 'GEGLU(x) = GELU(xW) ⊗ xV',
  swiglu: 'SwiGLU(x) = Swish₁(xW) ⊗ xV',
};

/** g as the gate's name reads in prose. */
const GATE_NAME: Readonly<Record<string, string>> = { sigmoid: 'σ', relu: 'ReLU', gelu: 'GELU (exact, erf)', silu: 'SiLU' };

export function gatedDefOf(id: string): GatedDef | undefined {
  return GATED_ENTRIES.find((e) => e.def.id === id)?.def;
}

/** The hover options markdown.ts takes (declared here too: markdown.ts imports this file). */
export interface GatedHoverOptions {
  readonly detail?: 'compact' | 'standard' | 'full';
  readonly theme?: ThemeKind;
  readonly images?: boolean;
}

const cache = new Map<string, string>();

/** The hover of a recognised gated module (on its class name or a use of it). */
/** `place`: where the class is defined, for uses (`on line 12`, or in a notebook `in cell 21, on line 1`). */
export function gatedHoverMarkdown(m: GatedAt, place: string, opts: GatedHoverOptions = {}): string {
  const o = { detail: opts.detail ?? 'standard', theme: opts.theme ?? 'dark', images: opts.images ?? true };
  const key = JSON.stringify([m.name, m.id, m.a, m.b, m.at, place, o]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const md = build(m, place, o);
  if (cache.size > 100) cache.delete(cache.keys().next().value as string);
  cache.set(key, md);
  return md;
}

function build(m: GatedAt, place: string, o: Required<GatedHoverOptions>): string {
  const def = gatedDefOf(m.id);
  if (!def) throw new Error(`internal: no gated catalog entry ${m.id}`);
  const colors = themeColors(o.theme);
  const images = o.images && o.detail !== 'compact';
  const entry = GATED_ENTRIES.find((e) => e.def.id === m.id);
  const out: string[] = [];
  const where = m.at === 'definition' ? 'defined here (module)' : `module defined ${place}`;
  out.push(`**${mdText(m.name)}** — gated activation **${def.title}**, ${where}`, '');
  const f = formula(def.formulas.f.text, def.formulas.f.latex, images, colors.formula);
  const da = formula(def.formulas.dfda.text, def.formulas.dfda.latex, images, colors.formula);
  const db = formula(def.formulas.dfdb.text, def.formulas.dfdb.latex, images, colors.formula);
  // Which projection is which first: it is what the code alone does not say.
  out.push(`with **a** = ${code(m.a)} (the value) and **b** = ${code(m.b)} (the gate, through ${GATE_NAME[def.gate] ?? def.gate})`, '');
  if (images) out.push(f, `${da.trimEnd()} &emsp; ${db}`);
  else out.push(f, da, db);
  if (images) {
    const k = def.gateKinks.map((q) => q.x).filter((x) => x >= -6 && x <= 6);
    const plot = svgDataUri(plotSvg({ f: (b) => def.f(1, b), df: (b) => def.dfdb(1, b), range: [-6, 6], kinks: k, labels: { f: 'g(b)', df: "g′(b)" } }, colors.plot));
    out.push('', `![${`plot of the gate g(b) = f(1, b) and g′(b) over [−6, 6]`.replace(/[[\]\\]/g, (c) => '\\' + c)}](${plot})  `);
  }
  out.push('');
  const props = ['∂²f/∂a² = 0', `∂²f/∂a∂b = g′(b)`];
  for (const q of def.gateKinks) props.push(`kink at b = ${fmt(q.x)}: ∂f/∂b is a·${fmt(q.left)} left, a·${fmt(q.right)} right (the catalog returns a·${fmt(def.dfdb(1, q.x))})`);
  if (!def.gateKinks.length) props.push('smooth (C∞)');
  out.push(props.join(' · '));
  if (o.detail !== 'compact') {
    out.push(
      '',
      `**Order:** f(a, b) = a·g(b), a the value and b the gate — as torch ${code('F.glu')} splits x into [a, b] (gate = second half). ` +
        `Shazeer (2020) writes ${PAPER[def.id] ?? def.title}, gate first: W ↔ b = ${code(m.b)}, V ↔ a = ${code(m.a)}.`,
    );
    const split = entry?.splitBindings.flatMap((s) => s.paths) ?? [];
    out.push(
      '',
      `**Catalog:** ${def.title} (${code(def.id)}). ` +
        (split.length ? `Framework functions on one tensor split into halves [a, b]: ${split.map(code).join(', ')}.` : 'No framework has a function for it; modules such as this one compute it.'),
    );
  }
  if (o.detail === 'full') out.push('', def.summary);
  if (o.detail !== 'compact') out.push('', `As an expression in a and b: ${code(m.expression)}`);
  return out.join('\n');
}

/**
 * The line the hover of a split-form GLU function adds (torch F.glu / nn.GLU, jax.nn.glu,
 * keras.ops.glu): which half is the value and which the gate, along which axis, and the
 * two-input entry it computes. Undefined for other activations.
 */
export function splitLine(id: string, params: Readonly<Record<string, unknown>>): string | undefined {
  const e = GATED_ENTRIES.find((g) => g.splitOf === id);
  if (!e) return undefined;
  const [axisName, axis] = Object.entries(params).find(([k]) => k === 'dim' || k === 'axis') ?? ['dim', -1];
  const d = e.def;
  return (
    `Splits x along ${code(`${axisName}=${String(axis)}`)} into two halves (that axis must have even length): ` +
    `**a** = the first half (the value), **b** = the second half (the gate), and returns ${d.formulas.f.text} elementwise — ` +
    `the two-input ${d.title.replace(/ \(.*\)$/, '')} (${code(d.id)}), with ${d.formulas.dfda.text} and ${d.formulas.dfdb.text}. ` +
    'ReGLU, GeGLU and SwiGLU replace σ by ReLU, GELU, SiLU.'
  );
}

function formula(text: string, latex: string, images: boolean, color: string): string {
  const img = images ? texToSvg(latex, color) : undefined;
  return img ? `![${text.replace(/[[\]\\]/g, (c) => '\\' + c)}](${img.uri})  ` : `${code(text)}  `;
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\s+/g, ' ').slice(0, 200) + '`';
}

function mdText(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`);
}
