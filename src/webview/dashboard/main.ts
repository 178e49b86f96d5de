// Training Dashboard webview: set up or load a mini-training, run demos, watch the live
// charts. Trainings run in a worker on the host; this page only draws what arrives. UI
// state (form, toggles) is kept with setState; run data is re-sent by the host on reload.
import type { DemoInfo, ExportFormat, HostToDashboard, TrainingForm, TrainCommand, CodeTarget } from '../../shared/protocol';
import { Decimator } from '../../engine/train/history';
import { isTrainingForm, parseHostToDashboard } from '../../shared/protocol';
import { applyChartTheme, rethemeChart } from '../common/chart';
import type { Chart } from '../common/chart';
import { button, checkbox, clear, h, select } from '../common/dom';
import { canvasesToPng, chartsToSvg } from '../common/svgExport';
import { onThemeChange, readTheme } from '../common/theme';
import { getState, post, setState } from '../common/vscodeApi';
import { drawBoundary } from './boundary';
import type { ChartSet, RunView } from './charts';
import { CHART_TITLES, HISTORY_CAP, makeCharts, renderCharts, runsTable } from './charts';
import { SetupForm } from './form';
import { RealRunSection } from './realRun';

interface DashState {
  readonly v: 1;
  form?: TrainingForm;
  logLoss: boolean;
  histLayer: number;
  setupOpen: boolean;
}

function isDashState(v: unknown): v is DashState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return s.v === 1 && (s.form === undefined || isTrainingForm(s.form)) && typeof s.logLoss === 'boolean' && typeof s.histLayer === 'number' && typeof s.setupOpen === 'boolean';
}

const ui: DashState = getState(isDashState) ?? { v: 1, logLoss: true, histLayer: 0, setupOpen: false };
let theme = readTheme();
applyChartTheme(theme);
let runs: RunView[] = [];
let demos: readonly DemoInfo[] = [];
let form: SetupForm | undefined;

// ---------------------------------------------------------------------------------------
// layout

const title = h('h1', { id: 'title' }, 'Training Dashboard');
const lookAt = h('p', { id: 'look-at', class: 'callout', 'aria-live': 'polite', hidden: true });
const demoSel = select('Demo to run', [], '', 'demo');
const runsHost = h('div', { class: 'table-wrap', id: 'runs', 'aria-live': 'polite' });
const boundaries = h('div', { class: 'boundaries', id: 'boundaries' });
const setupHost = h('div', {});
const realRun = new RealRunSection(theme);
const details = h('details', { id: 'setup' }, h('summary', {}, 'Set-up'), setupHost);
details.open = ui.setupOpen;
details.addEventListener('toggle', () => {
  ui.setupOpen = details.open;
  save();
});
const histLayer = select('Layer of the activation histogram', [{ value: '0', text: 'Layer 1' }], String(ui.histLayer), 'hist-layer');
histLayer.addEventListener('change', () => {
  ui.histLayer = Number(histLayer.value);
  save();
  scheduleRender();
});
const logToggle = checkbox('log-scale loss', ui.logLoss, (v) => {
  ui.logLoss = v;
  save();
  scheduleRender();
}, { id: 'log-loss' });

const canvases = {} as Record<keyof ChartSet, HTMLCanvasElement>;
const grid = h('div', { class: 'chart-grid' });
for (const key of Object.keys(CHART_TITLES) as (keyof ChartSet)[]) {
  const cv = h('canvas', { role: 'img', 'aria-label': CHART_TITLES[key], id: `chart-${key}` });
  canvases[key] = cv;
  grid.append(h('figure', { class: 'chart-box' }, h('figcaption', {}, CHART_TITLES[key], key === 'histogram' ? histLayer : null, key === 'loss' ? logToggle.label : null), h('div', { class: 'chart-area' }, cv)));
}

const ctl = (cmd: TrainCommand, text: string, label: string): HTMLButtonElement =>
  button(text, label, () => post({ type: 'train/control', command: cmd }), { id: `ctl-${cmd}`, class: 'secondary' });
const copy = (target: CodeTarget, text: string): HTMLButtonElement =>
  button(text, `Copy the experiment as a ${text} script`, () => post({ type: 'train/copyCode', target }), { class: 'secondary' });

