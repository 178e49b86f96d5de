// Activation Explorer webview: overlay catalog activations as each framework defines them,
// tune their parameters live, zoom and pan, read values at points, compare properties and
// framework conventions. UI state lives in vscode.setState (restored after reload).
import { jsonNumber } from '../../engine/json';
import { DTYPES, type Dtype } from '../../engine/precision/round';
import { FRAMEWORK_LABELS, FRAMEWORKS } from '../../engine/activations/types';
import type { Framework, ParamValue } from '../../engine/activations/types';
import type { CurveSpec, ExportFormat, HostToExplorer } from '../../shared/protocol';
import { parseHostToExplorer } from '../../shared/protocol';
import { applyChartTheme, rethemeChart } from '../common/chart';
import { button, checkbox, clear, h, parseNumberList, select } from '../common/dom';
import { canvasesToPng, chartsToSvg } from '../common/svgExport';
import { onThemeChange, readTheme, seriesColor } from '../common/theme';
import { getState, post, setState } from '../common/vscodeApi';
import { curveCard, errorCard } from './controls';
import type { CustomModel } from './custom';
import { customModel, defaultCustomState } from './custom';
import { CustomCard } from './customCard';
import type { CardCallbacks } from './controls';
import type { Evaluated, ExplorerState } from './model';
import { choicesFor, counterpart, curveLabel, defaultState, evaluate, frameworkDefaults, isExplorerState } from './model';
import { GatedView } from './gatedView';
import { Plot } from './plot';
import { PrecisionView, shadingPlugin } from './precisionView';
import type { FnCurve } from './plot';
import { frameworksTable, propertiesTable, valuesTable } from './tables';
import type { LabelledCurve } from './tables';

// The page's own saved state (reload, hidden tab), else the state the host kept from the last
// time the Explorer was open (it embeds it in the page when it creates the panel), else defaults.
let state: ExplorerState = getState(isExplorerState) ?? hostKeptState() ?? defaultState();

