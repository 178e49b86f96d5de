// "Probe activations": a CodeLens above nn.Module classes and model factories runs the user's
// model once through python/activation_inspector (src/probe) and shows each activation site's
// numbers at its line: an inline annotation coloured by health, a hover with the numbers and
// histogram, and a warning where a layer is mostly dead or saturated. User code runs only on
// this explicit command, in a trusted workspace; the time limit and Cancel kill the whole
// Python process group.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { findModels, health, hoverMarkdown, inputShapeError, lineAnnotations, probeRefusal, warning, type Health, type LineAnnotation } from '../../probe/present';
import { runProbe } from '../../probe/python';
import type { ProbeSite } from '../../probe/types';
import { noteInstalled, useInstalledStorage } from '../installed';

export const PROBE_MODEL = 'activationInspector.probeModel';
export const CLEAR_PROBE = 'activationInspector.clearProbe';
const SHAPE_KEY = 'activationInspector.probe.inputShapes';

/** Optional 4th argument of the probe command (for keybindings, tasks and other extensions). */
export interface ProbeCommandOptions {
  /** The input shape ("64,16"; several inputs separated by ;): no prompt, and remembered. */
  readonly inputShape?: string;
}

/** What the probe command resolves to once the results are shown (or why it did not run). */
export type ProbeCommandResult =
  | {
      readonly ok: true;
      readonly file: string;
      readonly model: string;
      readonly inputShape: string;
      readonly sites: ProbeSite[];
      /** The inline annotations shown in that file (0-based lines). */
      readonly annotations: { readonly line: number; readonly text: string; readonly health: Health }[];
    }
  | { readonly ok: false; readonly error: string };

interface PythonExtensionApi {
  environments?: { getActiveEnvironmentPath?: (resource?: vscode.Uri) => { path: string } | undefined };
}

/** The Python extension's selected interpreter, else activationInspector.python, else python3. */
async function interpreter(uri: vscode.Uri): Promise<{ path: string; source: string }> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (ext) {
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const p = api?.environments?.getActiveEnvironmentPath?.(uri)?.path;
      if (p) return { path: p, source: 'the Python extension\'s selected interpreter' };
    } catch {
      /* fall through to the setting */
    }
  }
  const set = vscode.workspace.getConfiguration('activationInspector', uri).get<string>('python', '').trim();
  if (set) return { path: set, source: 'the setting activationInspector.python' };
  return { path: 'python3', source: 'python3 on PATH' };
}

class ModelLenses implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('activationInspector.probe', doc.uri).get<boolean>('codeLens', true)) return [];
    if (doc.uri.scheme !== 'file') return [];
    return findModels(doc.getText()).map((m) => {
      const range = new vscode.Range(m.line, 0, m.line, 0);
      return new vscode.CodeLens(range, {
        title: '$(pulse) Probe activations',
        command: PROBE_MODEL,
        arguments: [doc.uri.toString(), m.name, m.shapeGuess],
        tooltip: `Run ${m.name} once on a random batch (your code, in your Python) and show each activation's dead/saturated fraction and gradient norm at its line`,
      });
    });
  }
}

const COLOURS: Record<Health, vscode.ThemeColor> = {
  ok: new vscode.ThemeColor('testing.iconPassed'),
  warn: new vscode.ThemeColor('editorWarning.foreground'),
  bad: new vscode.ThemeColor('editorError.foreground'),
};

class Results implements vscode.Disposable {
  private readonly types = new Map<Health, vscode.TextEditorDecorationType>(
    (['ok', 'warn', 'bad'] as const).map((h) => [h, vscode.window.createTextEditorDecorationType({ after: { color: COLOURS[h], margin: '0 0 0 2em', fontStyle: 'italic' } })]),
  );
  private readonly byUri = new Map<string, ProbeSite[]>();
  readonly diagnostics = vscode.languages.createDiagnosticCollection('activationInspector.probe');

  set(sites: ProbeSite[]): void {
    const files = new Map<string, ProbeSite[]>();
    for (const s of sites) {
      if (!s.file || s.line === null) continue;
      const key = vscode.Uri.file(s.file).toString();
      files.set(key, [...(files.get(key) ?? []), s]);
    }
    for (const [uri, list] of files) {
      this.byUri.set(uri, list);
      const diags = list.flatMap((s) => {
        const msg = warning(s);
        if (!msg) return [];
        const line = (s.line as number) - 1;
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), msg, vscode.DiagnosticSeverity.Warning);
        d.source = 'Activation Inspector probe';
        d.code = { value: s.dead_fraction !== null && s.dead_fraction >= 0.5 ? 'dying-relu' : 'saturation', target: vscode.Uri.parse('command:activationInspector.runDemo') };
        return [d];
      });
      this.diagnostics.set(vscode.Uri.parse(uri), diags);
    }
    this.refresh();
  }

  clear(uri?: string): void {
    if (uri) {
      this.byUri.delete(uri);
      this.diagnostics.delete(vscode.Uri.parse(uri));
    } else {
      this.byUri.clear();
      this.diagnostics.clear();
    }
    this.refresh();
  }

  /** The annotations shown for `uri` (0-based lines). */
  annotations(doc: vscode.TextDocument): LineAnnotation[] {
    return lineAnnotations(this.byUri.get(doc.uri.toString()) ?? [], doc.lineCount);
  }

  refresh(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const shown = this.annotations(editor.document);
      for (const [h, type] of this.types) {
        editor.setDecorations(
          type,
          shown
            .filter((a) => a.health === h)
            .map((a) => {
              const end = editor.document.lineAt(a.line).range.end;
              const hover = new vscode.MarkdownString(a.sites.map(hoverMarkdown).join('\n\n---\n\n'));
              return { range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: a.text } } };
            }),
        );
      }
    }
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
    this.diagnostics.dispose();
  }
}

