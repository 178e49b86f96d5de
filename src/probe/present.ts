// What the editor shows for probe results, as plain functions (tested without VS Code):
// which classes and factories get a "Probe activations" lens, the input shape guessed from the
// first layer, the inline annotation text, a site's health and its warning.
import type { ProbeSite } from './types';

export interface ModelDecl {
  readonly name: string;
  /** 0-based line of the `class` / `def`. */
  readonly line: number;
  readonly kind: 'class' | 'factory';
  /** "8,784" from nn.Linear(784, …), "8,3,32,32" from nn.Conv2d(3, …), when the code says it. */
  readonly shapeGuess?: string;
}

const FIRST_LAYER: [RegExp, (n: string) => string][] = [
  [/\bnn\.Linear\(\s*(?:in_features\s*=\s*)?(\d+)/, (n) => `8,${n}`],
  [/\bnn\.Conv2d\(\s*(?:in_channels\s*=\s*)?(\d+)/, (n) => `8,${n},32,32`],
  [/\bnn\.Conv1d\(\s*(?:in_channels\s*=\s*)?(\d+)/, (n) => `8,${n},64`],
  [/\bnn\.Conv3d\(\s*(?:in_channels\s*=\s*)?(\d+)/, (n) => `8,${n},16,16,16`],
];

export function guessInputShape(body: string): string | undefined {
  let best: { at: number; shape: string } | undefined;
  for (const [re, shape] of FIRST_LAYER) {
    const m = re.exec(body);
    if (m && (!best || m.index < best.at)) best = { at: m.index, shape: shape(m[1] as string) };
  }
  return best?.shape;
}

/** nn.Module subclasses and top-level functions that build one (they mention nn.* and return). */
export function findModels(text: string): ModelDecl[] {
  const lines = text.split(/\r?\n/);
  const out: ModelDecl[] = [];
  const classNames: string[] = [];
  const bodyOf = (i: number): string => {
    const indent = /^\s*/.exec(lines[i] as string)?.[0].length ?? 0;
    let j = i + 1;
    while (j < lines.length) {
      const l = lines[j] as string;
      if (l.trim() && !l.trim().startsWith('#') && (/^\s*/.exec(l)?.[0].length ?? 0) <= indent) break;
      j++;
    }
    return lines.slice(i + 1, j).join('\n');
  };
  lines.forEach((l, i) => {
    const c = /^\s*class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/.exec(l);
    if (c && /\bModule\b/.test(c[2] as string)) {
      classNames.push(c[1] as string);
      out.push({ name: c[1] as string, line: i, kind: 'class', shapeGuess: guessInputShape(bodyOf(i)) });
    }
  });
  lines.forEach((l, i) => {
    const d = /^def\s+([A-Za-z]\w*)\s*\(/.exec(l);
    if (!d) return;
    const body = bodyOf(i);
    const builds = /\bnn\.[A-Z]\w*\(/.test(body) || classNames.some((n) => new RegExp(`\\b${n}\\(`).test(body));
    if (builds && /\breturn\b/.test(body)) out.push({ name: d[1] as string, line: i, kind: 'factory', shapeGuess: guessInputShape(body) });
  });
  return out.sort((a, b) => a.line - b.line);
}

const PRETTY: Record<string, string> = {
  relu: 'ReLU', relu6: 'ReLU6', leaky_relu: 'LeakyReLU', prelu: 'PReLU', rrelu: 'RReLU', elu: 'ELU', celu: 'CELU', selu: 'SELU',
  gelu: 'GELU', silu: 'SiLU', mish: 'Mish', sigmoid: 'Sigmoid', tanh: 'Tanh', hardtanh: 'Hardtanh', hardsigmoid: 'Hardsigmoid',
  hardswish: 'Hardswish', softplus: 'Softplus', softsign: 'Softsign', tanhshrink: 'Tanhshrink', softshrink: 'Softshrink',
  hardshrink: 'Hardshrink', threshold: 'Threshold', log_sigmoid: 'LogSigmoid', softmax: 'Softmax', log_softmax: 'LogSoftmax',
  softmin: 'Softmin', glu: 'GLU',
};

export const prettyKind = (kind: string): string => PRETTY[kind] ?? kind;
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** "ReLU · 37.5% dead · ‖g‖ 1.2e-3" */
export function annotation(s: ProbeSite): string {
  const parts = [prettyKind(s.kind)];
  if (s.dead_fraction !== null) parts.push(`${pct(s.dead_fraction)} dead`);
  if (s.saturated_fraction !== null) parts.push(`${pct(s.saturated_fraction)} saturated`);
  if (s.dead_fraction === null && s.saturated_fraction === null && s.zero_fraction !== null) parts.push(`${pct(s.zero_fraction)} zero`);
  parts.push(`‖g‖ ${s.grad_norm === null ? '—' : s.grad_norm.toExponential(1).replace('e+', 'e')}`);
  if (s.nan || s.inf) parts.push(`${s.nan} NaN, ${s.inf} Inf`);
  return parts.join(' · ');
}

export type Health = 'ok' | 'warn' | 'bad';

/** bad: ≥ 50% dead or saturated, or NaN/Inf; warn: ≥ 10% dead or saturated; else ok. */
export function health(s: ProbeSite): Health {
  const worst = Math.max(s.dead_fraction ?? 0, s.saturated_fraction ?? 0);
  if (s.nan > 0 || s.inf > 0 || worst >= 0.5) return 'bad';
  return worst >= 0.1 ? 'warn' : 'ok';
}

/** The warning for a mostly dead or saturated site (or one with NaN/Inf), else undefined. */
export function warning(s: ProbeSite): string | undefined {
  const what = `${prettyKind(s.kind)} "${s.name}"`;
  if (s.nan > 0 || s.inf > 0) return `${what}: ${s.nan} NaN and ${s.inf} Inf in its output on the probe batch.`;
  if ((s.dead_fraction ?? 0) >= 0.5) {
    return `${what}: ${pct(s.dead_fraction as number)} of its units never activate on the probe batch (dying ReLU). Try Leaky ReLU, He (Kaiming) initialisation or a lower learning rate; see the "Dying ReLU" demo.`;
  }
  if ((s.saturated_fraction ?? 0) >= 0.5) {
    return `${what}: ${pct(s.saturated_fraction as number)} of its outputs are saturated (|f′| < 1% of its maximum): gradients vanish. Try normalising its input, Xavier/Glorot initialisation, ReLU-family activations or a lower learning rate; see the "Vanishing gradients" demo.`;
  }
  return undefined;
}

/** Markdown table of a site's numbers and its pre-activation histogram (as text bars). */
export function hoverMarkdown(s: ProbeSite): string {
  const f = (v: number | null, d = 4): string => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toPrecision(d));
  const rows: [string, string][] = [
    ['site', `\`${s.name}\` (${prettyKind(s.kind)}), ${s.calls} call${s.calls === 1 ? '' : 's'}`],
    ['shape', s.shape ? s.shape.join('×') : '—'],
    ['dead units', s.dead_fraction === null ? '—' : pct(s.dead_fraction)],
    ['saturated', s.saturated_fraction === null ? '—' : pct(s.saturated_fraction)],
    ['zeros', s.zero_fraction === null ? '—' : pct(s.zero_fraction)],
    ['mean / std in', `${f(s.mean_in)} / ${f(s.std_in)}`],
    ['mean / std out', `${f(s.mean)} / ${f(s.std)}`],
    ['‖∂L/∂out‖', f(s.grad_norm)],
    ['NaN / Inf', `${s.nan} / ${s.inf}`],
  ];
  const h = s.histogram;
  const max = Math.max(1, ...h.counts, h.under, h.over);
  const bar = (n: number): string => '█'.repeat(Math.round((20 * n) / max));
  const hist = [`< ${h.edges[0]}`.padEnd(14) + ` ${bar(h.under)} ${h.under}`];
  for (let i = 0; i < h.counts.length; i += 2) {
    const n = (h.counts[i] ?? 0) + (h.counts[i + 1] ?? 0);
    hist.push(`[${h.edges[i]}, ${h.edges[i + 2] ?? h.edges[i + 1]})`.padEnd(14) + ` ${bar(n)} ${n}`);
  }
  hist.push(`> ${h.edges[h.edges.length - 1]}`.padEnd(14) + ` ${bar(h.over)} ${h.over}`);
  return [
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    '',
    'Pre-activation histogram:',
    '```',
    ...hist,
    '```',
  ].join('\n');
}

/** "8,3,32,32", "8x3x32x32", several inputs separated by ";" (`16,4;2,3,8,8`). */
const SHAPE_RE = /^\s*[1-9]\d*(\s*[,x]\s*[1-9]\d*)*(\s*;\s*[1-9]\d*(\s*[,x]\s*[1-9]\d*)*)*\s*$/;

/** Undefined when `shape` is a valid --input-shape, else what is wrong with it. */
export function inputShapeError(shape: string): string | undefined {
  return SHAPE_RE.test(shape) ? undefined : 'positive integers like 8,3,32,32 (several inputs separated by ;)';
}

/**
 * Why the probe must not run here, or undefined. Probing imports and runs the user's code, so
 * an untrusted workspace (Workspace Trust) refuses; the file must be on disk.
 */
export function probeRefusal(o: { readonly trusted: boolean; readonly scheme: string | undefined }): string | undefined {
  if (!o.trusted) return 'Probing runs your model\'s code. Trust this workspace first (Workspace Trust).';
  if (o.scheme !== 'file') return 'Open the Python file that defines the model, then run "Probe Activations".';
  return undefined;
}

/** One inline annotation: sites sharing a line share it (in the order they ran). */
export interface LineAnnotation {
  /** 0-based editor line. */
  readonly line: number;
  readonly text: string;
  /** The worst health among the line's sites. */
  readonly health: Health;
  readonly sites: ProbeSite[];
}

const RANK: Record<Health, number> = { ok: 0, warn: 1, bad: 2 };

/** The annotations of one file's sites, one per line, dropping lines past `lineCount`. */
export function lineAnnotations(sites: readonly ProbeSite[], lineCount: number): LineAnnotation[] {
  const byLine = new Map<number, ProbeSite[]>();
  for (const s of sites) {
    if (s.line === null || s.line < 1 || s.line > lineCount) continue;
    byLine.set(s.line - 1, [...(byLine.get(s.line - 1) ?? []), s]);
  }
  return [...byLine]
    .sort((a, b) => a[0] - b[0])
    .map(([line, ss]) => ({
      line,
      text: ss.map(annotation).join('   '),
      health: ss.map(health).reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'ok' as Health),
      sites: ss,
    }));
}
