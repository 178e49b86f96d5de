// The one typed message protocol between the extension host and the two webviews
// (explorer, dashboard). The worker ⇄ host half lives in ./workerProtocol.ts; both check
// snapshots with the one validator here (`isSnapshot`). Data types and their unions (tasks,
// data sets, optimizers, norms, snapshots, boundaries) come from the engine, never restated.
//
// Every message that crosses a boundary is parsed by one of the `parse*` functions below
// before anything acts on it: they return the typed message or `undefined`, never throw,
// and bound every string and array so garbage cannot make a handler allocate or loop
// without limit. Pure TypeScript: no vscode, no DOM.
import type { Framework, ParamValue } from '../engine/activations/types';
import { FRAMEWORKS } from '../engine/activations/types';
import { DTYPES, type Dtype } from '../engine/precision/round';
import { GATED_ENTRIES } from '../engine/activations/catalog';
import type { BoundaryView } from '../engine/train/boundary';
import type { TrainingSnapshot } from '../engine/train/snapshot';
import { MAX_LOSSES_PER_SNAPSHOT } from '../engine/train/snapshot';
import type { DatasetKind, NormKind, OptimizerKind, Task } from '../engine/train/spec';
import { DATASET_KINDS, NORM_KINDS, OPTIMIZER_KINDS, TASKS } from '../engine/train/spec';

export type { BoundaryView, DatasetKind, NormKind, OptimizerKind, Task, TrainingSnapshot };

export type PanelKind = 'explorer' | 'dashboard';
export type ExportFormat = 'png' | 'svg' | 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['png', 'svg', 'csv', 'json'];

/** One curve in the explorer: a framework's binding with canonical parameter values. */
export interface CurveSpec {
  readonly id: string;
  readonly framework: Framework;
  /** The binding's preferred name (Keras `LeakyReLU` layer vs `leaky_relu` function). */
  readonly name: string;
  /** Canonical parameters; missing ones take the framework's defaults. */
  readonly params: Readonly<Record<string, ParamValue>>;
}

// ---------------------------------------------------------------------------------------
// dashboard model

export const DATASET_CHOICES: readonly DatasetKind[] = DATASET_KINDS;
export const OPTIMIZERS: readonly OptimizerKind[] = OPTIMIZER_KINDS;
export const NORMS: readonly NormKind[] = NORM_KINDS;

/** What the dashboard's set-up form holds; the host turns it into a TrainingSpec. */
export interface TrainingForm {
  readonly dataset: DatasetKind;
  readonly samples: number;
  readonly noise: number;
  /** For dataset `csv`: the file's text and the target column (name or index). */
  readonly csvText?: string;
  readonly csvTarget?: string;
  readonly testFraction: number;
  readonly hidden: readonly number[];
  /** Canonical activation id per hidden layer (same length as `hidden`). */
  readonly activations: readonly string[];
  readonly init: string;
  readonly optimizer: OptimizerKind;
  readonly lr: number;
  readonly momentum: number;
  /** 0 = full batch. */
  readonly batchSize: number;
  readonly l1: number;
  readonly l2: number;
  /** 0 = no clipping. */
  readonly clip: number;
  readonly norm: NormKind;
  readonly seed: number;
  readonly steps: number;
}

