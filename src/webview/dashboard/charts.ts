// The dashboard's live charts. Runs keep a decimated history (bounded memory on long runs);
// `render()` rebuilds the datasets from it and redraws without animation, at most once per
// animation frame (the host already coalesces snapshots to ≈30 messages/s).
import type { BoundaryView, RunInfo, RunStatus, TrainingSnapshot } from '../../shared/protocol';
import { Decimator } from '../../engine/train/history';
import { type Chart, lineChart } from '../common/chart';
import { h } from '../common/dom';
import type { ThemeColors } from '../common/theme';
import { seriesColor } from '../common/theme';

export interface RunView {
  readonly info: RunInfo;
  readonly color: number;
  status: RunStatus;
  message: string;
  history: Decimator<TrainingSnapshot>;
  latest?: TrainingSnapshot;
  boundary?: BoundaryView;
  /** The boundary changed since it was last drawn. */
  boundaryDirty?: boolean;
}

export const HISTORY_CAP = 600;

type XY = { x: number; y: number | null };
type DS = Chart['data']['datasets'][number];

/** Line dashes tell layers apart (colour tells runs apart). */
const LAYER_DASH: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [1, 3]];

export interface ChartSet {
  readonly loss: Chart;
  readonly accuracy: Chart;
  readonly dead: Chart;
  readonly saturation: Chart;
  readonly sparsity: Chart;
  readonly grads: Chart;
  readonly histogram: Chart;
}

export const CHART_TITLES: Record<keyof ChartSet, string> = {
  loss: 'Loss (train solid, test dashed)',
  accuracy: 'Accuracy (train solid, test dashed)',
  dead: 'Dead units per layer (solid L1, dashed L2, dotted L3…)',
  saturation: 'Saturated units per layer (solid L1, dashed L2…)',
  sparsity: 'Sparsity per layer: fraction of exact zeros (solid L1…)',
  grads: 'Weight-gradient norm per layer (now, log scale)',
  histogram: 'Activation histogram (now)',
};

/** Log-axis ticks at 1, 2, 5 × 10ᵏ: "0.05" in the everyday range, "2e-7" beyond it. */
export const logTick = (v: number | string): string => {
  const n = Number(v);
  if (!(n > 0)) return '';
  const e = Math.floor(Math.log10(n) + 1e-9);
  const m = n / 10 ** e;
  if (![1, 2, 5].some((k) => Math.abs(m - k) < 1e-6)) return '';
  return n >= 1e-3 && n < 1e4 ? String(Number(n.toPrecision(1))) : `${Math.round(m)}e${e}`;
};

function stepChart(canvas: HTMLCanvasElement, xTitle: string, yTitle: string, yType: 'linear' | 'logarithmic' = 'linear', yMax?: number, perLayer = false): Chart {
  return lineChart(canvas, {
    normalized: true,
    interaction: 'nearest',
    swatchWidth: 18,
    scales: {
      x: { type: 'linear', title: { display: true, text: xTitle } },
      y: { type: yType, title: { display: true, text: yTitle }, ...(yMax !== undefined ? { min: 0, max: yMax } : {}), ...(yType === 'logarithmic' ? { ticks: { callback: logTick } } : {}) },
    },
    // per-layer charts: one legend entry per run (line style tells the layers apart)
    ...(perLayer ? { legendFilter: (text: string) => / L1$/.test(text) } : {}),
  });
}

export function makeCharts(canvases: Record<keyof ChartSet, HTMLCanvasElement>): ChartSet {
  return {
    loss: stepChart(canvases.loss, 'step', 'loss'),
    accuracy: stepChart(canvases.accuracy, 'step', 'accuracy', 'linear', 1),
    dead: stepChart(canvases.dead, 'step', 'dead fraction', 'linear', 1, true),
    saturation: stepChart(canvases.saturation, 'step', 'saturated fraction', 'linear', 1, true),
    sparsity: stepChart(canvases.sparsity, 'step', 'fraction of zeros', 'linear', 1, true),
    grads: (() => {
      const c = stepChart(canvases.grads, 'layer (1 = first hidden, last = output)', '‖∂L/∂W‖₂', 'logarithmic');
      const x = c.options.scales?.x as { ticks?: { stepSize?: number; precision?: number } } | undefined;
      if (x) x.ticks = { ...(x.ticks ?? {}), stepSize: 1, precision: 0 };
      return c;
    })(),
    histogram: lineChart(canvases.histogram, {
      swatchWidth: 18,
      scales: { x: { type: 'linear', title: { display: true, text: 'activation value' } }, y: { type: 'linear', min: 0, title: { display: true, text: 'share of values' } } },
    }),
  };
}

