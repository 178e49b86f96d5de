// The Activation Explorer panel. The page computes values itself (pure engine bundled in)
// and keeps its UI state with setState, so after a reload the host only has to deliver
// curves that commands asked for before the page was ready. The page also posts its state
// after changes; the host keeps the last one in workspace storage and hands it to the next
// Explorer it creates, so closing the panel loses nothing.
import * as vscode from 'vscode';
import type { Dtype } from '../../engine/precision/round';
import { type CurveSpec, type ExplorerState, type HostToExplorer, isExplorerState, type WebviewToHost } from '../../shared/protocol';
import { BasePanel } from './base';
import { buildHtml, webviewOptions } from './html';

export const EXPLORER_VIEW_TYPE = 'activationInspector.explorer';

const STATE_KEY = 'activationInspector.explorer.state';

export class ExplorerPanel extends BasePanel<HostToExplorer> {
  static current: ExplorerPanel | undefined;
  /** Workspace storage for the last state a page posted (set by registerPanels). */
  static storage: vscode.Memento | undefined;

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
  ) {
    super('explorer', panel);
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    const kept = ExplorerPanel.storage?.get<unknown>(STATE_KEY);
    panel.webview.html = buildHtml(panel.webview, extensionUri, 'explorer', 'Activation Explorer', isExplorerState(kept) ? kept : undefined);
    ExplorerPanel.current = this;
  }

  /** Opens (or reveals) the explorer; `curves` are added to, or replace, what it shows (in `dtype`, if given). */
  static createOrShow(extensionUri: vscode.Uri, curves: readonly CurveSpec[] = [], replace = false, dtype?: Dtype): ExplorerPanel {
    let p = ExplorerPanel.current;
    if (p) p.panel.reveal(p.panel.viewColumn ?? vscode.ViewColumn.Beside, false);
    else {
      const panel = vscode.window.createWebviewPanel(EXPLORER_VIEW_TYPE, 'Activation Explorer', vscode.ViewColumn.Beside, webviewOptions(extensionUri));
      p = new ExplorerPanel(panel, extensionUri);
    }
    if (curves.length) p.post({ type: 'explorer/show', curves, replace, ...(dtype ? { dtype } : {}) });
    return p;
  }

  /** Re-attaches to a panel VS Code restored after a reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): ExplorerPanel {
    ExplorerPanel.current?.dispose();
    return new ExplorerPanel(panel, extensionUri);
  }

  protected onReady(): void {
    // Nothing to re-send: the page restores its curves from its own saved state.
  }

  protected onMessage(msg: WebviewToHost): void {
    if (msg.type === 'explorer/open') this.post({ type: 'explorer/show', curves: [msg.curve], replace: false });
    else if (msg.type === 'explorer/state') void ExplorerPanel.storage?.update(STATE_KEY, msg.state satisfies ExplorerState);
  }

  protected override onDispose(): void {
    if (ExplorerPanel.current === this) ExplorerPanel.current = undefined;
  }
}
