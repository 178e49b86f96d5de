// UI tests: package the .vsix, start an isolated code-server on examples/ with it
// installed, then run every test/ui/**/*.test.ts with mocha in this process (TypeScript
// through tsx). The tests launch Debian's Chromium via playwright-core and save PNG
// screenshots to test-output/. Run directly: `node scripts/vscode/ui-tests.mjs`.
import { existsSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { register } from 'tsx/cjs/api';
import { EXAMPLES_DIR, ROOT, TEST_OUTPUT_DIR, UserError, chromiumPath, log } from './config.mjs';
import { startCodeServer } from './server.mjs';
import { killRunSync, onCleanup } from './cleanup.mjs';
import { CHROMIUM_ARGS } from './browser.mjs';
import { packageExtension } from '../package.mjs';

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(full));
    else if (e.name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

/** Run the UI suite once; returns { passed, failed, pending, seconds, vsixBytes }. */
export async function runUiTests({ vsix } = {}) {
  const files = findTests(join(ROOT, 'test', 'ui'));
  if (files.length === 0) throw new UserError('no test/ui/**/*.test.ts files');
  let vsixBytes;
  if (!vsix) ({ file: vsix, bytes: vsixBytes } = packageExtension({ quiet: true }));
  const t0 = Date.now();
  const server = await startCodeServer({ workspace: EXAMPLES_DIR, vsix, label: 'ui' });
  // Any Chromium the tests start keeps its profile in the run folder: killed with it.
  const unregister = onCleanup(() => killRunSync(undefined, server.runDir));
  try {
    Object.assign(process.env, {
      VSCODE_UI_URL: server.url,
      VSCODE_UI_RUN_DIR: server.runDir,
      VSCODE_UI_CHROMIUM: chromiumPath(),
      VSCODE_UI_CHROMIUM_ARGS: CHROMIUM_ARGS.join(' '),
    });
    mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
    // Failure screenshots of an earlier run would mislead: start without them.
    for (const f of readdirSync(TEST_OUTPUT_DIR)) if (/^FAILED-.*\.png$/.test(f)) rmSync(join(TEST_OUTPUT_DIR, f), { force: true });
    log(`code-server ${server.baseUrl} (pgid ${server.pgid}) with ${vsix.replace(`${ROOT}/`, '')}; running UI tests…`);
    const unregisterTsx = register();
    // A hang guard, not a speed limit: scaled like every wait in test/ui/workbench.ts.
    const patience = Math.max(1, Number(process.env.UI_PATIENCE) || 4);
    // One retry per test (env UI_RETRIES): a real workbench in a browser on a busy machine now
    // and then loses an event (a hover recomputed away, a keystroke before a picker listened).
    // A test fails only if it fails twice; every retry is printed and counted in the summary,
    // so a test that needs one is seen. Theme changes in the tests are idempotent for this.
    const retries = Math.max(0, Number(process.env.UI_RETRIES ?? 1));
    const mocha = new Mocha({ ui: 'bdd', timeout: 90_000 * patience, reporter: 'spec', color: process.stdout.isTTY, retries });
    if (process.env.UI_TEST_GREP) mocha.grep(process.env.UI_TEST_GREP);
    for (const f of files) mocha.addFile(f);
    const counts = { passed: 0, failed: 0, pending: 0, retried: [] };
    await new Promise((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', () => { counts.passed++; });
      runner.on('fail', () => { counts.failed++; });
      runner.on('pending', () => { counts.pending++; });
      runner.on('retry', (test, err) => {
        counts.retried.push(test.fullTitle());
        console.log(`      ↻ retrying "${test.title}" after: ${String(err?.message ?? err).split('\n')[0]}`);
      });
    });
    unregisterTsx();
    if (counts.retried.length) console.log(`\n${counts.retried.length} test(s) passed or failed only on a retry:\n${counts.retried.map((t) => `  ↻ ${t}`).join('\n')}`);
    return { ...counts, seconds: (Date.now() - t0) / 1000, vsixBytes };
  } finally {
    killRunSync(undefined, join(server.runDir, 'chromium-')); // browsers a failed test left open
    unregister();
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runUiTests({ vsix: process.argv[2] }).then(
    (r) => {
      console.log(`UI tests: ${r.passed} passed, ${r.failed} failed` + (r.pending ? `, ${r.pending} skipped` : '') + (r.retried.length ? ` (${r.retried.length} retried)` : ''));
      process.exit(r.failed ? 1 : 0);
    },
    (err) => {
      console.error(err instanceof UserError ? `\n${err.message}\n` : err);
      process.exit(1);
    },
  );
}
