// The webview side of the channel: acquireVsCodeApi() may be called once per page, so it
// is wrapped here. Outgoing messages are typed by the shared protocol.
import type { WebviewToHost } from '../../shared/protocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function get(): VsCodeApi {
  if (!api) {
    // Outside VS Code (a plain browser page used for tests) fall back to a no-op channel.
    api =
      typeof acquireVsCodeApi === 'function'
        ? acquireVsCodeApi()
        : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  }
  return api;
}

export function post(msg: WebviewToHost): void {
  get().postMessage(msg);
}

export function getState<T>(validate: (v: unknown) => v is T): T | undefined {
  const s = get().getState();
  return validate(s) ? s : undefined;
}

/** Persists UI state (restored by the panel serializer after a reload). */
export function setState(state: unknown): void {
  get().setState(state);
}
