// The explorer's chart: f solid, f′ dashed, f″ dotted, one colour per curve; kink markers
// show the value each framework returns at the kink. Zoom (wheel, +/−) and pan (drag,
// arrow keys) act on x only; y follows the visible data.
import type { Plugin } from 'chart.js';
import { type Chart, lineChart } from '../common/chart';
import type { ThemeColors } from '../common/theme';
import { seriesColor } from '../common/theme';
import type { Evaluated, ExplorerState, FnCurve, Series } from './model';
import { Y_AXIS_WIDTH } from './precisionView';
import { safeKinks, sample, sampleFns } from './model';

export type { FnCurve } from './model';

export interface PlotCurve {
  readonly ev: Evaluated;
  readonly label: string;
}


type XY = { x: number; y: number | null };

const DASH: Record<'f' | 'df' | 'd2f', number[]> = { f: [], df: [6, 4], d2f: [2, 3] };
const SUFFIX: Record<'f' | 'df' | 'd2f', string> = { f: '', df: ' f′', d2f: ' f″' };

export class Plot {
  readonly chart: Chart;
  /** The last sampled series, per curve (exports reuse them). */
  series: Series[] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    private theme: ThemeColors,
    private readonly onRange: (xmin: number, xmax: number) => void,
    plugins: readonly Plugin<'line'>[] = [],
  ) {
    this.chart = lineChart(canvas, {
      plugins,
      normalized: true,
      interaction: 'x',
      scales: {
        x: { type: 'linear', title: { display: true, text: 'x' } },
        // a fixed width, so the precision strip below lines up with it
        y: { type: 'linear', title: { display: true, text: 'f(x), f′(x), f″(x)' }, afterFit: (scale: { width: number }) => void (scale.width = Y_AXIS_WIDTH) },
      },
      // kink markers explain themselves in the tooltip; the legend lists the curves
      legendFilter: (text) => !text.endsWith('at kink'),
    });
    this.attachZoomPan();
  }

  setTheme(t: ThemeColors): void {
    this.theme = t;
  }

  /** Re-samples every curve over the state's x-range and redraws without animation. */
  render(curves: readonly PlotCurve[], s: ExplorerState, extra: readonly FnCurve[] = []): void {
    const t = this.theme;
    const datasets: Chart['data']['datasets'] = [];
    this.series = [];
    let ymin = Infinity;
    let ymax = -Infinity;
    const addSeries = (ser: Series, label: string, color: string, hasSecond: boolean): void => {
      for (const q of ['f', 'df', 'd2f'] as const) {
        if (!s.show[q]) continue;
        if (q === 'd2f' && !hasSecond) continue;
        const ys = ser[q];
        const data: XY[] = new Array(ser.xs.length);
        for (let j = 0; j < ser.xs.length; j++) {
          const y = ys[j] as number;
          const ok = Number.isFinite(y);
          data[j] = { x: ser.xs[j] as number, y: ok ? y : null };
          if (ok) {
            if (y < ymin) ymin = y;
            if (y > ymax) ymax = y;
          }
        }
        datasets.push({
          label: label + SUFFIX[q],
          data,
          borderColor: color,
          backgroundColor: color,
          borderDash: DASH[q],
          borderWidth: t.highContrast ? 3 : 2,
          pointRadius: 0,
          spanGaps: false,
        });
      }
    };
    curves.forEach((c, i) => {
      const color = seriesColor(t, i);
      const ser = sample(c.ev, s.xmin, s.xmax);
      this.series.push(ser);
      addSeries(ser, c.label, color, c.ev.kernel.hasSecond);
      // The derivative each framework returns exactly at a kink (its convention).
      if (s.show.df) {
        const marks: XY[] = safeKinks(c.ev)
          .filter((k) => k.x >= s.xmin && k.x <= s.xmax)
          .map((k) => ({ x: k.x, y: c.ev.kernel.df(k.x) }));
        if (marks.length) {
          datasets.push({
            type: 'scatter',
            label: `${c.label} f′ at kink`,
            data: marks,
            borderColor: color,
            backgroundColor: t.bg,
            pointRadius: 5,
            pointBorderWidth: 2,
            pointStyle: 'rectRot',
          });
        }
      }
    });
    // Function curves take the colours after the catalog's curves.
    extra.forEach((c, i) => addSeries(sampleFns(c, s.xmin, s.xmax), c.label, seriesColor(t, curves.length + i), true));
    // Clip wild ranges (exp-like tails) so the interesting part stays readable.
    if (!Number.isFinite(ymin)) {
      ymin = -1;
      ymax = 1;
    }
    const span = Math.max(1e-9, ymax - ymin);
    const y = this.chart.options.scales?.y;
    const x = this.chart.options.scales?.x;
    if (x) {
      x.min = s.xmin;
      x.max = s.xmax;
    }
    if (y) {
      // suggested bounds keep round tick values; hard limits only for runaway tails
      const lo = ymin - 0.05 * span;
      const hi = ymax + 0.05 * span;
      (y as { suggestedMin?: number }).suggestedMin = lo;
      (y as { suggestedMax?: number }).suggestedMax = hi;
      y.min = lo < -1e6 ? -1e6 : undefined;
      y.max = hi > 1e6 ? 1e6 : undefined;
    }
    this.chart.data.datasets = datasets;
    this.chart.update('none');
  }

  private range: [number, number] = [-6, 6];

  setRange(xmin: number, xmax: number): void {
    this.range = [xmin, xmax];
  }

  /** Zooms by `factor` (< 1 zooms in) around x = `at`. */
  zoom(factor: number, at?: number): void {
    const [a, b] = this.range;
    const c = at ?? (a + b) / 2;
    let na = c - (c - a) * factor;
    let nb = c + (b - c) * factor;
    if (nb - na < 1e-6) return;
    if (nb - na > 1e6) [na, nb] = [c - 5e5, c + 5e5];
    this.onRange(na, nb);
  }

  /** Pans by a fraction of the visible width (positive = right). */
  pan(fraction: number): void {
    const [a, b] = this.range;
    const d = (b - a) * fraction;
    this.onRange(a + d, b + d);
  }

  private attachZoomPan(): void {
    const cv = this.canvas;
    cv.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const xs = this.chart.scales['x'];
        const at = xs ? xs.getValueForPixel(e.offsetX) : undefined;
        this.zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, at);
      },
      { passive: false },
    );
    let drag: { x: number; a: number; b: number } | undefined;
    cv.addEventListener('pointerdown', (e) => {
      drag = { x: e.offsetX, a: this.range[0], b: this.range[1] };
      cv.setPointerCapture(e.pointerId);
    });
    cv.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const area = this.chart.chartArea;
      const w = area ? area.right - area.left : cv.width;
      const dx = ((e.offsetX - drag.x) / Math.max(1, w)) * (drag.b - drag.a);
      this.onRange(drag.a - dx, drag.b - dx);
    });
    const end = (e: PointerEvent): void => {
      drag = undefined;
      if (cv.hasPointerCapture(e.pointerId)) cv.releasePointerCapture(e.pointerId);
    };
    cv.addEventListener('pointerup', end);
    cv.addEventListener('pointercancel', end);
    cv.addEventListener('keydown', (e) => {
      const keys: Record<string, () => void> = {
        '+': () => this.zoom(1 / 1.25),
        '=': () => this.zoom(1 / 1.25),
        '-': () => this.zoom(1.25),
        ArrowLeft: () => this.pan(-0.1),
        ArrowRight: () => this.pan(0.1),
      };
      const act = keys[e.key];
      if (act) {
        e.preventDefault();
        act();
      }
    });
  }
}