export function registerProbe(context: vscode.ExtensionContext): void {
  useInstalledStorage(context.workspaceState);
  const results = new Results();
  const log = vscode.window.createOutputChannel('Activation Inspector: probe');
  context.subscriptions.push(
    results,
    log,
    vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, new ModelLenses()),
    vscode.window.onDidChangeVisibleTextEditors(() => results.refresh()),
    // An edit makes the line numbers stale: drop that file's results.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) results.clear(e.document.uri.toString());
    }),
    vscode.commands.registerCommand(CLEAR_PROBE, () => results.clear()),
    vscode.commands.registerCommand(
      PROBE_MODEL,
      async (uriArg?: string, modelArg?: string, shapeGuess?: string, options?: ProbeCommandOptions): Promise<ProbeCommandResult> => {
        const fail = (error: string, show?: 'warning' | 'error'): ProbeCommandResult => {
          if (show === 'warning') void vscode.window.showWarningMessage(error);
          else if (show === 'error') void vscode.window.showErrorMessage(`Activation Inspector: ${error}`);
          return { ok: false, error };
        };
        const uri = uriArg ? vscode.Uri.parse(uriArg) : vscode.window.activeTextEditor?.document.uri;
        const refusal = probeRefusal({ trusted: vscode.workspace.isTrusted, scheme: uri?.scheme });
        if (refusal || !uri) return fail(refusal ?? 'no file', 'warning');
        const doc = await vscode.workspace.openTextDocument(uri);
        if (doc.isDirty) await doc.save();
        let model = modelArg;
        if (!model) {
          const models = findModels(doc.getText());
          const pick = await vscode.window.showQuickPick(
            models.map((m) => ({ label: m.name, description: m.kind, m })),
            { placeHolder: 'Model class or factory to probe (or press Escape)' },
          );
          model = pick?.label ?? (await vscode.window.showInputBox({ prompt: 'Model: a class, a factory or an expression such as Net(hidden=16)' }));
          shapeGuess = pick?.m.shapeGuess;
        }
        if (!model) return fail('no model chosen');
        const shapes = context.workspaceState.get<Record<string, string>>(SHAPE_KEY, {});
        const key = `${uri.toString()}#${model}`;
        let shape = options?.inputShape ?? shapes[key];
        if (shape !== undefined) {
          const bad = inputShapeError(shape);
          if (bad) return fail(`input shape "${shape}": ${bad}`, 'error');
        } else {
          shape = await vscode.window.showInputBox({
            prompt: `Input shape for ${model} (batch first; several inputs separated by ;)`,
            value: shapeGuess ?? '8,3,32,32',
            validateInput: (v) => inputShapeError(v),
          });
          if (!shape) return fail('no input shape given');
        }
        const inputShape = shape;
        const py = await interpreter(uri);
        const timeout = vscode.workspace.getConfiguration('activationInspector.probe', uri).get<number>('timeout', 120);
        const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
        const name = model;
        const outcome = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Probing ${name} with ${py.path}…`, cancellable: true },
          (_progress, token) => {
            const ac = new AbortController();
            token.onCancellationRequested(() => ac.abort());
            return runProbe({ python: py.path, file: uri.fsPath, model: name, inputShape, cwd: folder, timeoutMs: timeout * 1000, signal: ac.signal, packageDir: join(context.extensionPath, 'python') });
          },
        );
        if (!outcome.ok) {
          log.appendLine(`probe ${uri.fsPath} --model ${name} --input-shape ${inputShape}: ${outcome.error}`);
          if (outcome.traceback) log.appendLine(outcome.traceback);
          if (outcome.stderr) log.appendLine(outcome.stderr);
          if (outcome.error === 'cancelled') return fail('cancelled');
          if (outcome.noTorch) {
            const msg = `${outcome.error}. The interpreter comes from ${py.source}; point the setting activationInspector.python at a Python with PyTorch.`;
            void vscode.window.showErrorMessage(`Activation Inspector: ${msg}`, 'Open Settings').then((open) => {
              if (open) void vscode.commands.executeCommand('workbench.action.openSettings', 'activationInspector.python');
            });
            return fail(msg);
          }
          return fail(outcome.error, 'error');
        }
        // Remembered once it worked (a shape the model rejects would otherwise be retried silently).
        if (shapes[key] !== inputShape) await context.workspaceState.update(SHAPE_KEY, { ...context.workspaceState.get<Record<string, string>>(SHAPE_KEY, {}), [key]: inputShape });
        results.clear(uri.toString());
        results.set(outcome.result.sites);
        // the interpreter's torch version: hovers then say which version-dependent value applies
        await noteInstalled('torch', outcome.result.torch);
        const bad = outcome.result.sites.filter((s) => health(s) === 'bad').length;
        void vscode.window.setStatusBarMessage(`Activation Inspector: ${outcome.result.sites.length} activation sites probed${bad ? `, ${bad} unhealthy` : ''}`, 8000);
        return {
          ok: true,
          file: uri.fsPath,
          model: name,
          inputShape,
          sites: outcome.result.sites,
          annotations: results.annotations(doc).map(({ line, text, health: h }) => ({ line, text, health: h })),
        };
      },
    ),
  );
}