function hostKeptState(): ExplorerState | undefined {
  const raw = document.body.dataset.initialState;
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return isExplorerState(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

let persistTimer = 0;
/** Saves the state in the page now and sends it to the host once changes settle (sliders fire per frame). */
function persist(): void {
  setState(state);
  window.clearTimeout(persistTimer);
  persistTimer = window.setTimeout(() => post({ type: 'explorer/state', state }), 300);
}
let theme = readTheme();
applyChartTheme(theme);

type Resolved = { ok: true; c: LabelledCurve } | { ok: false; spec: CurveSpec; message: string };
let resolved: Resolved[] = [];

function resolveAll(): void {
  resolved = state.curves.map((spec) => {
    try {
      const ev: Evaluated = evaluate(spec, state.dtype ?? 'float64');
      return { ok: true, c: { ev, label: curveLabel(ev, FRAMEWORK_LABELS[spec.framework]) } };
    } catch (e) {
      return { ok: false, spec, message: (e as Error).message };
    }
  });
}
const good = (): LabelledCurve[] => resolved.flatMap((r) => (r.ok ? [r.c] : []));

let custom: CustomModel | undefined;
function resolveCustom(): void {
  custom = state.custom?.open ? customModel(state.custom) : undefined;
}
/** The custom curve when it is open and valid. */
const customCurves = (): FnCurve[] => (custom?.ok ? [custom] : []);

// ---------------------------------------------------------------------------------------
// layout

const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
const addFw = select('Framework to add from', FRAMEWORKS.map((f) => ({ value: f, text: FRAMEWORK_LABELS[f] })), state.addFramework, 'add-framework');
const addFn = select('Activation to add', [], '', 'add-activation');
const allFw = select('Show every curve as this framework defines it', [{ value: '', text: 'All curves as…' }, ...FRAMEWORKS.map((f) => ({ value: f, text: FRAMEWORK_LABELS[f] }))], '', 'all-framework');
const xminBox = h('input', { type: 'number', step: 'any', 'aria-label': 'x from', class: 'num', id: 'xmin' });
const xmaxBox = h('input', { type: 'number', step: 'any', 'aria-label': 'x to', class: 'num', id: 'xmax' });
const dtypeSel = select(
  'Evaluate in this dtype, as each framework computes it',
  DTYPES.map((d) => ({ value: d, text: d })),
  state.dtype ?? 'float64',
  'dtype',
);
const pointsBox = h('input', { type: 'text', 'aria-label': 'Points for the value table (comma separated)', id: 'points', size: 30 });
const canvas = h('canvas', { tabindex: 0, role: 'img', id: 'plot', 'aria-label': 'Plot of the chosen activations. Plus and minus zoom, left and right arrows pan.' });
const cards = h('div', { class: 'cards', id: 'cards' });
const valuesHost = h('div', { class: 'table-wrap', id: 'values' });
const propsHost = h('div', { class: 'table-wrap', id: 'properties' });
const fwHost = h('div', { class: 'table-wrap', id: 'frameworks' });

function fillAddChoices(): void {
  clear(addFn);
  for (const c of choicesFor(state.addFramework)) addFn.append(h('option', { value: c.value, title: c.title }, c.text));
}

const toggles = (['f', 'df', 'd2f'] as const).map((q) =>
  checkbox(q === 'f' ? 'f' : q === 'df' ? 'f′' : 'f″', state.show[q], (v) => {
    state.show[q] = v;
    update();
  }, { id: `show-${q}` }),
);

const gatedView = new GatedView(state.gated ?? '', (id) => {
  state.gated = id;
  persist();
});

const precision = new PrecisionView(theme, () => plot.chart.update('none'));

const plot = new Plot(
  canvas,
  theme,
  (a, b) => {
    state.xmin = a;
    state.xmax = b;
    update();
  },
  [shadingPlugin(() => precision.regions, () => theme)],
);

document.body.append(
  h(
    'main',
    {},
    h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Explorer controls' },
      h('span', { class: 'group' }, addFw, addFn, button('Add', 'Add the chosen activation', addChosen, { id: 'add' }), button('Custom…', 'Custom… activation typed as an expression', openCustom, { id: 'custom' })),
      h('span', { class: 'group', role: 'group', 'aria-label': 'Curves to show' }, ...toggles.map((t) => t.label)),
      h(
        'span',
        { class: 'group', role: 'group', 'aria-label': 'x range' },
        h('label', {}, 'x ', xminBox),
        h('label', {}, ' to ', xmaxBox),
        button('−', 'Zoom out', () => plot.zoom(1.25)),
        button('+', 'Zoom in', () => plot.zoom(1 / 1.25)),
        button('◀', 'Pan left', () => plot.pan(-0.1)),
        button('▶', 'Pan right', () => plot.pan(0.1)),
        button('Reset', 'Reset the x range', () => setRange(-6, 6)),
      ),
      h('span', { class: 'group' }, allFw, dtypeSel),
    ),
    h('div', { class: 'layout' }, h('div', { class: 'plots' }, h('div', { class: 'chart-wrap' }, canvas), precision.el), cards),
    status,
    h('section', { 'aria-label': 'Values' }, h('h2', {}, 'Values'), h('label', {}, 'Points: ', pointsBox), valuesHost),
    h('section', { 'aria-label': 'Properties' }, h('h2', {}, 'Properties'), propsHost),
    h('section', { 'aria-label': 'Frameworks' }, h('h2', {}, 'Frameworks'), fwHost),
    gatedView.el,
  ),
);

// ---------------------------------------------------------------------------------------
// actions

function addChosen(): void {
  const [id, name] = addFn.value.split('|');
  if (!id || !name) return;
  addCurves([{ id, framework: state.addFramework, name, params: {} }], false);
}

function openCustom(): void {
  state.custom = { ...(state.custom ?? defaultCustomState()), open: true };
  rebuild();
  customCard.focus();
}

const customCard = new CustomCard({
  setExpr(text: string): void {
    if (!state.custom) return;
    state.custom = { ...state.custom, expr: text };
    scheduleUpdate();
  },
  setParam(name: string, value: number): void {
    if (!state.custom) return;
    state.custom = { ...state.custom, params: { ...state.custom.params, [name]: value } };
    scheduleUpdate();
  },
  close(): void {
    if (state.custom) state.custom = { ...state.custom, open: false };
    rebuild();
    document.getElementById('custom')?.focus();
  },
});

function addCurves(curves: readonly CurveSpec[], replace: boolean): void {
  state.curves = replace ? [...curves] : [...state.curves, ...curves].slice(-32);
  state.focus = Math.max(0, state.curves.length - 1);
  rebuild();
}

function setRange(a: number, b: number): void {
  if (!(Number.isFinite(a) && Number.isFinite(b) && b > a)) return;
  state.xmin = a;
  state.xmax = b;
  update();
}

function switchFramework(i: number, fw: Framework, name?: string): void {
  const c = state.curves[i];
  if (!c) return;
  const b = counterpart(name ? { ...c, name } : c, fw);
  if (!b) {
    status.textContent = `${c.name} has no ${FRAMEWORK_LABELS[fw]} counterpart.`;
    return;
  }
  const bname = name ?? b.names[0] ?? c.id;
  // Switching shows the framework's own defaults, which is the point of the switch.
  state.curves[i] = { id: c.id, framework: fw, name: bname, params: { ...frameworkDefaults(fw, bname) } };
  rebuild();
}

const callbacks: CardCallbacks = {
  setParam(i: number, name: string, value: ParamValue): void {
    const c = state.curves[i];
    if (!c) return;
    state.curves[i] = { ...c, params: { ...c.params, [name]: value } };
    scheduleUpdate();
  },
  setFramework: (i, fw) => switchFramework(i, fw),
  remove(i: number): void {
    state.curves.splice(i, 1);
    state.focus = Math.min(state.focus, Math.max(0, state.curves.length - 1));
    rebuild();
  },
  focus(i: number): void {
    state.focus = i;
    rebuild();
  },
};

// ---------------------------------------------------------------------------------------
// rendering

/** Rebuilds the cards (structure changed), then redraws everything else. */
function rebuild(): void {
  resolveAll();
  clear(cards);
  if (state.custom?.open) cards.append(customCard.el);
  let k = 0; // colours follow the plotted (valid) curves, as in plot.ts
  resolved.forEach((r, i) => {
    cards.append(r.ok ? curveCard(i, r.c.ev, r.c.label, seriesColor(theme, k++), i === state.focus, callbacks) : errorCard(i, r.spec, r.message, callbacks));
  });
  if (!state.curves.length && !state.custom?.open) cards.append(h('p', { class: 'muted' }, 'Add an activation with the controls above.'));
  update();
}

let pending = 0;
/** Coalesces slider events to one redraw per animation frame. */
function scheduleUpdate(): void {
  if (pending) return;
  pending = requestAnimationFrame(() => {
    pending = 0;
    resolveAll();
    update();
  });
}

/** The curve the frameworks table and the precision regions are about. */
function focusCurve(curves: readonly LabelledCurve[]): LabelledCurve | undefined {
  const r = resolved[state.focus];
  return r && r.ok ? r.c : curves[0];
}

function update(): void {
  const curves = good();
  resolveCustom();
  if (state.custom && custom) customCard.show(state.custom, custom, seriesColor(theme, curves.length));
  plot.setRange(state.xmin, state.xmax);
  plot.render(curves, state, customCurves());
  precision.render(curves, focusCurve(curves), state);
  xminBox.value = String(Number(state.xmin.toPrecision(6)));
  xmaxBox.value = String(Number(state.xmax.toPrecision(6)));
  pointsBox.value = state.points.join(', ');
  clear(valuesHost);
  clear(propsHost);
  clear(fwHost);
  if (curves.length) {
    valuesHost.append(valuesTable(curves, state));
    propsHost.append(propertiesTable(curves));
    const focus = focusCurve(curves);
    const at = resolved.findIndex((q) => q.ok && q.c === focus);
    if (focus) fwHost.append(frameworksTable(focus, (fw, name) => switchFramework(at, fw, name)));
  }
  const bad = resolved.filter((r) => !r.ok).length;
  status.textContent = bad ? `${bad} curve${bad > 1 ? 's' : ''} could not be shown (see the red card).` : '';
  canvas.setAttribute('data-curves', String(curves.length));
  // the custom curve's state for tests and assistive tech: drawn, or the error's column
  canvas.setAttribute('data-custom', custom === undefined ? 'closed' : custom.ok ? 'drawn' : `error:${custom.column ?? ''}`);
  persist();
}

dtypeSel.addEventListener('change', () => {
  state.dtype = dtypeSel.value as Dtype;
  rebuild();
});
addFw.addEventListener('change', () => {
  state.addFramework = addFw.value as Framework;
  fillAddChoices();
  persist();
});
allFw.addEventListener('change', () => {
  const fw = allFw.value as Framework;
  if (!fw) return;
  const missing: string[] = [];
  state.curves = state.curves.map((c) => {
    const b = counterpart(c, fw);
    if (!b) {
      missing.push(c.name);
      return c;
    }
    const name = b.names[0] ?? c.id;
    return { id: c.id, framework: fw, name, params: { ...frameworkDefaults(fw, name) } };
  });
  allFw.value = '';
  rebuild();
  if (missing.length) status.textContent = `Not in ${FRAMEWORK_LABELS[fw]}: ${missing.join(', ')}.`;
});
xminBox.addEventListener('change', () => setRange(Number(xminBox.value), state.xmax));
xmaxBox.addEventListener('change', () => setRange(state.xmin, Number(xmaxBox.value)));
pointsBox.addEventListener('change', () => {
  state.points = parseNumberList(pointsBox.value).slice(0, 50);
  update();
});
canvas.addEventListener('keydown', (e) => {
  if (e.key === '0') setRange(-6, 6);
});

onThemeChange(() => {
  theme = readTheme();
  applyChartTheme(theme);
  plot.setTheme(theme);
  precision.setTheme(theme);
  rethemeChart(plot.chart, theme);
  rethemeChart(precision.chart, theme);
  rebuild();
  gatedView.render();
});

// ---------------------------------------------------------------------------------------
// host messages and exports

function exportData(format: ExportFormat): string {
  const curves = good();
  const strip = !precision.el.hidden;
  if (format === 'png') return canvasesToPng(strip ? [canvas, precision.canvas] : [canvas], theme.bg);
  if (format === 'svg') return chartsToSvg([{ chart: plot.chart, title: 'Activation Explorer' }, ...(strip ? [{ chart: precision.chart, title: `Error against float64 in ${state.dtype ?? ''} (ULP)` }] : [])], theme);
  const n = 401;
  const xs = Array.from({ length: n }, (_, i) => state.xmin + ((state.xmax - state.xmin) * i) / (n - 1));
  if (format === 'csv') {
    const fns = customCurves();
    const head = ['x', ...curves.flatMap((c) => [`${c.label} f`, `${c.label} df`, `${c.label} d2f`]), ...fns.flatMap((c) => [`${c.label} f`, `${c.label} df`, `${c.label} d2f`])];
    const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
    const lines = [head.map(quote).join(',')];
    for (const x of xs) {
      const row = [x, ...curves.flatMap((c) => [c.ev.kernel.f(x), c.ev.kernel.df(x), c.ev.kernel.hasSecond ? c.ev.kernel.d2f(x) : NaN]), ...fns.flatMap((c) => [c.f(x), c.df(x), c.d2f(x)])];
      lines.push(row.map((v) => String(v)).join(','));
    }
    return lines.join('\n') + '\n';
  }
  const safe = jsonNumber;
  const cm = custom?.ok ? custom : undefined;
  return JSON.stringify(
    {
      generator: 'Activation Inspector explorer',
      dtype: state.dtype ?? 'float64',
      xRange: [state.xmin, state.xmax],
      points: state.points,
      curves: curves.map((c) => ({
        id: c.ev.def.id,
        framework: c.ev.spec.framework,
        name: c.ev.spec.name,
        label: c.label,
        params: c.ev.params,
        conventions: c.ev.conventions,
        atPoints: state.points.map((x) => ({ x, f: safe(c.ev.kernel.f(x)), df: safe(c.ev.kernel.df(x)), d2f: safe(c.ev.kernel.d2f(x)) })),
        samples: { x: xs, f: xs.map((x) => safe(c.ev.kernel.f(x))), df: xs.map((x) => safe(c.ev.kernel.df(x))), d2f: xs.map((x) => safe(c.ev.kernel.d2f(x))) },
      })),
      custom: cm
        ? {
            expr: state.custom?.expr,
            params: cm.values,
            formulas: cm.analysis.text,
            latex: cm.analysis.latex,
            samples: { x: xs, f: xs.map((x) => safe(cm.f(x))), df: xs.map((x) => safe(cm.df(x))), d2f: xs.map((x) => safe(cm.d2f(x))) },
          }
        : undefined,
      // the focused curve's regions where the dtype differs in kind from float64 (src/engine/precision/regions.ts)
      precisionRegions: precision.el.hidden ? undefined : precision.regions.map((r) => ({ kind: r.kind, of: r.of, first: r.first, last: r.last, text: r.text })),
    },
    null,
    2,
  );
}

function handle(msg: HostToExplorer): void {
  if (msg.type === 'explorer/show') {
    if (msg.dtype) {
      state.dtype = msg.dtype;
      dtypeSel.value = msg.dtype;
    }
    addCurves(msg.curves, msg.replace);
    return;
  }
  try {
    post({ type: 'export/result', requestId: msg.requestId, format: msg.format, ok: true, data: exportData(msg.format) });
  } catch (e) {
    post({ type: 'export/result', requestId: msg.requestId, format: msg.format, ok: false, error: (e as Error).message });
  }
}

/** Entry point for every message: garbage is dropped by the validator, never acted on. */
export function onMessage(data: unknown): void {
  const msg = parseHostToExplorer(data);
  if (msg) handle(msg);
}

window.addEventListener('message', (e: MessageEvent) => onMessage(e.data));
fillAddChoices();
rebuild();
gatedView.render();
post({ type: 'ready', panel: 'explorer' });