function line(label: string, data: XY[], color: string, t: ThemeColors, dash: number[] = []): DS {
  return { label, data, borderColor: color, backgroundColor: color, borderDash: dash, borderWidth: t.highContrast ? 3 : 2, pointRadius: 0, spanGaps: true } as DS;
}

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Rebuilds every chart from the runs' histories; only charts on screen are redrawn. */
export function renderCharts(c: ChartSet, runs: readonly RunView[], t: ThemeColors, opts: { logLoss: boolean; histLayer: number }, onScreen: (ch: Chart) => boolean = () => true): void {
  const loss: DS[] = [], acc: DS[] = [], dead: DS[] = [], sat: DS[] = [], sparse: DS[] = [], grads: DS[] = [], hist: DS[] = [];
  let positive = true;
  for (const r of runs) {
    const color = seriesColor(t, r.color);
    const hs = r.history.values();
    const tr: XY[] = [], te: XY[] = [], atr: XY[] = [], ate: XY[] = [];
    for (const s of hs) {
      tr.push({ x: s.step, y: finite(s.trainLoss) });
      if (s.testLoss !== null) te.push({ x: s.step, y: finite(s.testLoss) });
      if (s.trainAccuracy !== null) atr.push({ x: s.step, y: finite(s.trainAccuracy) });
      if (s.testAccuracy !== null) ate.push({ x: s.step, y: finite(s.testAccuracy) });
      if (!(s.trainLoss > 0) || (s.testLoss !== null && !(s.testLoss > 0))) positive = false;
    }
    loss.push(line(`${r.info.label} train`, tr, color, t));
    if (te.length) loss.push(line(`${r.info.label} test`, te, color, t, [6, 4]));
    if (atr.length) acc.push(line(`${r.info.label} train`, atr, color, t));
    if (ate.length) acc.push(line(`${r.info.label} test`, ate, color, t, [6, 4]));
    const L = r.info.hiddenLayers;
    for (let l = 0; l < L; l++) {
      const dash = LAYER_DASH[l % LAYER_DASH.length] ?? [];
      const pick = (f: (s: TrainingSnapshot) => number | undefined): XY[] => hs.map((s) => ({ x: s.step, y: finite(f(s)) }));
      const name = `${r.info.label} L${l + 1}`;
      dead.push(line(name, pick((s) => s.layers[l]?.deadFraction), color, t, dash));
      sat.push(line(name, pick((s) => s.layers[l]?.saturationFraction), color, t, dash));
      sparse.push(line(name, pick((s) => s.layers[l]?.sparsity), color, t, dash));
    }
    const last = r.latest;
    if (last) {
      // Norms are measured on the steps the worker samples; a run that ends before its first
      // sample reports zeros, so show the latest snapshot that measured something.
      const measured = [...hs].reverse().find((s) => s.weightGradNorms.some((g) => g > 0)) ?? last;
      grads.push({ ...line(`${r.info.label} (step ${measured.step})`, measured.weightGradNorms.map((g, i) => ({ x: i + 1, y: g > 0 && Number.isFinite(g) ? g : null })), color, t), pointRadius: 4 } as DS);
      const layer = last.layers[Math.min(opts.histLayer, last.layers.length - 1)];
      if (layer) {
        const { min, max, counts } = layer.histogram;
        const total = counts.reduce((a, b) => a + b, 0) || 1;
        const w = counts.length ? (max - min) / counts.length : 0;
        // a step outline: each bin drawn flat across its width
        const pts: XY[] = [];
        counts.forEach((k, i) => {
          pts.push({ x: min + i * w, y: k / total });
          pts.push({ x: min + (i + 1) * w, y: k / total });
        });
        hist.push({ ...line(`${r.info.label} L${layer.layer + 1}`, pts, color, t), fill: 'origin', backgroundColor: withAlpha(color, 0.15) } as DS);
      }
    }
  }
  c.loss.data.datasets = loss;
  const ly = c.loss.options.scales?.y;
  if (ly) {
    const log = opts.logLoss && positive;
    ly.type = log ? 'logarithmic' : 'linear';
    (ly as { ticks?: { callback?: unknown } }).ticks = log ? { callback: logTick } : {};
  }
  c.accuracy.data.datasets = acc;
  c.dead.data.datasets = dead;
  c.saturation.data.datasets = sat;
  c.sparsity.data.datasets = sparse;
  c.grads.data.datasets = grads;
  c.histogram.data.datasets = hist;
  // Drawing is the expensive part: charts scrolled out of view are redrawn when they return.
  for (const ch of Object.values(c) as Chart[]) if (onScreen(ch)) ch.update('none');
}

/** `#rrggbb` or `rgb()` colour with alpha (theme variables come as hex). */
export function withAlpha(color: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m || !m[1]) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/** One row per run: what the demos ask you to read, as numbers (tests read them too). */
export function runsTable(runs: readonly RunView[], t: ThemeColors): HTMLTableElement {
  const table = h('table', { class: 'grid', id: 'runs-table' }, h('caption', {}, 'Runs'));
  const head = h('tr');
  for (const c of ['run', 'status', 'step', 'train loss', 'test loss', 'accuracy', 'dead % per layer', 'sparsity % per layer', 'time']) head.append(h('th', { scope: 'col' }, c));
  table.append(h('thead', {}, head));
  const body = h('tbody');
  const pct = (v: number): string => (Number.isFinite(v) ? (100 * v).toFixed(0) : '—');
  const num = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '—');
  for (const r of runs) {
    const s = r.latest;
    const sw = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    sw.style.background = seriesColor(t, r.color);
    const row = h('tr', { 'data-run': r.info.label, 'data-status': r.status, 'data-dead': s ? JSON.stringify(s.layers.map((l) => l.deadFraction)) : '[]' });
    row.append(
      h('th', { scope: 'row' }, sw, ' ', r.info.label),
      h('td', { title: r.message }, r.status + (r.message && r.status !== 'running' ? ` — ${r.message}` : '')),
      h('td', {}, s ? `${s.step}/${r.info.steps}` : `0/${r.info.steps}`),
      h('td', {}, num(s?.trainLoss)),
      h('td', {}, num(s?.testLoss)),
      h('td', {}, s && s.testAccuracy !== null ? num(s.testAccuracy) : num(s?.trainAccuracy)),
      h('td', { class: 'dead' }, s ? s.layers.map((l) => pct(l.deadFraction)).join(' · ') : '—'),
      h('td', {}, s ? s.layers.map((l) => pct(l.sparsity)).join(' · ') : '—'),
      h('td', {}, s ? `${(s.elapsedMs / 1000).toFixed(2)} s` : '—'),
    );
    body.append(row);
  }
  table.append(body);
  return table;
}
