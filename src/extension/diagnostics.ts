// Activation-pitfall diagnostics (AI001–AI010) for Python, notebook cells and JS/TS, with
// quick fixes. The rules are the pure linter in src/code/lint, run in a worker thread
// (src/worker/lintWorker.ts); this file maps documents, settings (`activationInspector.lint.*`)
// and offsets to VS Code. Documents are linted on open, 300 ms after the last change, and
// cleared on close. A notebook is linted as one text (its code cells joined) so later cells
// see earlier imports.
import * as vscode from 'vscode';
import { LintClient, type LintJob } from '../worker/lintClient';
import type { PartFinding } from '../worker/lintProtocol';
import { codeCells, documentText, notebookOf } from './documents';
import { lintCells, lintText, RULES, RULE_CODES, isSeveritySetting, type LintFinding, type LintTarget, type SeverityOverrides } from '../code/lint';

const SECTION = 'activationInspector.lint';
const SOURCE = 'Activation Inspector';
const DEBOUNCE_MS = 300;
const JS_LANGUAGES = new Set(['javascript', 'typescript', 'javascriptreact', 'typescriptreact']);
const CELL_SCHEME = 'vscode-notebook-cell';

export const LINT_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'javascript' },
  { language: 'typescript' },
  { language: 'javascriptreact' },
  { language: 'typescriptreact' },
  { scheme: CELL_SCHEME, language: 'python' },
];

/** Settings → severity overrides ('off' drops a rule; lint.enabled=false drops all). */
export function lintSettings(scope?: vscode.ConfigurationScope): { enabled: boolean; severities: SeverityOverrides } {
  const cfg = vscode.workspace.getConfiguration(SECTION, scope);
  const severities: SeverityOverrides = {};
  for (const code of RULE_CODES) {
    const v = cfg.get<string>(RULES[code].key);
    if (isSeveritySetting(v)) severities[code] = v;
  }
  return { enabled: cfg.get<boolean>('enabled', true) !== false, severities };
}

function toSeverity(s: LintFinding['severity']): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
    default:
      return vscode.DiagnosticSeverity.Warning;
  }
}

/** The command URI a diagnostic's code links to (the explorer on an activation, or a demo). */
export function targetUri(t: LintTarget): vscode.Uri {
  const [cmd, arg] = t.kind === 'explorer' ? ['activationInspector.openExplorer', { id: t.id, framework: t.framework }] : ['activationInspector.runDemo', { id: t.id }];
  return vscode.Uri.parse(`command:${cmd}?${encodeURIComponent(JSON.stringify([arg]))}`);
}

function toDiagnostic(doc: vscode.TextDocument, f: LintFinding): vscode.Diagnostic {
  const range = new vscode.Range(doc.positionAt(f.start), doc.positionAt(Math.max(f.start, f.end)));
  const d = new vscode.Diagnostic(range, f.message, toSeverity(f.severity));
  d.source = SOURCE;
  d.code = { value: f.code, target: targetUri(f.target ?? RULES[f.code].target) };
  return d;
}

// Real documents only: not diff views of old revisions (git:), output channels or search results.
const SCHEMES = new Set(['file', 'untitled', CELL_SCHEME, 'vscode-remote', 'vscode-vfs', 'vscode-userdata']);

function isLintable(doc: vscode.TextDocument): boolean {
  return SCHEMES.has(doc.uri.scheme) && (doc.languageId === 'python' || JS_LANGUAGES.has(doc.languageId));
}

/** Findings for a document, linted on this thread (a notebook cell: those of its notebook that fall in it). */
export function findingsFor(doc: vscode.TextDocument): LintFinding[] {
  const { enabled, severities } = lintSettings(doc.uri);
  if (!enabled || !isLintable(doc)) return [];
  const src = documentText(doc);
  if (!src) return [];
  // A notebook cell: its notebook's cells are linted together; the cell keeps its own findings.
  if (src.key !== doc.uri.toString()) return lintCells(src.parts(), { severities }).filter((x) => x.cell === src.part).map((x) => x.finding);
  return lintText(doc.getText(), src.lang, { severities });
}

interface Linted {
  readonly version: number;
  readonly findings: readonly LintFinding[];
}

/**
 * Diagnostics for open documents, linted in a worker thread (dist/lintWorker.js) so a large
 * file never blocks the extension host: on open, 300 ms after the last change, on settings
 * changes; cleared on close. A notebook is linted as one text (its code cells joined).
 */
