// The explorer's precision view, shown when a dtype other than float64 is chosen: the
// overflow, underflow and zero-gradient regions of the focused curve (src/engine/precision/
// regions.ts) hatched on the charts and listed as sentences (so nothing is colour-only), and
// a strip chart of the error against float64 in ULPs for every curve, below the main plot.
// Regions of bfloat16/float16 come from a sweep of all 65,536 inputs: cached per curve and
// dtype, computed after the drawing settles so a dragged slider stays smooth.
import type { Plugin } from 'chart.js';
import type { Dtype } from '../../engine/precision/round';
import { precisionRegions, REGION_KINDS, type PrecisionRegion, type RegionKind, ulpErrors, visibleRegions } from '../../engine/precision/regions';
import { type Chart, lineChart } from '../common/chart';
import { clear, fmtNum, h } from '../common/dom';
import type { ThemeColors } from '../common/theme';
import { seriesColor } from '../common/theme';
import type { Evaluated, ExplorerState } from './model';

export interface PrecisionCurve {
  readonly ev: Evaluated;
  readonly label: string;
}

export const REGION_LABELS: Record<RegionKind, string> = { overflow: 'Overflow', underflow: 'Underflow', 'zero-grad': 'Zero gradient' };

/** Theme colours of the three kinds: VS Code's error, chart purple and warning colours. */
function regionColors(): Record<RegionKind, string> {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    overflow: v('--vscode-editorError-foreground', '#f14c4c'),
    underflow: v('--vscode-charts-purple', '#b180d7'),
    'zero-grad': v('--vscode-editorWarning-foreground', '#cca700'),
  };
}

/** A tile for each kind: overflow ╱, underflow ─, zero gradient ╲ (told apart without colour). */
function hatch(kind: RegionKind, color: string, highContrast: boolean): CanvasPattern | string {
  const n = 10;
  const tile = document.createElement('canvas');
  tile.width = n;
  tile.height = n;
  const g = tile.getContext('2d');
  if (!g) return color;
  g.globalAlpha = highContrast ? 0 : 0.07;
  g.fillStyle = color;
  g.fillRect(0, 0, n, n);
  g.globalAlpha = highContrast ? 0.9 : 0.45;
  g.strokeStyle = color;
  g.lineWidth = highContrast ? 1.5 : 1;
  g.beginPath();
  if (kind === 'overflow') {
    g.moveTo(0, n);
    g.lineTo(n, 0);
    g.moveTo(-n / 2, n / 2);
    g.lineTo(n / 2, -n / 2);
    g.moveTo(n / 2, n + n / 2);
    g.lineTo(n + n / 2, n / 2);
  } else if (kind === 'underflow') {
    g.moveTo(0, n / 2);
    g.lineTo(n, n / 2);
  } else {
    g.moveTo(0, 0);
    g.lineTo(n, n);
    g.moveTo(-n / 2, n / 2);
    g.lineTo(n / 2, n + n / 2);
    g.moveTo(n / 2, -n / 2);
    g.lineTo(n + n / 2, n / 2);
  }
  g.stroke();
  return g.createPattern(tile, 'repeat') ?? color;
}

/** A Chart.js plugin that hatches the regions behind a chart's lines, with a solid line at each finite edge. */
export function shadingPlugin(regions: () => readonly PrecisionRegion[], theme: () => ThemeColors): Plugin<'line'> {
  let key = '';
  let fills: Record<RegionKind, CanvasPattern | string> | undefined;
  let colors: Record<RegionKind, string> | undefined;
  return {
    id: 'precisionRegions',
    beforeDatasetsDraw(chart) {
      const list = regions();
      const x = chart.scales['x'];
      const area = chart.chartArea;
      if (!list.length || !x || !area) return;
      const t = theme();
      const c = regionColors();
      const k = JSON.stringify([c, t.highContrast]);
      if (k !== key || !fills) {
        key = k;
        colors = c;
        fills = { overflow: hatch('overflow', c.overflow, t.highContrast), underflow: hatch('underflow', c.underflow, t.highContrast), 'zero-grad': hatch('zero-grad', c['zero-grad'], t.highContrast) };
      }
      const ctx = chart.ctx;
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      for (const r of list) {
        const a = Math.max(area.left, x.getPixelForValue(Math.max(r.from, x.min)));
        const b = Math.min(area.right, x.getPixelForValue(Math.min(r.to, x.max)));
        if (b < area.left || a > area.right) continue;
        // a single input is narrower than a pixel: keep it visible
        const left = b - a < 3 ? (a + b) / 2 - 1.5 : a;
        ctx.fillStyle = fills[r.kind];
        ctx.fillRect(left, area.top, Math.max(3, b - a), area.bottom - area.top);
        ctx.strokeStyle = colors?.[r.kind] ?? t.fg;
        ctx.lineWidth = t.highContrast ? 2 : 1;
        for (const edge of [r.from, r.to]) {
          if (!Number.isFinite(edge) || edge < x.min || edge > x.max) continue;
          const px = x.getPixelForValue(edge);
          ctx.beginPath();
          ctx.moveTo(px, area.top);
          ctx.lineTo(px, area.bottom);
          ctx.stroke();
        }
      }
      ctx.restore();
    },
  };
}