export const RUN_STATUSES = ['running', 'paused', 'done', 'stopped', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunInfo {
  readonly runId: number;
  readonly label: string;
  readonly task: Task;
  readonly inputDim: number;
  readonly hiddenLayers: number;
  readonly steps: number;
}

export interface DemoInfo {
  readonly id: string;
  readonly title: string;
  /** One sentence: what to look at. */
  readonly lookAt: string;
  /** The chart that sentence is about. */
  readonly focus?: FocusChart;
}

// ---------------------------------------------------------------------------------------
// messages

export type HostToExplorer =
  /** Curves to add (or to show instead); `dtype`: evaluate them in it (a hover in a file that runs under autocast). */
  | { readonly type: 'explorer/show'; readonly curves: readonly CurveSpec[]; readonly replace: boolean; readonly dtype?: Dtype }
  | ExportRequest;

/** One activation site of a real training run (activation_inspector.watch), one entry per logged step. */
export interface RealRunSite {
  readonly name: string;
  readonly kind: string;
  readonly line: number | null;
  readonly dead: (number | null)[];
  readonly saturated: (number | null)[];
  readonly grad: (number | null)[];
}

/** A run file `<run>.jsonl` as read so far (it may still be growing). */
export interface RealRunView {
  readonly run: string;
  readonly model: string;
  readonly steps: number[];
  readonly sites: RealRunSite[];
}

export type HostToDashboard =
  | { readonly type: 'dashboard/init'; readonly form: TrainingForm; readonly demos: readonly DemoInfo[]; readonly inits: readonly string[] }
  | { readonly type: 'dashboard/form'; readonly form: TrainingForm }
  | { readonly type: 'runs/clear'; readonly title: string; readonly lookAt: string; readonly focus?: FocusChart }
  | { readonly type: 'run/added'; readonly run: RunInfo }
  | { readonly type: 'run/snapshots'; readonly runId: number; readonly snapshots: readonly TrainingSnapshot[]; readonly boundary?: BoundaryView }
  | { readonly type: 'run/status'; readonly runId: number; readonly status: RunStatus; readonly message: string }
  /** The run folder the "Real run" section follows, and every run in it as read now. */
  | { readonly type: 'realrun/show'; readonly folder: string; readonly runs: readonly RealRunView[] }
  | ExportRequest;

export interface ExportRequest {
  readonly type: 'export/request';
  readonly requestId: number;
  readonly format: ExportFormat;
}

/** The chart a demo's sentence points at (shown first). */
export type FocusChart = 'loss' | 'accuracy' | 'dead' | 'saturation' | 'sparsity' | 'grads' | 'histogram';
export const FOCUS_CHARTS: readonly FocusChart[] = ['loss', 'accuracy', 'dead', 'saturation', 'sparsity', 'grads', 'histogram'];

export type TrainCommand = 'pause' | 'resume' | 'step' | 'stop' | 'reset';
export const TRAIN_COMMANDS: readonly TrainCommand[] = ['pause', 'resume', 'step', 'stop', 'reset'];

export type WebviewToHost =
  | { readonly type: 'ready'; readonly panel: PanelKind }
  | { readonly type: 'export/result'; readonly requestId: number; readonly format: ExportFormat; readonly ok: true; readonly data: string }
  | { readonly type: 'export/result'; readonly requestId: number; readonly format: ExportFormat; readonly ok: false; readonly error: string }
  | { readonly type: 'train/start'; readonly form: TrainingForm; /** Add to the runs shown (comparison) instead of replacing them. */ readonly append?: boolean }
  | { readonly type: 'train/control'; readonly command: TrainCommand }
  | { readonly type: 'train/demo'; readonly demoId: string }
  | { readonly type: 'train/openSpec' }
  | { readonly type: 'train/openCsv' }
  | { readonly type: 'train/copyCode'; readonly target: CodeTarget }
  | { readonly type: 'explorer/open'; readonly curve: CurveSpec }
  /** The explorer's state after a change (debounced): the host keeps it for the next time the panel opens. */
  | { readonly type: 'explorer/state'; readonly state: ExplorerState };

export type CodeTarget = 'pytorch' | 'keras' | 'jax';
export const CODE_TARGETS: readonly CodeTarget[] = ['pytorch', 'keras', 'jax'];

// ---------------------------------------------------------------------------------------
// limits and primitive checks

export const LIMITS = {
  idLength: 64,
  text: 2000,
  curves: 32,
  params: 16,
  /** Data URLs of PNG exports and whole CSV/SVG texts. */
  exportData: 64 * 1024 * 1024,
  csvText: 8 * 1024 * 1024,
  layers: 32,
  width: 1024,
  snapshotsPerMessage: 512,
  seriesLength: MAX_LOSSES_PER_SNAPSHOT,
  gridCells: 200 * 200,
  /** Real runs: files shown, sites per run, logged steps per run. */
  realRuns: 32,
  realSites: 256,
  realSteps: 100_000,
  points: 20_000,
} as const;

type Obj = Record<string, unknown>;

/** Plain objects only (what structured cloning produces): no arrays, no inherited fields. */
function isObj(v: unknown): v is Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
function isStr(v: unknown, max: number = LIMITS.text): v is string {
  return typeof v === 'string' && v.length <= max;
}
function isId(v: unknown): v is string {
  return isStr(v, LIMITS.idLength) && /^[A-Za-z0-9_.\-]+$/.test(v);
}
function isFiniteNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
/**
 * Numbers that may be NaN/±Infinity (losses of a diverging run). VS Code carries webview
 * messages as JSON, which turns those into null: null is accepted here and read as NaN.
 */
function isNum(v: unknown): v is number {
  return typeof v === 'number' || v === null;
}
function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
function isOneOf<T extends string>(v: unknown, list: readonly T[]): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}
function isNumArray(v: unknown, max: number, finite = false): v is number[] {
  if (!Array.isArray(v) || v.length > max) return false;
  for (const x of v) if (finite ? !isFiniteNum(x) : !isNum(x)) return false;
  return true;
}
/** null (what JSON makes of ±Infinity, e.g. an unset `max_value`) means "the default". */
function isParamValue(v: unknown): v is ParamValue {
  return typeof v === 'number' || typeof v === 'boolean' || v === null || isStr(v, LIMITS.idLength);
}
function isParams(v: unknown): v is Record<string, ParamValue> {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  if (keys.length > LIMITS.params) return false;
  return keys.every((k) => isId(k) && isParamValue(v[k]));
}

