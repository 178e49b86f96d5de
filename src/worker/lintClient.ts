// Host side of the lint worker: one long-lived worker thread (dist/lintWorker.js), one
// request in flight, and per document only the latest text waiting — a request superseded
// by a newer one for the same document is answered `superseded` without being linted, so
// linting on every keystroke never queues up. No vscode import: the extension wraps this.
import { Worker } from 'node:worker_threads';
import type { SourceLang } from '../code/api';
import type { SeverityOverrides } from '../code/lint';
import { isLintReply, type LintRequest, type PartFinding } from './lintProtocol';

export interface LintJob {
  /** The document (or notebook) the text belongs to: a newer job for it supersedes this one. */
  readonly key: string;
  readonly lang: SourceLang;
  readonly parts: readonly string[];
  readonly cells: boolean;
  readonly severities: SeverityOverrides;
}

export type LintOutcome =
  | { readonly status: 'done'; readonly findings: readonly PartFinding[] }
  | { readonly status: 'superseded' }
  | { readonly status: 'failed'; readonly message: string };

interface Pending {
  readonly job: LintJob;
  readonly resolve: (o: LintOutcome) => void;
}

export class LintClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private inFlight: (Pending & { readonly id: number }) | undefined;
  private readonly waiting = new Map<string, Pending>();
  private disposed = false;

  /** `workerPath`: the bundled worker, e.g. path.join(extensionPath, 'dist', 'lintWorker.js'). */
  constructor(private readonly workerPath: string) {}

  /** Lints `job` in the worker. Never rejects. */
  lint(job: LintJob): Promise<LintOutcome> {
    if (this.disposed) return Promise.resolve({ status: 'failed', message: 'the lint worker was stopped' });
    this.waiting.get(job.key)?.resolve({ status: 'superseded' });
    return new Promise<LintOutcome>((resolve) => {
      this.waiting.set(job.key, { job, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight || this.disposed) return;
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [key, pending] = next.value;
    this.waiting.delete(key);
    const id = this.nextId++;
    this.inFlight = { ...pending, id };
    const { lang, parts, cells, severities } = pending.job;
    const msg: LintRequest = { type: 'lint', id, lang, parts, cells, severities };
    try {
      const w = this.ensureWorker();
      // Keep the process alive while a lint is owed; an idle worker must not.
      w.ref();
      w.postMessage(msg);
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.workerPath);
    w.on('message', (m: unknown) => {
      const f = this.inFlight;
      if (!isLintReply(m) || !f || m.id !== f.id) return;
      this.inFlight = undefined;
      w.unref();
      f.resolve(m.type === 'findings' ? { status: 'done', findings: m.findings } : { status: 'failed', message: m.message });
      this.pump();
    });
    w.on('error', (e) => {
      if (this.worker === w) this.fail(`lint worker: ${e.message}`);
    });
    w.on('exit', (code) => {
      if (this.worker === w) this.fail(`lint worker exited (code ${code})`);
    });
    this.worker = w;
    return w;
  }

  /** The worker died or could not start: answer the request in flight, start afresh on the next. */
  private fail(message: string): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
    const f = this.inFlight;
    this.inFlight = undefined;
    f?.resolve({ status: 'failed', message });
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.waiting.values()) p.resolve({ status: 'superseded' });
    this.waiting.clear();
    this.inFlight?.resolve({ status: 'superseded' });
    this.inFlight = undefined;
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }
}
