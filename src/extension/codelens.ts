// CodeLenses above nn.Sequential(...), Keras Sequential([...]) / model.add chains / chains of
// Dense layers, Flax nn.Sequential and tf.sequential: "Train this architecture" opens the
// Training Dashboard with that stack (adapted to a toy data set, saying how), "Gradient flow"
// runs one forward/backward pass and lists ‖∂L/∂W‖ per layer. Parsing and the pass are pure
// (src/code/lint/architecture.ts, toSpec.ts); this file maps documents and shows results.
import * as vscode from 'vscode';
import { findArchitectures, type Architecture } from '../code/lint/architecture';
import { buildContext } from '../code/lint/calls';
import { architectureToSpec, type ArchitectureSpec } from '../code/lint/toSpec';
import { gradientFlow, type LayerGradient } from '../engine/train/gradientFlow';
import { DashboardPanel } from './panels/dashboardPanel';
import { LINT_SELECTOR } from './diagnostics';
import { indexedDocument } from './documents';

export const TRAIN_ARCHITECTURE = 'activationInspector.trainArchitecture';
export const GRADIENT_FLOW = 'activationInspector.gradientFlow';

/** Where an architecture is: document and offset (for notebook cells, within the cell). */
export interface ArchitectureArgs {
  readonly uri: string;
  readonly offset: number;
}

interface Located {
  readonly arch: Architecture;
  /** Offsets in the document (cell). */
  readonly start: number;
  readonly end: number;
}

/** Architectures of a document; a notebook cell is parsed with its notebook's other cells. */
export function architecturesOf(doc: vscode.TextDocument): Located[] {
  const src = indexedDocument(doc);
  if (!src) return [];
  const { base, length } = src;
  return findArchitectures(buildContext(src.ix))
    .filter((a) => a.start >= base && a.start <= base + length)
    .map((arch) => ({ arch, start: arch.start - base, end: Math.min(length, arch.end - base) }));
}

export class ArchitectureLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (vscode.workspace.getConfiguration('activationInspector.codeLens', doc.uri).get<boolean>('enabled', true) === false) return [];
    const out: vscode.CodeLens[] = [];
    for (const { arch, start } of architecturesOf(doc)) {
      const range = new vscode.Range(doc.positionAt(start), doc.positionAt(start));
      const args: ArchitectureArgs = { uri: doc.uri.toString(), offset: start };
      const dense = arch.layers.filter((l) => l.kind === 'dense').length;
      out.push(
        new vscode.CodeLens(range, { title: '$(play) Train this architecture', command: TRAIN_ARCHITECTURE, arguments: [args], tooltip: `Open the Training Dashboard with this ${dense}-layer stack on a toy data set` }),
        new vscode.CodeLens(range, { title: '$(pulse) Gradient flow', command: GRADIENT_FLOW, arguments: [args], tooltip: 'One forward/backward pass at initialization: gradient norm of every layer' }),
      );
    }
    return out;
  }
}

async function locate(args?: ArchitectureArgs): Promise<Architecture | undefined> {
  let doc: vscode.TextDocument | undefined;
  let offset: number;
  if (args?.uri) {
    const uri = vscode.Uri.parse(args.uri);
    doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    offset = args.offset;
  } else {
    const ed = vscode.window.activeTextEditor;
    if (!ed) return undefined;
    doc = ed.document;
    offset = doc.offsetAt(ed.selection.active);
  }
  const all = architecturesOf(doc);
  // the architecture starting at the offset, else the one containing it, else the nearest above
  return (all.find((a) => a.start === offset) ?? all.find((a) => a.start <= offset && offset <= a.end) ?? [...all].reverse().find((a) => a.start <= offset) ?? all[0])?.arch;
}

