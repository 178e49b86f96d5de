// `npm test`: build, type-check, unit tests (mocha + tsx), extension-host tests inside
// a real VS Code (code-server), UI tests (Chromium + playwright-core, packaged .vsix).
// Prints each suite's counts and ends with one line `N passed, N failed[, N skipped][ (N retried)]`;
// exits non-zero on any failure. `--suites=unit,host,ui` runs a subset.
// code-server is provisioned into .vscode-test/ on first use; every server and browser
// is stopped on every path, Ctrl-C included (see scripts/vscode/server.mjs).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from './vscode/config.mjs';
import { onCleanup, installHandlers } from './vscode/cleanup.mjs';

installHandlers(); // Ctrl-C, SIGTERM, or npm's death: stop everything started below

const suitesArg = process.argv.find((a) => a.startsWith('--suites='));
const suites = new Set((suitesArg ? suitesArg.slice('--suites='.length) : 'unit,host,ui').split(','));

const total = { passed: 0, failed: 0, pending: 0, retried: 0 };
const rows = [];
const fmt = (c) => `${c.passed} passed, ${c.failed} failed` + (c.pending ? `, ${c.pending} skipped` : '') + (c.retried ? ` (${c.retried} retried)` : '');
const heading = (t) => console.log(`\n=== ${t} ${'='.repeat(Math.max(0, 70 - t.length))}`);

/** Run a command with inherited stdio (or teed, to parse mocha's summary); killed on Ctrl-C. */
function run(cmd, args, { tee = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', tee ? 'pipe' : 'inherit', 'inherit'], env: process.env });
    const unregister = onCleanup(() => { try { child.kill('SIGTERM'); } catch { /* gone */ } });
    let out = '';
    if (tee) child.stdout.on('data', (d) => { process.stdout.write(d); out += d; });
    child.on('error', (err) => { unregister(); resolve({ code: 127, out: String(err) }); });
    child.on('exit', (code, sig) => { unregister(); resolve({ code: sig ? 1 : code, out }); });
  });
}

/**
 * Run one step. A step with counts (a test suite) adds them to the total; a step
 * without (build, type-check, set-up) that fails, or a suite that crashes without
 * reporting a failure, counts as one failure.
 */
async function step(name, fn) {
  heading(name);
  const started = Date.now();
  let ok = false;
  let counts;
  try {
    const r = await fn();
    ok = r.ok;
    counts = r.counts;
  } catch (err) {
    console.error(err instanceof UserError ? `\n${err.message}\n` : err);
  }
  const seconds = (Date.now() - started) / 1000;
  if (counts) {
    counts = { passed: counts.passed, failed: counts.failed, pending: counts.pending ?? 0, retried: counts.retried?.length ?? 0 };
    if (!ok && counts.failed === 0) counts.failed = 1;
    total.passed += counts.passed; total.failed += counts.failed; total.pending += counts.pending; total.retried += counts.retried;
  } else if (!ok) {
    total.failed += 1;
  }
  const result = counts ? fmt(counts) : ok ? 'ok' : 'FAILED';
  rows.push([name, result, seconds]);
  console.log(`${name}: ${result} (${seconds.toFixed(1)} s)`);
  return ok;
}

/** Counts from mocha's spec summary: the last "N passing", "N failing", "N pending". */
function mochaCounts(out) {
  // eslint-disable-next-line no-control-regex
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const last = (word) => {
    const all = [...plain.matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  return { passed: last('passing'), failed: last('failing'), pending: last('pending') };
}

const t0 = Date.now();
const built = await step('build', async () => ({ ok: (await run(process.execPath, ['scripts/build.mjs'])).code === 0 }));
await step('type-check', async () => {
  const a = await run('npx', ['tsc', '--noEmit', '-p', '.']);
  const b = await run('npx', ['tsc', '--noEmit', '-p', 'test/ui']);
  // The webviews have their own DOM-lib tsconfig, so the root project does not cover them.
  const c = await run('npx', ['tsc', '--noEmit', '-p', 'src/webview']);
  return { ok: a.code === 0 && b.code === 0 && c.code === 0 };
});
if (suites.has('unit')) {
  await step('unit tests', async () => {
    // .mocharc.json may or may not name the spec; never pass it twice (mocha would run files twice).
    const rc = existsSync('.mocharc.json') ? JSON.parse(readFileSync('.mocharc.json', 'utf8')) : {};
    const r = await run('npx', rc.spec ? ['mocha'] : ['mocha', 'test/unit/**/*.test.ts'], { tee: true });
    return { ok: r.code === 0, counts: mochaCounts(r.out) };
  });
}
if ((suites.has('host') || suites.has('ui')) && built) {
  const provisioned = await step('code-server', async () => {
    const { ensureCodeServer, isProvisioned } = await import('./vscode/provision.mjs');
    const { codeServerDir } = await import('./vscode/config.mjs');
    const cached = isProvisioned();
    await ensureCodeServer();
    console.log(`${cached ? 'cached in' : 'provisioned into'} ${codeServerDir()}`);
    return { ok: true };
  });
  if (provisioned && suites.has('host')) {
    await step('extension-host tests (code-server)', async () => {
      const { runHostTests } = await import('./vscode/host-tests.mjs');
      const r = await runHostTests();
      console.log(`ran in: VS Code ${r.vscodeVersion}, vscode.env.appHost=${r.appHost}, appName=${r.appName}, uiKind=${r.uiKind}`);
      return { ok: r.failed === 0, counts: r };
    });
  }
  if (provisioned && suites.has('ui')) {
    await step('UI tests (Chromium + code-server, packaged .vsix)', async () => {
      const { runUiTests } = await import('./vscode/ui-tests.mjs');
      const r = await runUiTests();
      return { ok: r.failed === 0, counts: r };
    });
  }
}

heading('summary');
for (const [name, result, seconds] of rows) console.log(`${name.padEnd(50)} ${result.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s`);
console.log(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(fmt(total));
process.exit(total.failed > 0 ? 1 : 0);
