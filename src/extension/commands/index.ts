// Every command of the "Activation Inspector" category, the panel serializers (panels come
// back after a reload), and the status-bar item shown while a training runs.
import * as vscode from 'vscode';
import { generateCode } from '../../codegen';
import type { TrainingSpec } from '../../engine/train/spec';
import { parseTrainingSpec } from '../../engine/train/spec';
import { DEMOS, findDemo } from '../../session/demos';
import { formToSpec } from '../../session/specAdapter';
import type { CodeTarget } from '../../shared/protocol';
import { DASHBOARD_VIEW_TYPE, DashboardPanel, sessionChanges } from '../panels/dashboardPanel';
import { EXPLORER_VIEW_TYPE, ExplorerPanel } from '../panels/explorerPanel';
import { webviewOptions } from '../panels/html';
import { compareActivations, openExplorer } from './explorerCommands';
import type { CompareArgs, OpenExplorerArgs } from './explorerCommands';
import { exportChart, exportData } from './exportCommands';
import type { ExportArgs } from './exportCommands';
import type { RealRunView } from '../../shared/protocol';

export const COMMANDS = {
  openExplorer: 'activationInspector.openExplorer',
  compare: 'activationInspector.compare',
  openDashboard: 'activationInspector.openDashboard',
  runDemo: 'activationInspector.runDemo',
  exportChart: 'activationInspector.exportChart',
  exportData: 'activationInspector.exportData',
  copyAsPyTorch: 'activationInspector.copyAsPyTorch',
  copyAsKeras: 'activationInspector.copyAsKeras',
  copyAsJax: 'activationInspector.copyAsJAX',
  stopTraining: 'activationInspector.stopTraining',
  openRunFolder: 'activationInspector.openRunFolder',
} as const;

/**
 * Open Run Folder…: the dashboard's "Real run" section follows the run files that
 * activation_inspector.watch writes there. Resolves to the runs as first read.
 */
