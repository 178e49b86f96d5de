// The extension host's event loop while a 20,000-line file is linted on every keystroke:
// BEFORE — lint on the host thread (as the extension did); AFTER — lint in the worker
// (src/worker/lintClient.ts + dist/lintWorker.js, as the extension does now). Both in one
// process, same file, same keystroke rate. Reports monitorEventLoopDelay percentiles.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { lintText } from '../src/code/lint';
import { LintClient } from '../src/worker/lintClient';
import { syntheticPython } from './hoverBench';

export interface LoopDelay {
  readonly label: string;
  readonly keystrokes: number;
  /** Lints that completed (the worker skips texts superseded by a newer keystroke). */
  readonly lints: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Calls `keystroke` every `everyMs` for `seconds`, measuring the event-loop delay meanwhile. */
async function measure(label: string, seconds: number, everyMs: number, keystroke: (k: number) => void, lints: () => number): Promise<LoopDelay> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const end = performance.now() + seconds * 1000;
  let k = 0;
  await new Promise<void>((done) => {
    const t = setInterval(() => {
      if (performance.now() >= end) {
        clearInterval(t);
        done();
        return;
      }
      keystroke(k++);
    }, everyMs);
  });
  h.disable();
  const ms = (ns: number): number => ns / 1e6;
  return { label, keystrokes: k, lints: lints(), p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

export async function benchmarkLintLoop(opts: { workerPath: string; lines?: number; seconds?: number; everyMs?: number }): Promise<{ lines: number; idle: LoopDelay; before: LoopDelay; after: LoopDelay }> {
  const lines = opts.lines ?? 20000;
  const seconds = opts.seconds ?? 10;
  const everyMs = opts.everyMs ?? 50;
  const base = syntheticPython(lines);
  // Each keystroke changes the text (one more character in a trailing comment).
  const edited = (k: number): string => `${base}\n# ${'x'.repeat(k % 64)}`;

  // The machine's own noise: the same timer with nothing to do on each keystroke.
  const idle = await measure('no lint (noise floor)', seconds, everyMs, () => undefined, () => 0);

  let hostLints = 0;
  const before = await measure('lint on the host thread', seconds, everyMs, (k) => {
    lintText(edited(k), 'python');
    hostLints++;
  }, () => hostLints);

  const client = new LintClient(opts.workerPath);
  let workerLints = 0;
  // Start the worker (and its first lint) before measuring, as the extension's first open does.
  await client.lint({ key: 'warm-up', lang: 'python', parts: [base], cells: false, severities: {} });
  const after = await measure('lint in the worker', seconds, everyMs, (k) => {
    void client.lint({ key: 'doc', lang: 'python', parts: [edited(k)], cells: false, severities: {} }).then((r) => {
      if (r.status === 'done') workerLints++;
      else if (r.status === 'failed') throw new Error(r.message);
    });
  }, () => workerLints);
  client.dispose();
  return { lines, idle, before, after };
}
