// A small SVG line plot of f and f′ over x ∈ [a, b], with axes through 0, end labels and
// a legend. Self-contained (no fonts or CSS from outside), for hovers.
import { fmt } from '../engine/activations/kernel';
import { type PlotColors, xmlEscape } from './svg';

export interface PlotInput {
  readonly f: (x: number) => number;
  readonly df?: (x: number) => number;
  readonly range: readonly [number, number];
  /** x positions of kinks, marked with a dot on f′'s one-sided values. */
  readonly kinks?: readonly number[];
  readonly labels?: { readonly f: string; readonly df: string };
}

const W = 240;
const H = 120;
const PAD = { l: 30, r: 8, t: 18, b: 18 };
const N = 161;

export function plotSvg(p: PlotInput, c: PlotColors): string {
  const [a, b] = p.range;
  const xs: number[] = [];
  for (let i = 0; i < N; i++) xs.push(a + ((b - a) * i) / (N - 1));
  const fy = xs.map((x) => p.f(x));
  const dy = p.df ? xs.map((x) => (p.df as (x: number) => number)(x)) : [];
  // y-range from finite samples, clipped so one exploding curve cannot flatten the other.
  const finite = [...fy, ...dy].filter((v) => Number.isFinite(v)).map((v) => Math.max(-1e3, Math.min(1e3, v)));
  let lo = Math.min(0, ...finite);
  let hi = Math.max(1, ...finite);
  if (!(hi > lo)) hi = lo + 1;
  const padY = (hi - lo) * 0.08;
  lo -= padY;
  hi += padY;
  const px = (x: number): number => PAD.l + ((x - a) / (b - a)) * (W - PAD.l - PAD.r);
  const py = (y: number): number => PAD.t + ((hi - y) / (hi - lo)) * (H - PAD.t - PAD.b);
  const path = (ys: readonly number[]): string => {
    let d = '';
    let pen = false;
    ys.forEach((y, i) => {
      if (!Number.isFinite(y)) {
        pen = false;
        return;
      }
      const yy = Math.max(lo, Math.min(hi, y));
      // Break the line at jumps (f′ of piecewise functions) instead of drawing a vertical.
      const prev = ys[i - 1];
      const jump = prev !== undefined && Number.isFinite(prev) && Math.abs(y - prev) > (hi - lo) * 0.25;
      d += `${pen && !jump ? 'L' : 'M'}${px(xs[i] as number).toFixed(1)} ${py(yy).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10">`);
  // grid + axes
  const x0 = a <= 0 && b >= 0 ? px(0) : undefined;
  const y0 = lo <= 0 && hi >= 0 ? py(0) : undefined;
  for (const gy of niceTicks(lo, hi)) parts.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${py(gy).toFixed(1)}" y2="${py(gy).toFixed(1)}" stroke="${c.grid}" stroke-width="0.5"/><text x="${PAD.l - 3}" y="${(py(gy) + 3).toFixed(1)}" text-anchor="end" fill="${c.text}">${xmlEscape(fmt(gy))}</text>`);
  if (y0 !== undefined) parts.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y0.toFixed(1)}" y2="${y0.toFixed(1)}" stroke="${c.axis}" stroke-width="1"/>`);
  if (x0 !== undefined) parts.push(`<line x1="${x0.toFixed(1)}" x2="${x0.toFixed(1)}" y1="${PAD.t}" y2="${H - PAD.b}" stroke="${c.axis}" stroke-width="1"/>`);
  parts.push(`<text x="${PAD.l}" y="${H - 5}" fill="${c.text}">${xmlEscape(fmt(a))}</text><text x="${W - PAD.r}" y="${H - 5}" text-anchor="end" fill="${c.text}">${xmlEscape(fmt(b))}</text>`);
  if (dy.length) parts.push(`<path d="${path(dy)}" fill="none" stroke="${c.df}" stroke-width="1.6" stroke-dasharray="4 2"/>`);
  parts.push(`<path d="${path(fy)}" fill="none" stroke="${c.f}" stroke-width="2"/>`);
  for (const k of p.kinks ?? []) {
    if (k < a || k > b || !p.df) continue;
    const g = p.df(k);
    if (Number.isFinite(g)) parts.push(`<circle cx="${px(k).toFixed(1)}" cy="${py(Math.max(lo, Math.min(hi, g))).toFixed(1)}" r="2.5" fill="${c.df}"/>`);
  }
  const lf = p.labels?.f ?? 'f(x)';
  // Not f′: thin primes vanish at legend size in some system fonts used for SVG text.
  const ld = p.labels?.df ?? 'df/dx';
  parts.push(`<line x1="${PAD.l + 4}" x2="${PAD.l + 20}" y1="9" y2="9" stroke="${c.f}" stroke-width="2"/><text x="${PAD.l + 24}" y="12" fill="${c.text}">${xmlEscape(lf)}</text>`);
  if (dy.length) parts.push(`<line x1="${PAD.l + 74}" x2="${PAD.l + 90}" y1="9" y2="9" stroke="${c.df}" stroke-width="1.6" stroke-dasharray="4 2"/><text x="${PAD.l + 94}" y="12" fill="${c.text}">${xmlEscape(ld)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** 3–5 round tick values within [lo, hi]. */
function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo;
  const raw = span / 4;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= 5) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12 && out.length < 8; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(6)));
  return out;
}

export const PLOT_SIZE = { width: W, height: H } as const;
