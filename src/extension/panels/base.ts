// What both panels share: the webview's message channel (validated on the way in), the
// ready handshake (messages wait until the page listens), and export requests answered by
// the page (it owns the canvases).
import * as vscode from 'vscode';
import type { ExportFormat, PanelKind, WebviewToHost } from '../../shared/protocol';
import { parseWebviewToHost } from '../../shared/protocol';

export type HostMessage = { readonly type: string };

/** One message a page posted: what the validator made of it (undefined = dropped as malformed). */
export interface Received {
  readonly message: WebviewToHost | undefined;
}

/** Every live panel, most recently focused last (exports act on the active one). */
const livePanels: BasePanel<HostMessage>[] = [];

export function activePanel(kind?: PanelKind): BasePanel | undefined {
  const list = kind ? livePanels.filter((p) => p.kind === kind) : livePanels;
  return list.find((p) => p.panel.active) ?? list[list.length - 1];
}

export function allPanels(): readonly BasePanel[] {
  return livePanels;
}

export abstract class BasePanel<M extends HostMessage = HostMessage> {
  private ready = false;
  private queue: M[] = [];
  private readyWaiters: (() => void)[] = [];
  private nextRequest = 1;
  private exports = new Map<number, { resolve: (data: string) => void; reject: (e: Error) => void }>();
  protected readonly disposables: vscode.Disposable[] = [];
  private readonly received = new vscode.EventEmitter<Received>();
  /** Fires for every message the page posts, after validation and before it is acted on. */
  readonly onDidReceive: vscode.Event<Received> = this.received.event;

  constructor(
    readonly kind: PanelKind,
    readonly panel: vscode.WebviewPanel,
  ) {
    livePanels.push(this);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (panel.active) {
          const i = livePanels.indexOf(this);
          if (i >= 0) livePanels.splice(i, 1);
          livePanels.push(this);
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /**
   * Posts now if the page is listening, else when it (re)loads: a hidden webview loses its
   * page, postMessage then reports false, and the message waits for the next 'ready'.
   */
  post(msg: M | { type: 'export/request'; requestId: number; format: ExportFormat }): void {
    const later = (): void => {
      if (this.queue.length < 1000) this.queue.push(msg as M);
    };
    if (!this.ready) later();
    else void this.panel.webview.postMessage(msg).then((ok) => ok || later(), later);
  }

  /** True for pages whose onReady re-sends everything: queued messages would be stale. */
  protected readonly resendsAllOnReady: boolean = false;

  /** Resolves once the page has announced itself (or immediately if it has). */
  whenReady(timeoutMs = 20000): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the ${this.kind} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Asks the page for an export; PNG comes back as a data URL, the others as text. */
  async requestExport(format: ExportFormat, timeoutMs = 20000): Promise<string> {
    await this.whenReady(timeoutMs);
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.exports.delete(requestId);
        reject(new Error('the panel did not answer the export request'));
      }, timeoutMs);
      this.exports.set(requestId, {
        resolve: (d) => {
          clearTimeout(t);
          resolve(d);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      this.post({ type: 'export/request', requestId, format });
    });
  }

  /** Validates, then dispatches. Anything malformed is reported to onDidReceive and ignored. */
  receive(raw: unknown): void {
    const msg = parseWebviewToHost(raw);
    this.received.fire({ message: msg });
    if (!msg) return;
    if (msg.type === 'ready') {
      if (msg.panel !== this.kind) return;
      this.ready = true;
      const q = this.queue;
      this.queue = [];
      this.onReady();
      // export requests always survive; other messages only where onReady did not resend all
      for (const m of q) if (!this.resendsAllOnReady || m.type === 'export/request') this.post(m);
      for (const w of this.readyWaiters.splice(0)) w();
      return;
    }
    if (msg.type === 'export/result') {
      const waiter = this.exports.get(msg.requestId);
      if (!waiter) return;
      this.exports.delete(msg.requestId);
      if (msg.ok) waiter.resolve(msg.data);
      else waiter.reject(new Error(msg.error));
      return;
    }
    this.onMessage(msg);
  }

  /** Called on each (re)load of the page: re-send whatever data the page needs. */
  protected abstract onReady(): void;
  protected abstract onMessage(msg: WebviewToHost): void;

  dispose(): void {
    const i = livePanels.indexOf(this);
    if (i < 0) return;
    livePanels.splice(i, 1);
    for (const w of this.exports.values()) w.reject(new Error('the panel was closed'));
    this.exports.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.received.dispose();
    this.onDispose();
    this.panel.dispose();
  }

  protected onDispose(): void {
    // subclasses release their resources
  }
}
