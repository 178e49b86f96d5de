// Entry point of the VS Code extension. activate() only registers: every provider and
// command lives in its own module and starts heavy work only when asked for.
import * as vscode from 'vscode';
import { registerHover } from './hover';
import { registerDiagnostics } from './diagnostics';
import { registerCodeLens } from './codelens';
import { registerCommands, registerPanels } from './commands';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Activation Inspector', { log: true });
  context.subscriptions.push(log);
  registerHover(context);
  registerDiagnostics(context);
  registerCodeLens(context);
  registerCommands(context);
  registerPanels(context);
  log.info('Activation Inspector activated');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
