// Entry point of the VS Code extension. activate() only registers: every provider and
// command lives in its own module and starts heavy work only when asked for.
import * as vscode from 'vscode';
import { registerExplainCommand } from './explainCommand';
import { registerHover } from './hover';
import { registerDiagnostics } from './diagnostics';
import { registerCodeLens } from './codelens';
import { registerCommands, registerPanels } from './commands';
import { registerProbe } from './probe/probe';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Activation Inspector', { log: true });
  context.subscriptions.push(log);
  const parts: [string, (c: vscode.ExtensionContext) => void][] = [
    ['hovers', (c) => registerExplainCommand(c, registerHover(c))],
    ['diagnostics', registerDiagnostics],
    ['code lenses', registerCodeLens],
    ['commands', registerCommands],
    ['panels', registerPanels],
    ['probe', registerProbe],
  ];
  // One failing part must not take the others down, and the user must hear about it.
  for (const [name, register] of parts) {
    try {
      register(context);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log.error(`could not register ${name}: ${msg}`);
      void vscode.window.showErrorMessage(`Activation Inspector: ${name} are unavailable (${msg}). See the "Activation Inspector" output for details.`);
    }
  }
  log.info('Activation Inspector activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
