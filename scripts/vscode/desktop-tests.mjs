// `npm run test:desktop`: the same bundled host tests (out/test/host/) in desktop VS Code
// through @vscode/test-electron. It downloads VS Code into .vscode-test/ unless
// VSCODE_EXECUTABLE_PATH names a local one — so it needs internet or a local VS Code;
// on machines without either, use `npm run test:host` (code-server) instead.
import { join } from 'node:path';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runTests } from '@vscode/test-electron';
import { EXAMPLES_DIR, ROOT } from './config.mjs';
import { buildHostTests, HOST_OUT } from './host-tests.mjs';

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
    console.error('dist/extension.js is missing: run `node scripts/build.mjs` first');
    return 1;
  }
  await buildHostTests();
  const resultsFile = join(mkdtempSync(join(tmpdir(), 'ai-desktop-')), 'host-results.json');
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH || undefined;
  try {
    await runTests({
      vscodeExecutablePath,
      version: vscodeExecutablePath ? undefined : process.env.VSCODE_VERSION || 'stable',
      timeout: 30_000, // idle timeout of the download
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(HOST_OUT, 'index.js'),
      extensionTestsEnv: { HOST_TEST_RESULTS: resultsFile },
      launchArgs: [EXAMPLES_DIR, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (err) {
    if (existsSync(resultsFile)) {
      const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
      console.log(`desktop host tests (VS Code ${r.vscodeVersion}, appHost=${r.appHost}): ${r.passed} passed, ${r.failed} failed`);
      return 1;
    }
    console.error(
      `\n@vscode/test-electron could not run desktop VS Code: ${err?.message ?? err}\n` +
        'It downloads VS Code from Microsoft, which needs internet access. Either\n' +
        '  - set VSCODE_EXECUTABLE_PATH to a local VS Code binary (e.g. /usr/share/code/code), or\n' +
        '  - run the same tests in code-server with `npm run test:host` (works offline).',
    );
    return 1;
  }
  const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
  console.log(`desktop host tests (VS Code ${r.vscodeVersion}, appHost=${r.appHost}): ${r.passed} passed, ${r.failed} failed`);
  return r.failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });
