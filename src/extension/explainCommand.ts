// "Explain Activation at Cursor": the keyboard way to the hover. Finds the activation under
// the cursor with the same scanner as the hover (even where hovers are switched off in the
// settings), shows the hover there, and offers to open it in the explorer.
import * as vscode from 'vscode';
import type { ActivationHoverProvider } from './hover';

export const EXPLAIN_COMMAND = 'activationInspector.explainAtCursor';

/** What the command found, also its return value (for tests and other commands). */
export interface ExplainResult {
  readonly framework: string;
  readonly fn: string;
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export function registerExplainCommand(context: vscode.ExtensionContext, hover: ActivationHoverProvider): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async (): Promise<ExplainResult | undefined> => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Activation Inspector: open a Python, notebook, JavaScript or TypeScript file and put the cursor on an activation.');
        return undefined;
      }
      const found = hover.matchIn(editor.document, editor.selection.active, false);
      if (!found) {
        void vscode.window.showInformationMessage('Activation Inspector: no activation at the cursor (try a name such as nn.ReLU, F.gelu or activation="relu").');
        return undefined;
      }
      const { rm, range } = found;
      const result: ExplainResult = {
        framework: rm.match.framework,
        fn: rm.match.binding.names[0] as string,
        id: rm.resolved.entry.def.id,
        params: rm.params,
      };
      // Put the cursor inside the match so the hover appears on it, then show it.
      if (!range.contains(editor.selection.active)) editor.selection = new vscode.Selection(range.start, range.start);
      await vscode.commands.executeCommand('editor.action.showHover');
      return result;
    }),
  );
}