export class LintDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('activationInspector');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subs: vscode.Disposable[] = [];
  /** Findings of each document's last lint, for the quick fixes of that version. */
  private readonly linted = new Map<string, Linted>();
  private readonly client: LintClient;

  constructor(workerPath: string) {
    this.client = new LintClient(workerPath);
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => void this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => void this.refreshNotebook(nb)),
      // cells added or removed; edits inside a cell arrive (debounced) as text changes
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length > 0) void this.refreshNotebook(e.notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => nb.getCells().forEach((c) => this.clear(c.document))),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.refreshAll();
      }),
    );
    // The documents already open are linted after activate() returns, not inside it.
    this.timers.set('', setTimeout(() => {
      this.timers.delete('');
      this.refreshAll();
    }, 0));
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) void this.refresh(d);
  }

  /** Lints now (in the worker); a notebook cell relints its whole notebook. Resolves when the diagnostics are set. */
  async refresh(doc: vscode.TextDocument): Promise<void> {
    const nb = notebookOf(doc);
    if (nb) return this.refreshNotebook(nb);
    if (!isLintable(doc)) return;
    const version = doc.version;
    const found = await this.lintInWorker(doc.uri, { key: doc.uri.toString(), lang: JS_LANGUAGES.has(doc.languageId) ? 'js' : 'python', parts: [doc.getText()], cells: false });
    // Superseded, or the document changed or closed meanwhile: a newer lint will set it.
    if (!found || doc.isClosed || doc.version !== version) return;
    const findings = found.map((x) => x.finding);
    this.linted.set(doc.uri.toString(), { version, findings });
    this.collection.set(doc.uri, findings.map((f) => toDiagnostic(doc, f)));
  }

  private async refreshNotebook(nb: vscode.NotebookDocument): Promise<void> {
    const cells = codeCells(nb);
    const versions = cells.map((c) => c.document.version);
    const found = await this.lintInWorker(nb.uri, { key: nb.uri.toString(), lang: 'python', parts: cells.map((c) => c.document.getText()), cells: true });
    if (!found || nb.isClosed || cells.some((c, i) => c.document.version !== versions[i])) return;
    cells.forEach((c, i) => {
      const findings = found.filter((x) => x.part === i).map((x) => x.finding);
      this.linted.set(c.document.uri.toString(), { version: c.document.version, findings });
      this.collection.set(c.document.uri, findings.map((f) => toDiagnostic(c.document, f)));
    });
  }

  /** Findings in the worker; [] when lint is disabled; undefined when superseded. */
  private async lintInWorker(scope: vscode.Uri, job: Omit<LintJob, 'severities'>): Promise<readonly PartFinding[] | undefined> {
    const { enabled, severities } = lintSettings(scope);
    if (!enabled) return [];
    if (job.parts.every((p) => p.length === 0)) return [];
    const r = await this.client.lint({ ...job, severities });
    if (r.status === 'done') return r.findings;
    if (r.status === 'superseded') return undefined;
    // The worker is unavailable (missing bundle, crash): lint here rather than show nothing.
    return job.cells ? lintCells(job.parts, { severities }).map((x) => ({ part: x.cell, finding: x.finding })) : lintText(job.parts[0] as string, job.lang, { severities }).map((finding) => ({ part: 0, finding }));
  }

  /** The findings of the document's current version: from its last lint, else linted now in the worker. */
  async findings(doc: vscode.TextDocument): Promise<readonly LintFinding[]> {
    const last = this.linted.get(doc.uri.toString());
    if (last && last.version === doc.version) return last.findings;
    await this.refresh(doc);
    const now = this.linted.get(doc.uri.toString());
    return now && now.version === doc.version ? now.findings : findingsFor(doc);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isLintable(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.refresh(doc);
      }, DEBOUNCE_MS),
    );
  }

  private clear(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.linted.delete(key);
    this.collection.delete(doc.uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subs) s.dispose();
    this.client.dispose();
    this.collection.dispose();
  }
}

/** Quick fixes from the findings of the document's current version, so the edits always match it. */
export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: LintDiagnostics) {}

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    if (ours.length === 0) return [];
    const out: vscode.CodeAction[] = [];
    for (const f of await this.diagnostics.findings(doc)) {
      const fr = new vscode.Range(doc.positionAt(f.start), doc.positionAt(Math.max(f.start, f.end)));
      if (!fr.intersection(range) && !fr.contains(range)) continue;
      const diag = ours.find((d) => d.range.isEqual(fr) && (typeof d.code === 'object' ? d.code.value : d.code) === f.code);
      if (!diag) continue;
      for (const fx of f.fixes) {
        const a = new vscode.CodeAction(fx.title, vscode.CodeActionKind.QuickFix);
        const edit = new vscode.WorkspaceEdit();
        for (const e of fx.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
        a.edit = edit;
        a.diagnostics = [diag];
        a.isPreferred = fx.preferred === true;
        out.push(a);
      }
    }
    return out;
  }
}

export function registerDiagnostics(context: vscode.ExtensionContext): LintDiagnostics {
  const diags = new LintDiagnostics(vscode.Uri.joinPath(context.extensionUri, 'dist', 'lintWorker.js').fsPath);
  context.subscriptions.push(diags, vscode.languages.registerCodeActionsProvider(LINT_SELECTOR, new LintCodeActions(diags), { providedCodeActionKinds: LintCodeActions.kinds }));
  return diags;
}