async function specOf(args?: ArchitectureArgs): Promise<ArchitectureSpec | undefined> {
  const arch = await locate(args);
  if (!arch) {
    void vscode.window.showInformationMessage('No nn.Sequential, Keras Sequential or chain of Dense layers found here.');
    return undefined;
  }
  try {
    return architectureToSpec(arch);
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot train this architecture: ${(e as Error).message}`);
    return undefined;
  }
}

/** Opens the dashboard with the parsed stack; returns what was started (for tests). */
export async function trainArchitecture(extensionUri: vscode.Uri, args?: ArchitectureArgs): Promise<ArchitectureSpec | undefined> {
  const s = await specOf(args);
  if (!s) return undefined;
  const title = `Train this architecture: ${s.written}`;
  const lookAt = s.notes.length ? `Adapted to the toy data set: ${s.notes.join('; ')}.` : 'Trained exactly as written.';
  const label = s.label;
  // openDashboard may accept a spec (the dashboard owner's API); if it only opens the panel,
  // start the run on the panel it opened.
  await vscode.commands.executeCommand('activationInspector.openDashboard', { spec: s.spec, raw: s.raw, label, title, lookAt });
  const panel = DashboardPanel.current ?? DashboardPanel.createOrShow(extensionUri);
  if (!panel.lastSpecs.some((r) => r.spec === s.spec || JSON.stringify(r.spec) === JSON.stringify(s.spec))) {
    // RunRequest's shape belongs to the dashboard; label/spec/raw is what it takes today.
    const runs = [{ label, spec: s.spec, raw: s.raw }] as unknown as Parameters<DashboardPanel['run']>[0];
    await panel.run(runs, title, lookAt);
  }
  void vscode.window.setStatusBarMessage(`Training ${s.summary}${s.notes.length ? ` (adapted: ${s.notes.length} change${s.notes.length === 1 ? '' : 's'})` : ''}`, 5000);
  return s;
}

/** Runs one forward/backward pass and lists the per-layer gradient norms in a quick pick. */
export async function showGradientFlow(args?: ArchitectureArgs, opts: { pick?: boolean } = {}): Promise<{ spec: ArchitectureSpec; layers: LayerGradient[] } | undefined> {
  const s = await specOf(args);
  if (!s) return undefined;
  const layers = gradientFlow(s.spec);
  if (opts.pick !== false) {
    const max = Math.max(...layers.map((l) => l.norm), 1e-300);
    const first = layers[0]?.norm ?? 0;
    const last = layers[layers.length - 1]?.norm ?? 0;
    const items = layers.map((l) => {
      // bar length on a log scale: 8 decades below the largest norm → empty
      const decades = l.norm > 0 ? Math.log10(max / l.norm) : Infinity;
      const n = Math.max(0, Math.round(20 * (1 - Math.min(decades, 8) / 8)));
      return { label: l.label, description: `‖∂L/∂W‖ = ${l.norm.toExponential(2)}`, detail: `${'█'.repeat(n)}${'░'.repeat(20 - n)}` };
    });
    const ratio = first > 0 && last > 0 ? last / first : Infinity;
    void vscode.window.showQuickPick(items, {
      title: `Gradient flow at initialization: ${s.label}`,
      placeHolder: ratio > 100 ? `Last/first layer gradient ${ratio.toExponential(1)}×: the early layers barely learn (vanishing)` : `Gradient norms stay within ${ratio >= 1 ? ratio.toFixed(1) : (1 / ratio).toFixed(1)}× from first to last layer`,
      canPickMany: false,
    });
  }
  return { spec: s, layers };
}

export function registerCodeLens(context: vscode.ExtensionContext): void {
  const lenses = new ArchitectureLenses();
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(LINT_SELECTOR, lenses),
    vscode.commands.registerCommand(TRAIN_ARCHITECTURE, (args?: ArchitectureArgs) => trainArchitecture(context.extensionUri, args)),
    vscode.commands.registerCommand(GRADIENT_FLOW, (args?: ArchitectureArgs & { pick?: boolean }) => showGradientFlow(args, { pick: args?.pick })),
  );
}
