// The "Real run" section: the run files activation_inspector.watch writes during the user's own
// training (followed by the host), one small chart per activation site: dead and saturated
// fraction (left axis, 0–1) and the gradient norm reaching the site (right axis, log) over the
// logged steps. Charts are kept per run and site and only get new data on each update.
import type { RealRunSite, RealRunView } from '../../shared/protocol';
import { type Chart, lineChart, rethemeChart } from '../common/chart';
import { clear, h } from '../common/dom';
import type { ThemeColors } from '../common/theme';
import { seriesColor } from '../common/theme';
import { logTick } from './charts';

type XY = { x: number; y: number | null };

const series = (steps: readonly number[], ys: readonly (number | null)[]): XY[] => steps.map((x, i) => ({ x, y: ys[i] ?? null }));

export class RealRunSection {
  readonly root = h('section', { id: 'real-run', hidden: true, 'aria-label': 'Real run' });
  private readonly heading = h('h2', {}, 'Real run');
  private readonly body = h('div', {});
  private readonly charts = new Map<string, Chart>();
  private layout = '';

  constructor(private theme: ThemeColors) {
    this.root.append(this.heading, this.body);
  }

  show(folder: string, runs: readonly RealRunView[], theme: ThemeColors): void {
    this.theme = theme;
    this.root.hidden = false;
    this.heading.textContent = `Real run — ${folder}`;
    // Rebuild the DOM only when the runs or sites change; otherwise update the data in place.
    const layout = JSON.stringify(runs.map((r) => [r.run, r.sites.map((s) => [s.name, s.kind, s.line])]));
    if (layout !== this.layout) {
      this.layout = layout;
      for (const c of this.charts.values()) c.destroy();
      this.charts.clear();
      clear(this.body);
      if (!runs.length) this.body.append(h('p', { class: 'muted' }, 'No run files (*.jsonl) here yet: start your training with activation_inspector.watch(model, every=N).'));
      for (const r of runs) {
        const grid = h('div', { class: 'chart-grid real-run-grid' });
        this.body.append(h('h3', { 'data-run': r.run }, `${r.run}${r.model ? ` · ${r.model}` : ''}`), grid);
        for (const s of r.sites) {
          const label = `${s.name} (${s.kind}${s.line !== null ? `, line ${s.line}` : ''})`;
          const cv = h('canvas', { role: 'img', 'aria-label': `${label}: dead, saturated and gradient norm over steps` });
          grid.append(h('figure', { class: 'chart-box real-run-site', 'data-site': s.name }, h('figcaption', {}, label), h('div', { class: 'chart-area' }, cv)));
          this.charts.set(`${r.run}\u0000${s.name}\u0000${s.line}`, this.makeChart(cv));
        }
      }
    }
    for (const r of runs) {
      for (const s of r.sites) {
        const c = this.charts.get(`${r.run}\u0000${s.name}\u0000${s.line}`);
        if (c) this.fill(c, r.steps, s);
      }
    }
    this.root.dataset.steps = String(Math.max(0, ...runs.map((r) => r.steps.length)));
  }

  retheme(theme: ThemeColors): void {
    this.theme = theme;
    for (const c of this.charts.values()) rethemeChart(c, theme);
  }

  private makeChart(cv: HTMLCanvasElement): Chart {
    return lineChart(cv, {
      interaction: 'nearest',
      swatchWidth: 18,
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'fraction' } },
        y2: { type: 'logarithmic', position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: logTick }, title: { display: true, text: '‖∂L/∂out‖' } },
      },
    });
  }

  private fill(c: Chart, steps: readonly number[], s: RealRunSite): void {
    const t = this.theme;
    const ds = (label: string, data: XY[], i: number, axis: string, dash: number[] = []) => ({
      label, data, yAxisID: axis, borderColor: seriesColor(t, i), backgroundColor: seriesColor(t, i), borderDash: dash,
      pointRadius: steps.length > 40 ? 0 : 2, borderWidth: 2, spanGaps: false,
    });
    const sets = [];
    if (s.dead.some((v) => v !== null)) sets.push(ds('dead', series(steps, s.dead), 0, 'y'));
    if (s.saturated.some((v) => v !== null)) sets.push(ds('saturated', series(steps, s.saturated), 1, 'y'));
    // the log axis cannot show zeros
    sets.push(ds('grad norm', series(steps, s.grad.map((g) => (g !== null && g > 0 ? g : null))), 2, 'y2', [6, 3]));
    c.data.datasets = sets as Chart['data']['datasets'];
    c.update('none');
  }
}