export function isCurveSpec(v: unknown): v is CurveSpec {
  return isObj(v) && isId(v.id) && isOneOf(v.framework, FRAMEWORKS) && isStr(v.name, LIMITS.idLength) && isParams(v.params);
}

export function isTrainingForm(v: unknown): v is TrainingForm {
  if (!isObj(v)) return false;
  if (!isOneOf(v.dataset, DATASET_CHOICES)) return false;
  if (!isInt(v.samples, 4, 100_000) || !isFiniteNum(v.noise) || v.noise < 0 || v.noise > 10) return false;
  if (v.csvText !== undefined && !isStr(v.csvText, LIMITS.csvText)) return false;
  if (v.csvTarget !== undefined && !isStr(v.csvTarget, 200)) return false;
  if (!isFiniteNum(v.testFraction) || v.testFraction < 0 || v.testFraction >= 1) return false;
  if (!Array.isArray(v.hidden) || v.hidden.length > LIMITS.layers || !v.hidden.every((w) => isInt(w, 1, LIMITS.width))) return false;
  if (!Array.isArray(v.activations) || v.activations.length !== v.hidden.length || !v.activations.every(isId)) return false;
  if (!isId(v.init) || !isOneOf(v.optimizer, OPTIMIZERS)) return false;
  if (!isFiniteNum(v.lr) || v.lr <= 0 || v.lr > 100) return false;
  if (!isFiniteNum(v.momentum) || v.momentum < 0 || v.momentum >= 1) return false;
  if (!isInt(v.batchSize, 0, 100_000)) return false;
  for (const k of ['l1', 'l2', 'clip'] as const) if (!isFiniteNum(v[k]) || (v[k] as number) < 0) return false;
  if (!isOneOf(v.norm, NORMS)) return false;
  return isInt(v.seed, 0, 2 ** 31 - 1) && isInt(v.steps, 1, 1_000_000);
}

function isRunInfo(v: unknown): v is RunInfo {
  return (
    isObj(v) && isInt(v.runId, 0, 2 ** 31) && isStr(v.label, 200) && isOneOf(v.task, TASKS) &&
    isInt(v.inputDim, 1, 10_000) && isInt(v.hiddenLayers, 0, LIMITS.layers) && isInt(v.steps, 0, 10_000_000)
  );
}

function isLayerDiag(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (!isInt(v.layer, 0, LIMITS.layers) || !isStr(v.activation, LIMITS.idLength) || !isInt(v.units, 0, 1_000_000)) return false;
  for (const k of ['deadFraction', 'sparsity', 'saturationFraction', 'mean', 'std', 'weightGradNorm', 'updateRatio']) if (!isNum(v[k])) return false;
  const hist = v.histogram;
  return isObj(hist) && isNum(hist.min) && isNum(hist.max) && isNumArray(hist.counts, 1024, true);
}

/** The one snapshot validator: snapshots from the worker and those sent on to the dashboard. */
export function isSnapshot(v: unknown): v is TrainingSnapshot {
  if (!isObj(v)) return false;
  if (!isInt(v.step, 0, 1e9) || !isInt(v.steps, 0, 1e9) || !isInt(v.fromStep, 0, 1e9)) return false;
  if (!isNumArray(v.losses, LIMITS.seriesLength) || !isNum(v.trainLoss)) return false;
  for (const k of ['testLoss', 'trainAccuracy', 'testAccuracy']) if (v[k] !== null && !isNum(v[k])) return false;
  if (!Array.isArray(v.layers) || v.layers.length > LIMITS.layers || !v.layers.every(isLayerDiag)) return false;
  return isNumArray(v.weightGradNorms, LIMITS.layers + 1) && isNum(v.elapsedMs);
}