async function openRunFolder(uri: vscode.Uri, folder?: string): Promise<readonly RealRunView[] | undefined> {
  const dir = folder ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title: 'Folder with run files (runs/*.jsonl from activation_inspector.watch)' }))?.[0]?.fsPath;
  if (!dir) return undefined;
  const panel = DashboardPanel.createOrShow(uri);
  try {
    return panel.followRuns(dir);
  } catch (e) {
    void vscode.window.showErrorMessage(`Activation Inspector: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * Open Training Dashboard; with a spec (its JSON as `raw`, e.g. from the "Train this
 * architecture" CodeLens) it also starts that training, or several as a comparison.
 */
export interface OpenDashboardArgs {
  readonly raw?: unknown;
  /** The validated spec of `raw`, if the caller already has it. */
  readonly spec?: unknown;
  readonly label?: string;
  readonly runs?: readonly { readonly label: string; readonly raw: unknown }[];
  readonly title?: string;
  readonly lookAt?: string;
}

async function openDashboard(uri: vscode.Uri, args?: OpenDashboardArgs): Promise<DashboardPanel> {
  const panel = DashboardPanel.createOrShow(uri);
  const list = args?.runs ?? (args?.raw !== undefined || args?.spec !== undefined ? [{ label: args.label ?? 'run', raw: args.raw ?? args.spec }] : []);
  if (!list.length) return panel;
  try {
    const runs = list.map((r, i) => {
      const parsed = parseTrainingSpec(r.raw);
      // keep the caller's spec object when it gave one for this raw JSON
      const spec = i === 0 && args?.spec !== undefined && args.runs === undefined ? (args.spec as TrainingSpec) : parsed;
      return { label: r.label, spec, raw: r.raw as Record<string, unknown> };
    });
    await panel.run(runs, args?.title ?? 'Training', args?.lookAt ?? '');
  } catch (e) {
    void vscode.window.showErrorMessage(`Training spec: ${(e as Error).message}`);
  }
  return panel;
}

async function runDemo(uri: vscode.Uri, args?: { id?: string }): Promise<DashboardPanel | undefined> {
  let id = args?.id;
  if (!id) {
    const pick = await vscode.window.showQuickPick(
      DEMOS.map((d) => ({ label: d.title, description: d.detail, detail: d.lookAt, id: d.id })),
      { title: 'Run Demo', placeHolder: 'Each demo trains a few networks side by side; the sentence says what to look at', matchOnDescription: true },
    );
    if (!pick) return undefined;
    id = pick.id;
  }
  if (!findDemo(id)) {
    void vscode.window.showErrorMessage(`Unknown demo "${id}" (demos: ${DEMOS.map((d) => d.id).join(', ')})`);
    return undefined;
  }
  const panel = DashboardPanel.createOrShow(uri);
  await panel.runDemo(id);
  return panel;
}

/** The experiment to turn into code: the current runs, else the dashboard's form. */
function currentSpecs(): { label: string; spec: TrainingSpec }[] {
  const p = DashboardPanel.current;
  if (!p) return [];
  const runs = p.session.snapshot();
  if (runs.length) return runs.map((r) => ({ label: r.info.label, spec: r.spec }));
  try {
    return [{ label: 'dashboard', spec: formToSpec(p.form) }];
  } catch {
    return [];
  }
}

export interface CopyArgs {
  /** Which run of a comparison (its label); default: ask, or the only one. */
  readonly run?: string;
  /** Open the script in an editor too (default true when run interactively). */
  readonly open?: boolean;
}

async function copyAs(target: CodeTarget, args?: CopyArgs): Promise<string | undefined> {
  const specs = currentSpecs();
  if (!specs.length) {
    void vscode.window.showInformationMessage('Set up or run a training in the Training Dashboard first.');
    return undefined;
  }
  let chosen = specs.find((s) => s.label === args?.run) ?? (specs.length === 1 ? specs[0] : undefined);
  if (!chosen) {
    const pick = await vscode.window.showQuickPick(specs.map((s) => ({ label: s.label, description: `${s.spec.sizes.join('→')} · ${s.spec.optimizer.kind} lr ${s.spec.optimizer.lr}`, s })), { title: 'Which run?' });
    chosen = pick?.s;
  }
  if (!chosen) return undefined;
  const code = generateCode(target, chosen.spec);
  await vscode.env.clipboard.writeText(code);
  if (args?.open ?? true) {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: code });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
  void vscode.window.setStatusBarMessage(`Copied the ${chosen.label} experiment as ${target} code`, 4000);
  return code;
}

export function registerCommands(context: vscode.ExtensionContext): void {
  const uri = context.extensionUri;
  const reg = (id: string, fn: (...a: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn as (...a: unknown[]) => unknown));
  };
  reg(COMMANDS.openExplorer, (args?: OpenExplorerArgs) => openExplorer(uri, args));
  reg(COMMANDS.compare, (args?: CompareArgs) => compareActivations(uri, args));
  reg(COMMANDS.openDashboard, (args?: OpenDashboardArgs) => openDashboard(uri, args));
  reg(COMMANDS.runDemo, (args?: { id?: string }) => runDemo(uri, args));
  reg(COMMANDS.exportChart, (args?: ExportArgs) => exportChart(args).catch(report));
  reg(COMMANDS.exportData, (args?: ExportArgs) => exportData(args).catch(report));
  reg(COMMANDS.copyAsPyTorch, (args?: CopyArgs) => copyAs('pytorch', args));
  reg(COMMANDS.copyAsKeras, (args?: CopyArgs) => copyAs('keras', args));
  reg(COMMANDS.copyAsJax, (args?: CopyArgs) => copyAs('jax', args));
  reg(COMMANDS.stopTraining, () => DashboardPanel.current?.session.control('stop'));
  reg(COMMANDS.openRunFolder, (folder?: string) => openRunFolder(uri, folder));

  // Status bar: visible while any training runs; clicking it stops the trainings.
  const item = vscode.window.createStatusBarItem('activationInspector.training', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Activation Inspector training';
  item.command = COMMANDS.stopTraining;
  item.tooltip = 'Trainings running — click to stop';
  context.subscriptions.push(
    item,
    sessionChanges.event((s) => {
      if (s.running > 0) {
        item.text = `$(sync~spin) Training ${s.running}: ${s.text.length > 60 ? `${s.text.slice(0, 57)}…` : s.text}`;
        item.show();
      } else item.hide();
    }),
  );
}

function report(e: unknown): undefined {
  void vscode.window.showErrorMessage(`Activation Inspector: ${(e as Error).message}`);
  return undefined;
}

export function registerPanels(context: vscode.ExtensionContext): void {
  const uri = context.extensionUri;
  DashboardPanel.storage = context.workspaceState;
  ExplorerPanel.storage = context.workspaceState;
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(EXPLORER_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
        panel.webview.options = webviewOptions(uri);
        ExplorerPanel.revive(panel, uri);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        panel.webview.options = webviewOptions(uri);
        DashboardPanel.revive(panel, uri, state);
      },
    }),
    { dispose: () => ExplorerPanel.current?.dispose() },
    { dispose: () => DashboardPanel.current?.dispose() },
  );
}