document.body.append(
  h(
    'main',
    {},
    title,
    lookAt,
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Training controls' },
      h(
        'span',
        { class: 'group' },
        button('▶ Start', 'Start a training with the set-up below', () => form && post({ type: 'train/start', form: form.value() }), { id: 'ctl-start' }),
        button('+ Compare', 'Add a run with the set-up below to the runs shown, for comparison', () => form && post({ type: 'train/start', form: form.value(), append: true }), { id: 'ctl-compare', class: 'secondary' }),
        ctl('pause', 'Pause', 'Pause the trainings'),
        ctl('resume', 'Resume', 'Resume the paused trainings'),
        ctl('step', 'Step', 'Advance paused trainings by one step'),
        ctl('stop', 'Stop', 'Stop the trainings'),
        ctl('reset', 'Reset', 'Clear the runs'),
      ),
      h('span', { class: 'group' }, demoSel, button('Run demo', 'Run the chosen demo', () => demoSel.value && post({ type: 'train/demo', demoId: demoSel.value }), { id: 'run-demo' })),
      h(
        'span',
        { class: 'group' },
        button('Open spec…', 'Open a training spec (JSON) file', () => post({ type: 'train/openSpec' }), { class: 'secondary' }),
        button('Load CSV…', 'Load your own data from a CSV file', () => post({ type: 'train/openCsv' }), { class: 'secondary' }),
      ),
      h('span', { class: 'group', role: 'group', 'aria-label': 'Copy as code' }, 'Copy as', copy('pytorch', 'PyTorch'), copy('keras', 'Keras'), copy('jax', 'JAX')),
    ),
    details,
    runsHost,
    realRun.root,
    boundaries,
    grid,
  ),
);

const charts = makeCharts(canvases);

/** Charts currently on screen (the others are redrawn when scrolled back into view). */
const visible = new Set<Element>();
const observer = new IntersectionObserver((entries) => {
  let appeared = false;
  for (const e of entries) {
    if (e.isIntersecting) {
      if (!visible.has(e.target)) appeared = true;
      visible.add(e.target);
    } else visible.delete(e.target);
  }
  if (appeared) scheduleRender();
}, { rootMargin: '300px 0px' }); // charts about to scroll into view are kept current too
for (const cv of Object.values(canvases)) observer.observe(cv);

function save(): void {
  setState(ui);
}

// ---------------------------------------------------------------------------------------
// rendering, at most once per animation frame

let frame = 0;
let frames = 0;
let fpsWindow = performance.now();
function scheduleRender(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    render();
  });
}

function render(): void {
  renderCharts(charts, runs, theme, { logLoss: ui.logLoss, histLayer: ui.histLayer }, (ch) => visible.has(ch.canvas));
  clear(runsHost);
  if (runs.length) runsHost.append(runsTable(runs, theme));
  const maxLayers = Math.max(0, ...runs.map((r) => r.info.hiddenLayers));
  if (histLayer.options.length !== Math.max(1, maxLayers)) {
    clear(histLayer);
    for (let l = 0; l < Math.max(1, maxLayers); l++) histLayer.append(h('option', { value: String(l) }, `Layer ${l + 1}`));
    histLayer.value = String(Math.min(ui.histLayer, Math.max(0, maxLayers - 1)));
  }
  renderBoundaries();
  // Frames drawn per second while data flows (read by tests and shown to nobody).
  frames++;
  const now = performance.now();
  if (now - fpsWindow >= 1000) {
    document.body.dataset.fps = String(Math.round((frames * 1000) / (now - fpsWindow)));
    frames = 0;
    fpsWindow = now;
  }
  document.body.dataset.renders = String(Number(document.body.dataset.renders ?? '0') + 1);
}

function renderBoundaries(force = false): void {
  const withB = runs.filter((r) => r.boundary);
  if (boundaries.childElementCount !== withB.length || withB.some((r, i) => boundaries.children[i]?.getAttribute('data-run') !== String(r.info.runId))) {
    clear(boundaries);
    for (const r of withB) {
      const cv = h('canvas', { role: 'img', 'aria-label': `Decision boundary of ${r.info.label}`, class: 'boundary' });
      boundaries.append(h('figure', { 'data-run': String(r.info.runId) }, cv, h('figcaption', {}, `${r.info.label}: ${r.info.inputDim === 1 ? 'fitted curve' : 'decision boundary'}`)));
    }
    force = true;
  }
  withB.forEach((r, i) => {
    const cv = boundaries.children[i]?.querySelector('canvas');
    if (cv && r.boundary && (force || r.boundaryDirty)) drawBoundary(cv, r.boundary, r.info.task, theme);
    r.boundaryDirty = false;
  });
}

