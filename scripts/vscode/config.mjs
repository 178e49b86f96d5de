// Shared paths and versions for running the extension in a real VS Code (code-server)
// without internet. See docs in scripts/vscode/README-like comments in provision.mjs.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

/** Repository root (two levels above this file). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Each code-server release requires exactly one Node major (its engines.node), so the
 * release is chosen by the running Node. Only the Node 20 one was verified offline here.
 * CODE_SERVER_VERSION overrides the choice (at your own risk).
 */
const CODE_SERVER_BY_NODE_MAJOR = { 20: '4.100.3' };

export function codeServerVersion() {
  if (process.env.CODE_SERVER_VERSION) return process.env.CODE_SERVER_VERSION;
  const major = Number(process.versions.node.split('.')[0]);
  const v = CODE_SERVER_BY_NODE_MAJOR[major];
  if (!v) {
    throw new UserError(
      `No verified code-server release for Node ${process.versions.node}.\n` +
        'code-server 4.100.x (VS Code 1.100) needs Node 20: use Node 20, or set ' +
        'CODE_SERVER_VERSION to a release whose engines.node matches your Node.',
    );
  }
  return v;
}

/** Cache folder, like @vscode/test-electron's `.vscode-test/`. */
export const CACHE_DIR = join(ROOT, '.vscode-test');
export const codeServerDir = () => join(CACHE_DIR, `code-server-${codeServerVersion()}`);
export const codeServerEntry = () =>
  join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
/** Per-run scratch folders (HOME, TMPDIR, user data, extensions) live here. */
export const RUNS_DIR = join(CACHE_DIR, 'runs');
export const EXAMPLES_DIR = join(ROOT, 'examples');
export const TEST_OUTPUT_DIR = join(ROOT, 'test-output');

/** An error whose message is meant for the user as is (no stack trace). */
export class UserError extends Error {}

/** Absolute path of an executable on PATH, or undefined. */
export function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The Chromium that playwright-core drives: CHROMIUM_PATH, else Debian's. */
export function chromiumPath() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    which('chromium'),
    which('chromium-browser'),
    which('google-chrome'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new UserError(
      'Chromium is needed for the extension-host and UI tests but was not found.\n' +
        '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n' +
        '  or set CHROMIUM_PATH to a Chromium/Chrome executable.',
    );
  }
  return found;
}

/** Prefix for log lines of these scripts. */
export function log(msg) {
  console.log(`[vscode] ${msg}`);
}
