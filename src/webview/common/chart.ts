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