// ---------------------------------------------------------------------------------------
// messages

function exportData(format: ExportFormat): string {
  // exports include the charts scrolled out of view: bring them up to date first
  renderCharts(charts, runs, theme, { logLoss: ui.logLoss, histLayer: ui.histLayer });
  const list: { chart: Chart; title: string }[] = (Object.keys(CHART_TITLES) as (keyof ChartSet)[]).map((k) => ({ chart: charts[k], title: CHART_TITLES[k] }));
  const bcv = [...boundaries.querySelectorAll('canvas')];
  if (format === 'png') return canvasesToPng([...bcv, ...list.map((c) => c.chart.canvas)], theme.bg, 2);
  if (format === 'svg') return chartsToSvg(list, theme, 2);
  throw new Error('data exports are written by the host');
}

function handle(msg: HostToDashboard): void {
  switch (msg.type) {
    case 'dashboard/init': {
      demos = msg.demos;
      clear(demoSel);
      for (const d of demos) demoSel.append(h('option', { value: d.id, title: d.lookAt }, d.title));
      const f = ui.form ?? msg.form;
      if (!form) {
        form = new SetupForm(f, msg.inits, (nf) => {
          ui.form = nf;
          save();
        });
        setupHost.append(form.root);
      } else form.set(f, msg.inits);
      break;
    }
    case 'dashboard/form':
      ui.form = msg.form;
      form?.set(msg.form);
      save();
      break;
    case 'runs/clear':
      runs = [];
      title.textContent = msg.title ? `Training Dashboard — ${msg.title}` : 'Training Dashboard';
      lookAt.textContent = msg.lookAt;
      lookAt.hidden = msg.lookAt === '';
      const demo = demos.find((d) => d.title === msg.title);
      if (demo) demoSel.value = demo.id;
      // a demo: make room for the charts (the set-up stays one click away), and put the
      // chart its sentence is about first
      if (msg.lookAt && details.open) details.open = false;
      for (const [key, cv] of Object.entries(canvases)) {
        const fig = cv.closest('figure');
        if (fig) fig.style.order = key === msg.focus ? '-1' : '0';
      }
      break;
    case 'run/added':
      runs = runs.filter((r) => r.info.runId !== msg.run.runId);
      runs.push({ info: msg.run, color: runs.length, status: 'running', message: '', history: new Decimator(HISTORY_CAP) });
      break;
    case 'run/snapshots': {
      const r = runs.find((x) => x.info.runId === msg.runId);
      if (!r) return;
      for (const s of msg.snapshots) {
        if (r.latest && s.step < r.latest.step) continue; // stale replay
        r.history.push(s);
        r.latest = s;
      }
      if (msg.boundary) {
        r.boundary = msg.boundary;
        r.boundaryDirty = true;
      }
      break;
    }
    case 'run/status': {
      const r = runs.find((x) => x.info.runId === msg.runId);
      if (!r) return;
      r.status = msg.status;
      r.message = msg.message;
      break;
    }
    case 'realrun/show':
      realRun.show(msg.folder, msg.runs, theme);
      return;
    case 'export/request':
      try {
        post({ type: 'export/result', requestId: msg.requestId, format: msg.format, ok: true, data: exportData(msg.format) });
      } catch (e) {
        post({ type: 'export/result', requestId: msg.requestId, format: msg.format, ok: false, error: (e as Error).message });
      }
      return;
  }
  scheduleRender();
}

/** Entry point for every message: garbage is dropped by the validator, never acted on. */
export function onMessage(data: unknown): void {
  const msg = parseHostToDashboard(data);
  if (msg) handle(msg);
}

window.addEventListener('message', (e: MessageEvent) => onMessage(e.data));
onThemeChange(() => {
  theme = readTheme();
  applyChartTheme(theme);
  for (const c of Object.values(charts) as Chart[]) rethemeChart(c, theme);
  renderBoundaries(true);
  realRun.retheme(theme);
  scheduleRender();
});
post({ type: 'ready', panel: 'dashboard' });
