// Chart.js, tree-shaken: only the pieces the panels use are registered (the bundle then
// carries ~60 % of the library). Bundled into each webview; nothing is fetched remotely.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from 'chart.js';
import type { Plugin, TooltipItem } from 'chart.js';
import type { ThemeColors } from './theme';

Chart.register(
  BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, ScatterController, Title, Tooltip,
);

export { Chart };

/** Applies theme colours to Chart.js's global defaults (new charts pick them up). */
export function applyChartTheme(t: ThemeColors): void {
  Chart.defaults.color = t.fg;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.font.family = t.font;
  Chart.defaults.font.size = 12;
  Chart.defaults.animation = false;
}

/** Re-colours an existing chart's axes after a theme switch. */
export function rethemeChart(chart: Chart, t: ThemeColors): void {
  for (const s of Object.values(chart.options.scales ?? {})) {
    if (!s) continue;
    const sc = s as { ticks?: { color?: string }; grid?: { color?: string }; title?: { color?: string } };
    if (sc.ticks) sc.ticks.color = t.fg;
    if (sc.grid) sc.grid.color = t.grid;
    if (sc.title) sc.title.color = t.fg;
  }
  const plugins = chart.options.plugins as { legend?: { labels?: { color?: string } }; title?: { color?: string } } | undefined;
  if (plugins?.legend?.labels) plugins.legend.labels.color = t.fg;
  if (plugins?.title) plugins.title.color = t.fg;
  chart.update('none');
}

/** What differs between the panels' line charts; everything else is shared (see lineChart). */
export interface LineChartSpec {
  readonly scales: Record<string, object>;
  /** Tooltip/hover pairing: nearest point ('nearest'), nearest along x ('x'), or Chart.js's default. */
  readonly interaction?: 'nearest' | 'x';
  /** The x values are sorted and unique (lets Chart.js skip its own sort). */
  readonly normalized?: boolean;
  /** Legend entries to show (by their text); all when absent. */
  readonly legendFilter?: (text: string) => boolean;
  /** Width of a legend's line swatch in px (Chart.js's default 40 when absent). */
  readonly swatchWidth?: number;
  /** Inline plugins of this chart only (the explorer's precision hatching). */
  readonly plugins?: readonly Plugin<'line'>[];
  /** A tooltip line per point (Chart.js's "label: y" when absent). */
  readonly tooltipLabel?: (item: TooltipItem<'line'>) => string;
}

/**
 * A line chart as every panel draws one: fills its box, no animation, data given as {x, y}
 * (no parsing), legend at the bottom with thin line swatches. Each call builds fresh option
 * objects, so charts never share (and re-theming never mutates) another chart's options.
 */
export function lineChart(canvas: HTMLCanvasElement, spec: LineChartSpec): Chart {
  const filter = spec.legendFilter;
  return new Chart(canvas, {
    type: 'line',
    ...(spec.plugins?.length ? { plugins: [...spec.plugins] } : {}),
    data: { datasets: [] },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      parsing: false,
      ...(spec.normalized ? { normalized: true } : {}),
      ...(spec.interaction ? { interaction: { mode: 'nearest', intersect: false, ...(spec.interaction === 'x' ? { axis: 'x' } : {}) } } : {}),
      scales: spec.scales,
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            boxHeight: 2,
            ...(spec.swatchWidth !== undefined ? { boxWidth: spec.swatchWidth } : {}),
            ...(filter ? { filter: (item: { text: string }) => filter(String(item.text)) } : {}),
          },
        },
        tooltip: { enabled: true, ...(spec.tooltipLabel ? { callbacks: { label: spec.tooltipLabel } } : {}) },
      },
    },
  });
}