export function isBoundary(v: unknown): v is BoundaryView {
  if (!isObj(v) || !isOneOf(v.kind, ['2d', '1d'] as const)) return false;
  for (const k of ['xmin', 'xmax', 'ymin', 'ymax']) if (!isFiniteNum(v[k])) return false;
  if (!isInt(v.nx, 1, 1000) || !isInt(v.ny, 1, 1000) || v.nx * v.ny > LIMITS.gridCells) return false;
  if (!isNumArray(v.values, LIMITS.gridCells) || v.values.length !== v.nx * v.ny) return false;
  if (!isNumArray(v.px, LIMITS.points) || !isNumArray(v.py, LIMITS.points) || !isNumArray(v.plabel, LIMITS.points)) return false;
  return v.px.length === v.py.length && v.px.length === v.plabel.length;
}

function isDemoInfo(v: unknown): v is DemoInfo {
  return isObj(v) && isId(v.id) && isStr(v.title, 200) && isStr(v.lookAt, LIMITS.text) && (v.focus === undefined || isOneOf(v.focus, FOCUS_CHARTS));
}

function parseExportRequest(m: Obj): ExportRequest | undefined {
  return isInt(m.requestId, 0, 2 ** 31) && isOneOf(m.format, EXPORT_FORMATS) ? (m as unknown as ExportRequest) : undefined;
}

// ---------------------------------------------------------------------------------------
// parsers (one per direction)

/** Validates a message the explorer webview received. */
export function parseHostToExplorer(m: unknown): HostToExplorer | undefined {
  if (!isObj(m)) return undefined;
  switch (m.type) {
    case 'explorer/show':
      return Array.isArray(m.curves) && m.curves.length <= LIMITS.curves && m.curves.every(isCurveSpec) && typeof m.replace === 'boolean' &&
        (m.dtype === undefined || isOneOf(m.dtype, DTYPES))
        ? (m as unknown as HostToExplorer)
        : undefined;
    case 'export/request':
      return parseExportRequest(m);
    default:
      return undefined;
  }
}

const isNullableSeries = (v: unknown, n: number): boolean =>
  Array.isArray(v) && v.length === n && v.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)));

function isRealRunSite(v: unknown, steps: number): v is RealRunSite {
  return isObj(v) && isStr(v.name, 200) && isStr(v.kind, 64) && (v.line === null || isInt(v.line, 1, 2 ** 31)) &&
    isNullableSeries(v.dead, steps) && isNullableSeries(v.saturated, steps) && isNullableSeries(v.grad, steps);
}

export function isRealRunView(v: unknown): v is RealRunView {
  if (!isObj(v) || !isStr(v.run, 200) || !isStr(v.model, 200) || !isNumArray(v.steps, LIMITS.realSteps, true)) return false;
  const n = v.steps.length;
  return Array.isArray(v.sites) && v.sites.length <= LIMITS.realSites && v.sites.every((s) => isRealRunSite(s, n));
}

/** Validates a message the dashboard webview received. */
export function parseHostToDashboard(m: unknown): HostToDashboard | undefined {
  if (!isObj(m)) return undefined;
  const ok = (b: boolean): HostToDashboard | undefined => (b ? (m as unknown as HostToDashboard) : undefined);
  switch (m.type) {
    case 'dashboard/init':
      return ok(
        isTrainingForm(m.form) && Array.isArray(m.demos) && m.demos.length <= 32 && m.demos.every(isDemoInfo) &&
          Array.isArray(m.inits) && m.inits.length <= 64 && m.inits.every(isId),
      );
    case 'dashboard/form':
      return ok(isTrainingForm(m.form));
    case 'runs/clear':
      return ok(isStr(m.title, 200) && isStr(m.lookAt) && (m.focus === undefined || isOneOf(m.focus, FOCUS_CHARTS)));
    case 'run/added':
      return ok(isRunInfo(m.run));
    case 'run/snapshots':
      return ok(
        isInt(m.runId, 0, 2 ** 31) && Array.isArray(m.snapshots) && m.snapshots.length <= LIMITS.snapshotsPerMessage &&
          m.snapshots.every(isSnapshot) && (m.boundary === undefined || isBoundary(m.boundary)),
      );
    case 'realrun/show':
      return ok(isStr(m.folder, 4096) && Array.isArray(m.runs) && m.runs.length <= LIMITS.realRuns && m.runs.every(isRealRunView));
    case 'run/status':
      return ok(isInt(m.runId, 0, 2 ** 31) && isOneOf(m.status, RUN_STATUSES) && isStr(m.message));
    case 'export/request':
      return parseExportRequest(m);
    default:
      return undefined;
  }
}

