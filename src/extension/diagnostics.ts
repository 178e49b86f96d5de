// Activation-pitfall diagnostics (AI001–AI007) for Python, notebook cells and JS/TS, with
// quick fixes. The rules are the pure linter in src/code/lint; this file maps documents,
// settings (`activationInspector.lint.*`) and offsets to VS Code. Documents are linted on
// open, 300 ms after the last change, and cleared on close. A notebook is linted as one
// text (its code cells joined) so later cells see earlier imports.
import * as vscode from 'vscode';
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

/** Findings for a document (a notebook cell: those of its notebook that fall in it). */
export function findingsFor(doc: vscode.TextDocument): LintFinding[] {
  const { enabled, severities } = lintSettings(doc.uri);
  if (!enabled || !isLintable(doc)) return [];
  const src = documentText(doc);
  if (!src) return [];
  // A notebook cell: its notebook's cells are linted together; the cell keeps its own findings.
  if (src.key !== doc.uri.toString()) return lintCells(src.parts(), { severities }).filter((x) => x.cell === src.part).map((x) => x.finding);
  return lintText(doc.getText(), src.lang, { severities });
}

export class LintDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('activationInspector');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.refreshNotebook(nb)),
      // cells added or removed; edits inside a cell arrive (debounced) as text changes
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.contentChanges.length > 0) this.refreshNotebook(e.notebook);
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
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  /** Lints now (tests and the first open); a notebook cell relints its whole notebook. */
  refresh(doc: vscode.TextDocument): void {
    const nb = notebookOf(doc);
    if (nb) return this.refreshNotebook(nb);
    if (!isLintable(doc)) return;
    this.collection.set(doc.uri, findingsFor(doc).map((f) => toDiagnostic(doc, f)));
  }

  private refreshNotebook(nb: vscode.NotebookDocument): void {
    const { enabled, severities } = lintSettings(nb.uri);
    const cells = codeCells(nb);
    const found = enabled ? lintCells(cells.map((c) => c.document.getText()), { severities }) : [];
    cells.forEach((c, i) => this.collection.set(c.document.uri, found.filter((x) => x.cell === i).map((x) => toDiagnostic(c.document, x.finding))));
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
        this.refresh(doc);
      }, DEBOUNCE_MS),
    );
  }

  private clear(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.collection.delete(doc.uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subs) s.dispose();
    this.collection.dispose();
  }
}

/** Quick fixes: re-lints the current text, so the edits always match the document. */
export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    if (ours.length === 0) return [];
    const out: vscode.CodeAction[] = [];
    for (const f of findingsFor(doc)) {
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
  const diags = new LintDiagnostics();
  context.subscriptions.push(diags, vscode.languages.registerCodeActionsProvider(LINT_SELECTOR, new LintCodeActions(), { providedCodeActionKinds: LintCodeActions.kinds }));
  return diags;
}
