// The lint worker (bundled to dist/lintWorker.js): lints documents off the extension host's
// thread, one request at a time, so a 20,000-line file never blocks the editor.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { lintCells, lintText } from '../code/lint';
import { isLintRequest, type LintReply, type LintRequest } from './lintProtocol';

export function answer(m: LintRequest): LintReply {
  try {
    const findings = m.cells ? lintCells(m.parts, { severities: m.severities }).map((x) => ({ part: x.cell, finding: x.finding })) : lintText(m.parts[0] as string, m.lang, { severities: m.severities }).map((finding) => ({ part: 0, finding }));
    return { type: 'findings', id: m.id, findings };
  } catch (e) {
    return { type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) };
  }
}

// Background work: on Linux the nice value is per thread, so this lowers only this thread and
// the extension host's thread wins the CPU when both want it (elsewhere it may not apply).
try {
  setPriority(10);
} catch {
  // not permitted or not supported: lint at normal priority
}

parentPort?.on('message', (m: unknown) => {
  if (isLintRequest(m)) parentPort?.postMessage(answer(m));
});
