// The Training Dashboard panel: owns one TrainingSession (workers, coalescing, history) and
// re-sends its runs whenever the page (re)loads, so a reload or a hidden tab loses nothing.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TrainingSpec } from '../../engine/train/spec';
import { INIT_SCHEMES, parseTrainingSpec } from '../../engine/train/spec';
import { DEMOS, findDemo } from '../../session/demos';
import { DEFAULT_FORM, formToRawSpec } from '../../session/specAdapter';
import type { RunRequest, SavedSession, SessionSummary } from '../../session/trainingSession';
import { TrainingSession } from '../../session/trainingSession';
import type { FocusChart, HostToDashboard, TrainingForm, WebviewToHost } from '../../shared/protocol';
import { isTrainingForm } from '../../shared/protocol';
import { readRuns, resolveRunsDir, toRealRunView } from '../../probe/runs';
import type { RealRunView } from '../../shared/protocol';
import { BasePanel } from './base';
import { buildHtml, webviewOptions } from './html';

export const DASHBOARD_VIEW_TYPE = 'activationInspector.dashboard';

/** Fired on every session change of any dashboard (status bar, progress notifications). */
export const sessionChanges = new vscode.EventEmitter<SessionSummary>();

const SAVED_KEY = 'activationInspector.dashboard.runs';