/** Validates a message the host received from either webview. */
export function parseWebviewToHost(m: unknown): WebviewToHost | undefined {
  if (!isObj(m)) return undefined;
  const ok = (b: boolean): WebviewToHost | undefined => (b ? (m as unknown as WebviewToHost) : undefined);
  switch (m.type) {
    case 'ready':
      return ok(isOneOf(m.panel, ['explorer', 'dashboard'] as const));
    case 'export/result':
      if (!isInt(m.requestId, 0, 2 ** 31) || !isOneOf(m.format, EXPORT_FORMATS)) return undefined;
      return ok(m.ok === true ? isStr(m.data, LIMITS.exportData) : m.ok === false && isStr(m.error));
    case 'train/start':
      return ok(isTrainingForm(m.form) && (m.append === undefined || typeof m.append === 'boolean'));
    case 'train/control':
      return ok(isOneOf(m.command, TRAIN_COMMANDS));
    case 'train/demo':
      return ok(isId(m.demoId));
    case 'train/openSpec':
    case 'train/openCsv':
      return ok(true);
    case 'train/copyCode':
      return ok(isOneOf(m.target, CODE_TARGETS));
    case 'explorer/open':
      return ok(isCurveSpec(m.curve));
    case 'explorer/state':
      return ok(isExplorerState(m.state));
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// the explorer's saved state
//
// The page saves it with setState (kept across reloads and while hidden) and posts it to the
// host ('explorer/state'), which keeps the last one so a closed Explorer reopens as the user
// left it. Both sides validate it: it comes from a webview, or from storage an older version
// wrote.

/** What the page persists about the custom curve (part of ExplorerState). */
export interface CustomState {
  /** The text as typed (possibly malformed: it is restored as the user left it). */
  expr: string;
  /** Values of the parameters, including ones the current text no longer uses. */
  params: Record<string, number>;
  /** The card is open (closed: nothing plotted, text kept). */
  open: boolean;
}

export const MAX_EXPR_LENGTH = 500;
export const MAX_PARAMS = 16;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a restored custom state: bounded text, finite parameter values with identifier names. */
export function isCustomState(v: unknown): v is CustomState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  if (typeof s.expr !== 'string' || s.expr.length > MAX_EXPR_LENGTH || typeof s.open !== 'boolean') return false;
  const p = s.params;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return false;
  const entries = Object.entries(p as Record<string, unknown>);
  return entries.length <= 4 * MAX_PARAMS && entries.every(([k, x]) => NAME.test(k) && typeof x === 'number' && Number.isFinite(x));
}

export interface ExplorerState {
  readonly v: 1;
  curves: CurveSpec[];
  show: { f: boolean; df: boolean; d2f: boolean };
  xmin: number;
  xmax: number;
  points: number[];
  addFramework: Framework;
  /** Index of the curve whose per-framework comparison is shown. */
  focus: number;
  /** Evaluate every curve as its framework does in this dtype (absent: float64). */
  dtype?: Dtype;
  /** The "Custom…" curve typed by hand (absent: never opened). */
  custom?: CustomState;
  /** The gated activation shown as heatmaps ('' or absent: none). */
  gated?: string;
}

const GATED_IDS: readonly string[] = GATED_ENTRIES.map((e) => e.def.id);

/** Checks a saved state (it may come from an older version of the page, or from a webview). */
export function isExplorerState(v: unknown): v is ExplorerState {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  const show = s.show as Record<string, unknown> | undefined;
  return (
    s.v === 1 &&
    Array.isArray(s.curves) && s.curves.length <= 32 && s.curves.every(isCurveSpec) &&
    typeof show === 'object' && show !== null && ['f', 'df', 'd2f'].every((k) => typeof show[k] === 'boolean') &&
    typeof s.xmin === 'number' && typeof s.xmax === 'number' && Number.isFinite(s.xmin) && Number.isFinite(s.xmax) && s.xmin < s.xmax &&
    Array.isArray(s.points) && s.points.length <= 50 && s.points.every((p) => typeof p === 'number' && Number.isFinite(p)) &&
    typeof s.addFramework === 'string' && (FRAMEWORKS as readonly string[]).includes(s.addFramework) &&
    typeof s.focus === 'number' &&
    (s.dtype === undefined || (typeof s.dtype === 'string' && (DTYPES as readonly string[]).includes(s.dtype))) &&
    (s.custom === undefined || isCustomState(s.custom)) &&
    (s.gated === undefined || s.gated === '' || (typeof s.gated === 'string' && GATED_IDS.includes(s.gated)))
  );
}