/** Width of the y axis of both explorer charts (px). */
export const Y_AXIS_WIDTH = 76;

/** Smallest |error| drawn (exact results sit on this floor) and, per dtype, the largest. */
const FLOOR = 0.01;
const CAP: Record<Exclude<Dtype, 'float64'>, number> = { bfloat16: 1e3, float16: 1e4, float32: 1e8 };

type Point = { x: number; y: number | null; e: number };

/** Samples of the strip (the error changes at every representable input: this is a picture, the regions are exact). */
const STRIP_POINTS = 600;

/** 0.01, 0.1, 0.5, 1, 10, 100, 1000, then 1e4, 1e5, … */
function powerOfTen(n: number): string {
  return n >= 1e4 ? `1e${Math.round(Math.log10(n))}` : String(n);
}

const cache = new Map<string, PrecisionRegion[]>();
const CACHE_SIZE = 24;

export class PrecisionView {
  readonly el: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly chart: Chart;
  private readonly list: HTMLElement;
  /** The focused curve's regions in the current dtype (drawn on both charts). */
  regions: PrecisionRegion[] = [];
  private timer = 0;

  constructor(
    private theme: ThemeColors,
    /** Redraws the main plot once regions computed later are in. */
    private readonly onRegions: () => void,
  ) {
    this.canvas = h('canvas', { id: 'ulp', role: 'img', 'aria-label': 'Error of each curve against float64, in ULPs of the chosen dtype (log scale); the regions are listed below.' });
    this.list = h('div', { id: 'regions', 'aria-live': 'polite', 'data-state': 'none' });
    this.el = h('section', { id: 'precision', 'aria-label': 'Precision', hidden: '' }, h('div', { class: 'ulp-wrap' }, this.canvas), this.list);
    this.chart = lineChart(this.canvas, {
      normalized: true,
      interaction: 'x',
      plugins: [shadingPlugin(() => this.regions, () => this.theme) as unknown as Plugin<'line'>],
      scales: {
        x: { type: 'linear', title: { display: true, text: 'x' } },
        y: {
          type: 'logarithmic',
          min: FLOOR,
          title: { display: true, text: '|error| (ULP)' },
          // the same width as the main plot's axis, so x lines up between the two charts
          afterFit: (scale: { width: number }) => {
            scale.width = Y_AXIS_WIDTH;
          },
          // one tick (and grid line) per power of ten; ½ is the dotted line
          afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
            const ticks: { value: number }[] = [];
            for (let e = Math.round(Math.log10(FLOOR)); 10 ** e <= this.cap * 1.001; e++) ticks.push({ value: 10 ** e });
            scale.ticks = ticks;
          },
          ticks: {
            autoSkip: false,
            callback: (v: number | string) => {
              const n = Number(v);
              if (n <= FLOOR) return '≤0.01';
              if (n >= this.cap) return `≥${powerOfTen(this.cap)}`;
              return powerOfTen(n);
            },
          },
        },
      },
      tooltipLabel: (item) => {
        const p = item.raw as Point;
        return `${item.dataset.label ?? ''}: ${p.e === undefined ? '' : Number.isFinite(p.e) ? `${fmtNum(p.e, 3)} ULP` : p.e > 0 ? '+∞ (overflow)' : '−∞ (overflow)'}`;
      },
    });
  }

  private cap = CAP.bfloat16;

  setTheme(t: ThemeColors): void {
    this.theme = t;
  }

  /**
   * Shows (or hides, in float64) the strip and the region list. `focus` is the curve whose
   * regions are shaded and listed.
   */
  render(curves: readonly PrecisionCurve[], focus: PrecisionCurve | undefined, s: ExplorerState): void {
    const dtype = s.dtype ?? 'float64';
    if (dtype === 'float64') {
      this.el.hidden = true;
      this.regions = [];
      this.list.setAttribute('data-state', 'none');
      return;
    }
    this.el.hidden = false;
    this.cap = CAP[dtype];
    this.drawStrip(curves, s, dtype);
    const prec = focus?.ev.precision;
    if (!focus || !prec) {
      this.regions = [];
      this.showList(focus, s, []);
      return;
    }
    const key = JSON.stringify([focus.ev.spec, dtype, dtype === 'float32' ? [s.xmin, s.xmax] : null]);
    const hit = cache.get(key);
    window.clearTimeout(this.timer);
    if (hit) {
      this.regions = hit;
      this.showList(focus, s, hit);
      return;
    }
    this.regions = [];
    this.list.setAttribute('data-state', 'pending');
    clear(this.list);
    this.list.append(h('p', { class: 'muted' }, `Finding where ${dtype} overflows, underflows or zeroes the gradient of ${focus.label}…`));
    // after the frame: a sweep of 65,536 inputs takes a moment, a slider may still be moving
    this.timer = window.setTimeout(() => {
      const regs = precisionRegions(prec.s, prec.f64, s.xmin, s.xmax);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(key, regs);
      this.regions = regs;
      this.showList(focus, s, regs);
      this.chart.update('none');
      this.onRegions();
    }, 120);
  }

  /** What the list shows now: it is rebuilt (and announced, it is a live region) only when this changes. */
  private listKey = '';

  private showList(focus: PrecisionCurve | undefined, s: ExplorerState, regs: readonly PrecisionRegion[]): void {
    const dtype = s.dtype ?? 'float64';
    const shown = new Set(visibleRegions(regs, s.xmin, s.xmax));
    const key = JSON.stringify([focus?.label, dtype, regs.map((r) => [r.text, shown.has(r)])]);
    if (key === this.listKey && this.list.getAttribute('data-state') === 'ready') return;
    this.listKey = key;
    clear(this.list);
    this.list.setAttribute('data-state', 'ready');
    if (!focus) return;
    const head = h('p', { class: 'regions-head' }, h('strong', {}, focus.label), ` in ${dtype}: `);
    if (!regs.length) {
      head.append(`no overflow, no underflow to 0 and no exactly-zero gradient that float64 does not have${dtype === 'float32' ? ' in the plotted range' : ''}.`);
      this.list.append(head);
      return;
    }
    head.append(`where it differs in kind from float64 (hatched on the charts${regs.length > shown.size ? '; some lie outside the plotted range' : ''}):`);
    const ul = h('ul', { class: 'regions' });
    for (const kind of REGION_KINDS) {
      for (const r of regs) {
        if (r.kind !== kind) continue;
        const li = h('li', { class: `region ${kind}`, 'data-kind': kind }, h('span', { class: `hatch ${kind}`, 'aria-hidden': 'true' }), h('span', { class: 'region-kind' }, `${REGION_LABELS[kind]}: `), r.text);
        if (!shown.has(r)) {
          li.classList.add('offscreen');
          li.append(h('span', { class: 'muted' }, ' — outside the plotted range'));
        }
        ul.append(li);
      }
    }
    this.list.append(head, ul);
  }

  private drawStrip(curves: readonly PrecisionCurve[], s: ExplorerState, dtype: Exclude<Dtype, 'float64'>): void {
    const t = this.theme;
    const datasets: Chart['data']['datasets'] = [];
    const clampAbs = (e: number): number | null => (Number.isNaN(e) ? null : Math.min(this.cap, Math.max(FLOOR, Math.abs(e))));
    curves.forEach((c, i) => {
      const prec = c.ev.precision;
      if (!prec) return;
      const xs = Float64Array.from({ length: STRIP_POINTS }, (_, j) => s.xmin + ((s.xmax - s.xmin) * j) / (STRIP_POINTS - 1));
      const err = ulpErrors(prec.s, prec.f64, xs);
      const color = seriesColor(t, i);
      for (const q of ['f', 'df'] as const) {
        if (!s.show[q]) continue;
        const data: Point[] = Array.from(xs, (x, j) => ({ x, y: clampAbs(err[q][j] as number), e: err[q][j] as number }));
        datasets.push({ label: `${c.label}${q === 'df' ? ' f′' : ''}`, data, borderColor: color, backgroundColor: color, borderDash: q === 'df' ? [6, 4] : [], borderWidth: t.highContrast ? 2.5 : 1.5, pointRadius: 0, spanGaps: false });
      }
    });
    datasets.push({
      label: '½ ULP (correctly rounded)',
      data: [{ x: s.xmin, y: 0.5, e: 0.5 }, { x: s.xmax, y: 0.5, e: 0.5 }] as Point[],
      borderColor: t.muted,
      backgroundColor: t.muted,
      borderDash: [2, 3],
      borderWidth: 1,
      pointRadius: 0,
    });
    const x = this.chart.options.scales?.x;
    const y = this.chart.options.scales?.y;
    if (x) {
      x.min = s.xmin;
      x.max = s.xmax;
    }
    if (y) y.max = this.cap;
    this.chart.data.datasets = datasets;
    this.chart.update('none');
    this.canvas.setAttribute('data-dtype', dtype);
    this.canvas.setAttribute('data-series', String(datasets.length - 1));
  }
}
