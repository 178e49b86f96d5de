// Export Chart (PNG, SVG) and Export Data (CSV, JSON) for the active panel. Charts are drawn
// by the page, so it renders them; dashboard data comes from the host's session (which has
// the specs and results), explorer data from the page (which evaluates the curves).
import * as vscode from 'vscode';
import type { ExportFormat, PanelKind } from '../../shared/protocol';
import { toJsonSafe } from '../../engine/json';
import { activePanel, allPanels } from '../panels/base';
import { DashboardPanel } from '../panels/dashboardPanel';

export interface ExportArgs {
  readonly format?: ExportFormat;
  /** Skip the save dialog (tests, scripts). */
  readonly uri?: vscode.Uri | string;
  readonly panel?: PanelKind;
}

async function choosePanel(kind?: PanelKind): Promise<PanelKind | undefined> {
  if (kind) return kind;
  const kinds = [...new Set(allPanels().map((p) => p.kind))];
  if (kinds.length <= 1) return kinds[0] ?? activePanel()?.kind;
  const active = activePanel();
  if (active?.panel.active) return active.kind;
  const pick = await vscode.window.showQuickPick(
    kinds.map((k) => ({ label: k === 'explorer' ? 'Activation Explorer' : 'Training Dashboard', panelKind: k })),
    { title: 'Export from which panel?' },
  );
  return pick?.panelKind;
}

async function chooseFormat(options: readonly { f: ExportFormat; label: string; detail: string }[], given?: ExportFormat): Promise<ExportFormat | undefined> {
  if (given) return given;
  const pick = await vscode.window.showQuickPick(options.map((o) => ({ label: o.label, detail: o.detail, f: o.f })), { title: 'Export format' });
  return pick?.f;
}

async function target(args: ExportArgs | undefined, kind: PanelKind, format: ExportFormat): Promise<vscode.Uri | undefined> {
  if (args?.uri) return typeof args.uri === 'string' ? vscode.Uri.file(args.uri) : args.uri;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${kind === 'explorer' ? 'activations' : 'training'}.${format}`;
  return vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { [format.toUpperCase()]: [format] },
    title: `Export ${format.toUpperCase()}`,
  });
}

/** Bytes of a page's answer: PNGs arrive as data URLs. */
export function exportBytes(format: ExportFormat, data: string): Uint8Array {
  if (format === 'png') {
    const m = /^data:image\/png;base64,(.*)$/s.exec(data);
    if (!m || m[1] === undefined) throw new Error('the panel returned no PNG image');
    return Buffer.from(m[1], 'base64');
  }
  return Buffer.from(data, 'utf8');
}

/** Dashboard data as CSV (one row per run × snapshot) or JSON (specs, history, results). */
export function dashboardData(format: 'csv' | 'json'): string {
  const p = DashboardPanel.current;
  const runs = p ? p.session.snapshot() : [];
  if (format === 'json') {
    return JSON.stringify(
      toJsonSafe({
        generator: 'Activation Inspector training dashboard',
        runs: runs.map((r) => ({ label: r.info.label, status: r.status, message: r.message, spec: r.raw, history: r.history, result: r.result ? { ...r.result, grads_step0_flat: undefined } : null })),
      }),
      null,
      2,
    );
  }
  const L = Math.max(0, ...runs.map((r) => r.info.hiddenLayers));
  const layerCols = Array.from({ length: L }, (_, l) => [`dead_L${l + 1}`, `saturated_L${l + 1}`, `sparsity_L${l + 1}`, `grad_norm_L${l + 1}`]).flat();
  const lines = [['run', 'step', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy', ...layerCols].join(',')];
  const q = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  const v = (x: number | null | undefined): string => (x === null || x === undefined ? '' : String(x));
  for (const r of runs) {
    for (const s of r.history) {
      const cells = [q(r.info.label), String(s.step), v(s.trainLoss), v(s.testLoss), v(s.trainAccuracy), v(s.testAccuracy)];
      for (let l = 0; l < L; l++) {
        const d = s.layers[l];
        cells.push(v(d?.deadFraction), v(d?.saturationFraction), v(d?.sparsity), v(d?.weightGradNorm));
      }
      lines.push(cells.join(','));
    }
  }
  return lines.join('\n') + '\n';
}

async function runExport(kindArg: 'chart' | 'data', args?: ExportArgs): Promise<vscode.Uri | undefined> {
  const kind = await choosePanel(args?.panel);
  if (!kind) {
    void vscode.window.showInformationMessage('Open the Activation Explorer or the Training Dashboard first.');
    return undefined;
  }
  const format = await chooseFormat(
    kindArg === 'chart'
      ? [
          { f: 'png', label: 'PNG', detail: 'a picture of the charts, at screen resolution' },
          { f: 'svg', label: 'SVG', detail: 'vector graphics: lines stay sharp at any size' },
        ]
      : [
          { f: 'csv', label: 'CSV', detail: kind === 'explorer' ? 'x, f, f′, f″ per curve' : 'one row per run and snapshot' },
          { f: 'json', label: 'JSON', detail: kind === 'explorer' ? 'curves, parameters, conventions, samples' : 'specs, history and final results' },
        ],
    args?.format,
  );
  if (!format) return undefined;
  const uri = await target(args, kind, format);
  if (!uri) return undefined;
  let data: string;
  if (kind === 'dashboard' && (format === 'csv' || format === 'json')) data = dashboardData(format);
  else {
    const panel = activePanel(kind);
    if (!panel) throw new Error(`the ${kind} is not open`);
    data = await panel.requestExport(format);
  }
  await vscode.workspace.fs.writeFile(uri, exportBytes(format, data));
  if (!args?.uri) {
    void vscode.window.showInformationMessage(`Exported ${vscode.workspace.asRelativePath(uri)}`, 'Open').then((a) => a && vscode.commands.executeCommand('vscode.open', uri));
  }
  return uri;
}

export function exportChart(args?: ExportArgs): Promise<vscode.Uri | undefined> {
  if (args?.format && args.format !== 'png' && args.format !== 'svg') throw new Error('Export Chart writes PNG or SVG');
  return runExport('chart', args);
}

export function exportData(args?: ExportArgs): Promise<vscode.Uri | undefined> {
  if (args?.format && args.format !== 'csv' && args.format !== 'json') throw new Error('Export Data writes CSV or JSON');
  return runExport('data', args);
}