export class DashboardPanel extends BasePanel<HostToDashboard> {
  static current: DashboardPanel | undefined;
  /** Workspace storage for the runs shown (set by registerPanels); survives window reloads. */
  static storage: vscode.Memento | undefined;
  readonly session: TrainingSession;
  form: TrainingForm = DEFAULT_FORM;
  protected override readonly resendsAllOnReady = true;
  /** Specs of the current runs' experiment (for Copy as code when no run exists yet). */
  lastSpecs: readonly RunRequest[] = [];

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    super('dashboard', panel);
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    this.session = new TrainingSession(vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath, (m) => this.post(m));
    this.session.onChange((s) => {
      sessionChanges.fire(s);
      // save when nothing runs any more (not on every frame)
      if (s.running === 0 && this.session.running === 0) this.save();
    });
    panel.webview.html = buildHtml(panel.webview, extensionUri, 'dashboard', 'Training Dashboard');
    DashboardPanel.current = this;
  }

  static createOrShow(extensionUri: vscode.Uri): DashboardPanel {
    const p = DashboardPanel.current;
    if (p) {
      p.panel.reveal(p.panel.viewColumn ?? vscode.ViewColumn.Active, false);
      return p;
    }
    const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'Training Dashboard', vscode.ViewColumn.Active, webviewOptions(extensionUri));
    // reopened after being closed: the runs it showed come back (saved when it closed)
    return new DashboardPanel(panel, extensionUri).restoreSaved();
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: unknown): DashboardPanel {
    DashboardPanel.current?.dispose();
    const p = new DashboardPanel(panel, extensionUri);
    const form = (state as { form?: unknown } | undefined)?.form;
    if (isTrainingForm(form)) p.form = form;
    return p.restoreSaved();
  }

  /** Shows the runs saved in workspace storage (the last ones this workspace's dashboard showed). */
  private restoreSaved(): this {
    const saved = DashboardPanel.storage?.get<SavedSession>(SAVED_KEY);
    if (saved && Array.isArray(saved.runs)) this.session.restore(saved, parseTrainingSpec);
    return this;
  }

  private lastSaved = '';
  private save(): void {
    const data = this.session.saved();
    const json = JSON.stringify(data);
    if (json === this.lastSaved) return;
    this.lastSaved = json;
    // JSON round trip: NaN/±Infinity become null, as the page reads them
    void DashboardPanel.storage?.update(SAVED_KEY, JSON.parse(json));
  }

  protected onReady(): void {
    this.post({ type: 'dashboard/init', form: this.form, demos: DEMOS.map((d) => ({ id: d.id, title: d.title, lookAt: d.lookAt, ...(d.focus ? { focus: d.focus } : {}) })), inits: INIT_SCHEMES.filter((s) => s !== 'constant') });
    for (const m of this.session.replay()) this.post(m);
    if (this.realRun) this.post({ type: 'realrun/show', folder: this.realRun.dir, runs: this.realRun.runs });
  }

  /** Runs a comparison (or a single run) and resolves when it has started. */
  async run(runs: readonly RunRequest[], title: string, lookAt: string, focus?: FocusChart): Promise<void> {
    this.lastSpecs = runs;
    await this.session.start(runs, title, lookAt, false, focus);
    showProgress(this);
  }

  async runDemo(id: string): Promise<boolean> {
    const demo = findDemo(id);
    if (!demo) return false;
    try {
      await this.run(demo.runs(), demo.title, demo.lookAt, demo.focus);
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Demo ${demo.title}: ${(e as Error).message}`);
      return false;
    }
  }

  async startForm(form: TrainingForm, append = false): Promise<void> {
    this.form = form;
    let spec: TrainingSpec;
    const raw = formToRawSpec(form, 'dashboard');
    try {
      spec = parseTrainingSpec(raw);
    } catch (e) {
      void vscode.window.showErrorMessage(`Training set-up: ${(e as Error).message}`);
      return;
    }
    const label = `${form.activations.join('/')} · ${form.optimizer} lr ${form.lr}`;
    const req = { label: uniqueLabel(label, this.session.snapshot().map((r) => r.info.label)), spec, raw };
    if (append && this.session.snapshot().length) {
      this.lastSpecs = [...this.lastSpecs, req];
      this.session.add(req);
      showProgress(this);
    } else await this.run([req], 'Custom runs', '');
  }

  /** The run folder followed by the "Real run" section, its watcher and what was last read. */
  private realRun: { dir: string; watcher: vscode.Disposable; runs: RealRunView[]; timer?: ReturnType<typeof setTimeout> } | undefined;
  private readonly realRunChanged = new vscode.EventEmitter<readonly RealRunView[]>();
  /** Fires each time the followed run folder was read again (after the page was sent it). */
  readonly onDidReadRuns = this.realRunChanged.event;

  /**
   * Follows a run folder (`DIR`, `DIR/runs` or `DIR/.activation-inspector/runs`): every
   * `*.jsonl` in it is read now and again whenever one is created or grows, and the "Real run"
   * section charts each site's dead/saturated fraction and gradient norm over the logged steps.
   */
  followRuns(folder: string): readonly RealRunView[] {
    const dir = resolveRunsDir(folder);
    if (!dir) throw new Error(`${folder} is not a folder`);
    this.stopFollowing();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '*.jsonl'));
    const state: NonNullable<DashboardPanel['realRun']> = { dir, watcher, runs: [] };
    // Appends come in bursts (one line per logged step, flushed): read at most every 250 ms.
    const schedule = (): void => {
      state.timer ??= setTimeout(() => {
        state.timer = undefined;
        if (this.realRun === state) this.readRealRuns();
      }, 250);
    };
    watcher.onDidCreate(schedule);
    watcher.onDidChange(schedule);
    watcher.onDidDelete(schedule);
    this.realRun = state;
    return this.readRealRuns();
  }

  private readRealRuns(): readonly RealRunView[] {
    const r = this.realRun;
    if (!r) return [];
    try {
      r.runs = readRuns(r.dir).slice(-32).map(toRealRunView);
    } catch (e) {
      void vscode.window.showErrorMessage(`Activation Inspector: cannot read the runs in ${r.dir}: ${(e as Error).message}`);
    }
    this.post({ type: 'realrun/show', folder: r.dir, runs: r.runs });
    this.realRunChanged.fire(r.runs);
    return r.runs;
  }

  private stopFollowing(): void {
    if (this.realRun?.timer) clearTimeout(this.realRun.timer);
    this.realRun?.watcher.dispose();
    this.realRun = undefined;
  }

  /** Opens a spec file: one spec, a list of specs, or a reference-style {trainings: […]}. */
  async openSpec(uri?: vscode.Uri): Promise<void> {
    const file = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Training spec': ['json'] }, title: 'Open a training spec' }))?.[0];
    if (!file) return;
    try {
      const raw = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8')) as unknown;
      const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null && Array.isArray((raw as { trainings?: unknown }).trainings) ? (raw as { trainings: unknown[] }).trainings : [raw];
      const runs = list.slice(0, 8).map((r, i) => {
        const raw = withCsvText(r, file) as Record<string, unknown>;
        const spec = parseTrainingSpec(raw);
        return { label: spec.id || `run ${i + 1}`, spec, raw };
      });
      await this.run(runs, vscode.workspace.asRelativePath(file), '');
    } catch (e) {
      void vscode.window.showErrorMessage(`Cannot open ${vscode.workspace.asRelativePath(file)}: ${(e as Error).message}`);
    }
  }

  async openCsv(uri?: vscode.Uri): Promise<void> {
    const file = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { CSV: ['csv', 'txt'] }, title: 'Load a data set (CSV: numeric columns, one target column)' }))?.[0];
    if (!file) return;
    const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
    const header = text.split(/\r?\n/, 1)[0] ?? '';
    const cols = header.split(',').map((c) => c.trim());
    const target = cols.some((c) => c !== '' && Number.isNaN(Number(c))) ? (cols[cols.length - 1] ?? '') : String(cols.length - 1);
    this.form = { ...this.form, dataset: 'csv', csvText: text, csvTarget: target };
    this.post({ type: 'dashboard/form', form: this.form });
  }

  protected onMessage(msg: WebviewToHost): void {
    switch (msg.type) {
      case 'train/start':
        void this.startForm(msg.form, msg.append === true);
        break;
      case 'train/control':
        void this.session.control(msg.command);
        break;
      case 'train/demo':
        void this.runDemo(msg.demoId);
        break;
      case 'train/openSpec':
        void this.openSpec();
        break;
      case 'train/openCsv':
        void this.openCsv();
        break;
      case 'train/copyCode':
        void vscode.commands.executeCommand(`activationInspector.copyAs${msg.target === 'pytorch' ? 'PyTorch' : msg.target === 'keras' ? 'Keras' : 'JAX'}`);
        break;
      default:
        break;
    }
  }

  protected override onDispose(): void {
    // closing the panel keeps what it showed (runs still going are saved as stopped at their step)
    this.save();
    this.stopFollowing();
    this.realRunChanged.dispose();
    if (DashboardPanel.current === this) DashboardPanel.current = undefined;
    void this.session.dispose().then(() => sessionChanges.fire({ running: 0, text: '' }));
  }
}

/** "label", "label (2)", … so runs of a comparison stay apart in legends. */
function uniqueLabel(label: string, taken: readonly string[]): string {
  if (!taken.includes(label)) return label;
  let i = 2;
  while (taken.includes(`${label} (${i})`)) i++;
  return `${label} (${i})`;
}

/** Long runs get a cancellable progress notification after this long. */
const PROGRESS_AFTER_MS = 1500;
let progressShown = false;

/** A notification with a Cancel button while runs take longer than a moment. */
export function showProgress(panel: DashboardPanel): void {
  setTimeout(() => {
    if (panel.session.running === 0 || progressShown) return;
    progressShown = true;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Training', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => void panel.session.control('stop'));
        const sub = sessionChanges.event((s) => progress.report({ message: s.text }));
        await panel.session.whenIdle();
        sub.dispose();
        progressShown = false;
      },
    );
  }, PROGRESS_AFTER_MS);
}

/** A spec's CSV `path` is relative to the spec file; the trainer needs the text. */
function withCsvText(raw: unknown, specFile: vscode.Uri): unknown {
  const r = raw as { data?: { kind?: unknown; path?: unknown; text?: unknown } };
  if (r?.data?.kind === 'csv' && typeof r.data.path === 'string' && r.data.text === undefined) {
    const p = vscode.Uri.joinPath(specFile, '..', r.data.path);
    // Read synchronously: the spec and its data are local files next to each other.
    return { ...r, data: { ...r.data, text: readFileSync(p.fsPath, 'utf8') } };
  }
  return raw;
}
