// Extension-host tests in code-server: bundle test/host/** to out/test/host/, start an
// isolated code-server on examples/, open the workbench in headless Chromium with the
// `payload` URL parameter (code-server's way to pass extensionDevelopmentPath and
// extensionTestsPath), stream mocha's output, and wait for window.codeAutomationExit.
// Run directly: `node scripts/vscode/host-tests.mjs` (build the extension first).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { appendFileSync, mkdirSync } from 'node:fs';
import { format } from 'node:util';
import { EXAMPLES_DIR, ROOT, TEST_OUTPUT_DIR, UserError, log } from './config.mjs';
import { startCodeServer } from './server.mjs';
import { launchBrowser } from './browser.mjs';

export const HOST_OUT = join(ROOT, 'out', 'test', 'host');

function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...findFiles(full, suffix));
    else if (e.name.endsWith(suffix)) out.push(full);
  }
  return out.sort();
}

/** Bundle test/host/index.ts and every test/host/**\/*.test.ts (vscode, mocha external). */
export async function buildHostTests() {
  const src = join(ROOT, 'test', 'host');
  const tests = findFiles(src, '.test.ts');
  if (tests.length === 0) throw new UserError('no test/host/**/*.test.ts files');
  rmSync(HOST_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(src, 'index.ts'), ...tests],
    outdir: HOST_OUT,
    outbase: src,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return tests.map((t) => relative(ROOT, t));
}

/**
 * Forwarded extension-host logs arrive as console.log('%c INFO', 'color: …', fmt, ...args):
 * drop the styling pair and apply the original printf-style format.
 */
async function formatConsole(msg) {
  const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => '?')));
  if (typeof values[0] === 'string' && values[0].startsWith('%c')) {
    const level = values[0].slice(2).trim();
    return { level, text: format(...values.slice(2)) };
  }
  return { level: msg.type(), text: msg.text() };
}

/**
 * Run the host tests once. Returns { passed, failed, pending, host, seconds }.
 * Never throws for test failures (they are counted); throws for set-up problems.
 */
export async function runHostTests({ build = true, timeoutMs = Number(process.env.HOST_TEST_TIMEOUT_MS) || 2_400_000 } = {}) {
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    throw new UserError('dist/extension.js is missing: run `node scripts/build.mjs` first');
  }
  if (build) {
    const files = await buildHostTests();
    log(`host tests bundled: ${files.join(', ')}`);
  }
  const t0 = Date.now();
  // test/host/index.ts writes its counts to HOST_TEST_RESULTS (the extension host
  // inherits the server's environment); the HOST-RESULTS console line is the fallback.
  const server = await startCodeServer({
    workspace: EXAMPLES_DIR, label: 'host',
    env: (runDir) => ({ HOST_TEST_RESULTS: join(runDir, 'host-results.json') }),
  });
  const resultsFile = join(server.runDir, 'host-results.json');
  let browser;
  try {
    browser = await launchBrowser(server.runDir);
    const { page } = browser;
    let resultLine;
    const exitCode = new Promise((resolve) => {
      page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))).catch(() => {});
    });
    // Mocha's output is everything the extension host logs between the HOST: line and
    // the HOST-RESULTS line; the whole browser console goes to test-output/ for diagnosis.
    mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
    const consoleLog = join(TEST_OUTPUT_DIR, 'host-console.log');
    rmSync(consoleLog, { force: true });
    let inTests = false;
    let chain = Promise.resolve();
    page.on('console', (msg) => {
      // Keep the order of messages although formatting them is asynchronous.
      chain = chain.then(async () => {
        const { level, text } = await formatConsole(msg);
        appendFileSync(consoleLog, `[${level}] ${text}\n`);
        if (text.startsWith('HOST: ')) { inTests = true; console.log(`  ${text}`); return; }
        if (text.startsWith('HOST-RESULTS ')) { inTests = false; resultLine = text.slice('HOST-RESULTS '.length); return; }
        if (inTests && (level === 'INFO' || level === 'ERR')) console.log(`  ${text}`);
      });
    });
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://remote${ROOT}`],
      ['extensionTestsPath', `vscode-remote://remote${join(HOST_OUT, 'index.js')}`],
    ]);
    log(`code-server ${server.baseUrl} (pgid ${server.pgid}); running host tests…`);
    await page.goto(`${server.url}&payload=${encodeURIComponent(payload)}`);
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs));
    const code = await Promise.race([exitCode, timeout]);
    if (code === 'timeout') {
      throw new Error(`host tests did not finish within ${timeoutMs / 1000} s; server log: ${server.logFile}`);
    }
    await chain;
    let results;
    if (existsSync(resultsFile)) results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    else if (resultLine) results = JSON.parse(resultLine);
    if (!results) {
      throw new Error(`host tests exited with code ${code} without reporting results (did run() load?). Server log: ${server.logFile}`);
    }
    if (code !== 0 && results.failed === 0) results.failed = 1; // run() rejected for another reason
    return { ...results, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await browser?.close();
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runHostTests().then(
    (r) => {
      console.log(`host tests (VS Code ${r.vscodeVersion}, appHost=${r.appHost}): ${r.passed} passed, ${r.failed} failed` + (r.pending ? `, ${r.pending} skipped` : ''));
      process.exit(r.failed ? 1 : 0);
    },
    (err) => {
      console.error(err instanceof UserError ? `\n${err.message}\n` : err);
      process.exit(1);
    },
  );
}
