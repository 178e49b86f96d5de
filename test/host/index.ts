// Mocha entry that runs INSIDE the VS Code extension host (code-server's, or desktop
// VS Code's via @vscode/test-electron): VS Code calls `run()` via `extensionTestsPath`
// and exits with 0/1 when the promise settles. Every `*.test.js` bundled next to this
// file (from test/host/**/*.test.ts) is loaded, so adding a test is adding a file.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import Mocha from 'mocha';

/** Counts the runner script reads back (via a file named by HOST_TEST_RESULTS). */
interface HostTestResults {
  passed: number;
  failed: number;
  pending: number;
  vscodeVersion: string;
  appHost: string;
  appName: string;
  uiKind: string;
  failures: string[];
}

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  const host = {
    vscodeVersion: vscode.version,
    appHost: vscode.env.appHost,
    appName: vscode.env.appName,
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
  };
  // The runner scripts grep this line: it proves where the tests ran.
  console.log(
    `HOST: VS Code ${host.vscodeVersion}, appHost=${host.appHost}, appName=${host.appName}, ` +
      `uiKind=${host.uiKind}, node ${process.version}, pid ${process.pid}`,
  );
  // Stack traces of failures point into test/host/*.ts (the bundles carry inline maps).
  process.setSourceMapsEnabled(true);
  // A hang guard, not a speed limit (CI's machine is slow and busy).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 180_000, reporter: 'spec' });
  const grep = process.env.HOST_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = findTests(__dirname);
  for (const f of files) mocha.addFile(f);

  return new Promise<void>((resolve, reject) => {
    const failures: string[] = [];
    let passed = 0;
    let pending = 0;
    const runner = mocha.run((failed) => {
      const results: HostTestResults = { passed, failed, pending, ...host, failures };
      console.log(`HOST-RESULTS ${JSON.stringify(results)}`);
      const out = process.env.HOST_TEST_RESULTS;
      if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
      if (files.length === 0) reject(new Error(`no *.test.js files next to ${__filename}`));
      else if (failed > 0) reject(new Error(`${failed} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => { passed++; });
    runner.on('pending', () => { pending++; });
    runner.on('fail', (test, err: Error) => { failures.push(`${test.fullTitle()}: ${err.message}`); });
  });
}
