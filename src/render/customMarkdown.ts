// The hover's markdown for an activation defined in the user's own code (src/code/custom):
// what the code computes as a formula, f′ and f″ (derived and typeset by the symbolic
// core), a plot, properties read off the function, how it relates to the catalog, and
// notes where the code's spelling overflows. Pure: returns a string.
import { fmt } from '../engine/activations/kernel';
import { analyzeExpr, compileActivation, findKinks } from '../engine/symbolic';
import type { CustomMatch } from '../code/custom/index';
import { catalogRelation, relationText } from '../code/custom/relation';
import type { HoverOptions } from './markdown';
import { plotSvg } from './plot';
import { svgDataUri, themeColors } from './svg';
import { texToSvg } from './tex';

const KIND_TEXT: Readonly<Record<CustomMatch['kind'], string>> = {
  def: 'function',
  method: 'method',
  module: 'module',
  lambda: 'lambda',
  entry: 'dictionary entry',
};

const cache = new Map<string, string>();

export function customHoverMarkdown(m: CustomMatch, opts: HoverOptions = {}): string {
  const o = { detail: opts.detail ?? 'standard', theme: opts.theme ?? 'dark', images: opts.images ?? true };
  const key = JSON.stringify([m.name, m.kind, m.at, m.defLine, m.defCell, m.expression, m.params, o]);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const md = build(m, o);
  if (cache.size > 200) cache.delete(cache.keys().next().value as string);
  cache.set(key, md);
  return md;
}

function build(m: CustomMatch, o: Required<Omit<HoverOptions, 'dtype' | 'installed'>>): string {
  const colors = themeColors(o.theme);
  const images = o.images && o.detail !== 'compact';
  const a = analyzeExpr(m.expression);
  const fns = compileActivation(a, m.params, 'closure');
  const out: string[] = [];
  const where = m.at === 'definition' ? `defined here (${KIND_TEXT[m.kind]})` : `${KIND_TEXT[m.kind]} defined ${m.defCell === undefined ? '' : `in cell ${m.defCell}, `}on line ${m.defLine}`;
  out.push(`**${mdText(m.name)}** — custom activation, ${where}`, '');
  // How it relates to the catalog first: the answer most readers want, visible without scrolling.
  const rel = catalogRelation(m.expr, m.params, m.expression, m.name);
  out.push(`**Catalog:** ${relationText(rel)}.`, '');
  const params = Object.entries(m.params);
  if (params.length) out.push(`Parameters (defaults from the code): ${params.map(([k, v]) => `\`${k} = ${fmt(v)}\``).join(', ')}`, '');

  const fLine = formula('f(x)', "f(x)", a.text.f, a.latex.f, images, colors.formula);
  const dfLine = formula('f′(x)', "f'(x)", a.text.df, a.latex.df, images, colors.formula);
  if (fLine.startsWith('![') && dfLine.startsWith('![')) out.push(`${fLine.trimEnd()} &emsp; ${dfLine}`);
  else out.push(fLine, dfLine);
  const kinks = safeKinks(a.expr.f, m.params);
  if (images) {
    const plot = svgDataUri(plotSvg({ f: fns.f, df: fns.df, range: [-6, 6], kinks: kinks.filter((k) => k.x >= -6 && k.x <= 6).map((k) => k.x) }, colors.plot));
    out.push(`![${`plot of f and f′ for ${m.name} over [−6, 6]`.replace(/[[\]\\]/g, (c) => '\\' + c)}](${plot})  `);
  }
  out.push(formula('f″(x)', "f''(x)", a.text.d2f, a.latex.d2f, images && o.detail === 'full', colors.formula));
  out.push('');

  out.push(properties(fns, kinks).join(' · '));
  for (const n of a.notes) {
    const stable = n.message.includes(n.stable) ? '' : ` Stable form: \`${n.stable.replace(/`/g, "'")}\`.`;
    out.push('', `⚠️ ${mdText(n.message)}.${stable}`);
  }
  if (o.detail !== 'compact') out.push('', `As an expression: \`${m.expression.replace(/`/g, "'")}\``);
  return out.join('\n');
}

function formula(label: string, texLabel: string, text: string, latex: string, images: boolean, color: string): string {
  const plain = `${label} = ${text}`;
  const img = images ? texToSvg(`${texLabel} = ${latex}`, color) : undefined;
  return img ? `![${plain.replace(/[[\]\\]/g, (c) => '\\' + c)}](${img.uri})  ` : `\`${plain.replace(/`/g, "'")}\`  `;
}

function safeKinks(e: Parameters<typeof findKinks>[0], params: Readonly<Record<string, number>>): ReturnType<typeof findKinks> {
  try {
    return findKinks(e, params);
  } catch {
    return [];
  }
}

/** Range (on [−50, 50] and the limits at ±10⁶), smoothness, monotonicity and f(0), read off the function. */
function properties(fns: { f: (x: number) => number; df: (x: number) => number }, kinks: ReturnType<typeof findKinks>): string[] {
  let lo = Infinity;
  let hi = -Infinity;
  let inc = true;
  let dec = true;
  for (let i = 0; i <= 2000; i++) {
    const x = -50 + i * 0.05;
    const y = fns.f(x);
    if (Number.isFinite(y)) {
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
    const d = fns.df(x);
    if (d < -1e-12) inc = false;
    if (d > 1e-12) dec = false;
  }
  // Limits at ±∞: a value f approaches (open bound), or divergence.
  const end = (sign: 1 | -1, seen: number, isUpper: boolean): string => {
    const a = fns.f(sign * 1e6);
    const b = fns.f(sign * 2e6);
    if (!Number.isFinite(a) || Math.abs(b - a) > 1) {
      if (a === Infinity || (Number.isFinite(a) && b > a)) return isUpper ? '∞)' : '';
      if (a === -Infinity || (Number.isFinite(a) && b < a)) return isUpper ? '' : '(−∞';
      return '';
    }
    if (isUpper ? a > seen : a < seen) return isUpper ? `${fmt(a)})` : `(${fmt(a)}`;
    return '';
  };
  const lowerEnds = [end(-1, lo, false), end(1, lo, false)].filter(Boolean);
  const upperEnds = [end(1, hi, true), end(-1, hi, true)].filter(Boolean);
  const lower = lowerEnds.includes('(−∞') ? '(−∞' : (lowerEnds[0] ?? `[${fmt(lo)}`);
  const upper = upperEnds.includes('∞)') ? '∞)' : (upperEnds[0] ?? `${fmt(hi)}]`);
  const out = [`range ${lower}, ${upper}`];
  const real = kinks.filter((k) => k.continuous && Math.abs(k.left - k.right) > 1e-9);
  const jumps = kinks.filter((k) => !k.continuous);
  if (jumps.length) out.push(`discontinuous at ${jumps.map((k) => `x = ${fmt(k.x)}`).join(', ')}`);
  if (real.length) out.push(`kinks at ${real.slice(0, 3).map((k) => `x = ${fmt(k.x)} (one-sided f′ ${fmt(k.left)} | ${fmt(k.right)})`).join(', ')}`);
  else if (!jumps.length) out.push('no kinks');
  out.push(inc && !dec ? 'monotonic (increasing)' : dec && !inc ? 'monotonic (decreasing)' : 'not monotonic');
  out.push(`f(0) = ${fmt(fns.f(0))}`);
  return out;
}

function mdText(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`);
}
