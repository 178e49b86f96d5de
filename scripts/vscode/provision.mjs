// Provision code-server (the real VS Code server + web workbench, from npm) into the
// project's cache folder on first use: `.vscode-test/code-server-<version>/`.
// Offline-safe install settings (all four are needed, or the postinstalls fail as root):
//   npm_config_unsafe_perm=true  – code-server's postinstall refuses root otherwise
//   npm_config_nodedir=<node>    – node-gyp uses the local Node headers, no download
//   npm_config_yes=true          – node-pty's postinstall runs `npx node-gyp`
//   ripgrep cache tarball        – @vscode/ripgrep's postinstall would fetch rg from GitHub;
//                                  it accepts a cached tarball, built here from the system rg.
// Run directly: `node scripts/vscode/provision.mjs`.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  UserError, codeServerDir, codeServerEntry, codeServerVersion, log, which, chromiumPath,
} from './config.mjs';
import { onCleanup, alive, sleep } from './cleanup.mjs';

const MARKER = '.provisioned.json';
/** @vscode/ripgrep version used by code-server 4.100.x, and the rg release it wants. */
const RIPGREP_PKG = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

const APT_HINT =
  'Install the system packages with:\n' +
  '  sudo apt-get update && sudo apt-get install -y chromium ripgrep libkrb5-dev build-essential python3';

/** Where node-gyp finds Node headers without downloading them (e.g. /usr for /usr/bin/node). */
function localNodeDir() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** Check the system packages the install needs; throw one message listing all that miss. */
export function checkInstallPrerequisites() {
  const missing = [];
  if (!which('rg')) missing.push('ripgrep (the `rg` command)');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/local/include/gssapi/gssapi.h')) {
    missing.push('libkrb5-dev (header gssapi/gssapi.h, for the `kerberos` native module)');
  }
  for (const tool of ['make', 'g++', 'python3', 'tar']) {
    if (!which(tool)) missing.push(`${tool} (native modules are compiled with node-gyp)`);
  }
  if (!localNodeDir()) {
    missing.push(`Node headers next to ${process.execPath} (include/node/node_api.h); install Node with its headers`);
  }
  if (missing.length) {
    throw new UserError(`Cannot install code-server: missing\n  - ${missing.join('\n  - ')}\n${APT_HINT}`);
  }
}

/** Put the system rg into the tarball cache @vscode/ripgrep's postinstall looks at first. */
function prepareRipgrepCache(tmpDir) {
  const arch = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!arch) throw new UserError(`Unsupported CPU architecture for the ripgrep cache: ${process.arch}`);
  const cacheDir = join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PKG}`);
  mkdirSync(cacheDir, { recursive: true });
  const stage = join(tmpDir, 'rg-stage');
  mkdirSync(stage, { recursive: true });
  copyFileSync(which('rg'), join(stage, 'rg'));
  execFileSync('tar', ['-czf', join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${arch}.tar.gz`), '-C', stage, 'rg']);
}

export function isProvisioned() {
  const dir = codeServerDir();
  return existsSync(join(dir, MARKER)) && existsSync(codeServerEntry());
}

/**
 * One installer at a time (several `npm test` may start together on a fresh checkout):
 * a lock folder holding the owner's pid; a lock whose owner is gone is taken over.
 */
async function withInstallLock(fn) {
  const lock = `${codeServerDir()}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let announced = false; ; ) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      let owner = 0;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      const age = Date.now() - (existsSync(lock) ? statSync(lock).mtimeMs : 0);
      if ((owner && !alive(owner)) || (!owner && age > 10_000)) { rmSync(lock, { recursive: true, force: true }); continue; }
      if (!announced) { log(`waiting for another process (pid ${owner}) that is installing code-server…`); announced = true; }
      await sleep(1000);
    }
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  const unregister = onCleanup(() => rmSync(lock, { recursive: true, force: true }));
  try {
    return await fn();
  } finally {
    unregister();
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Install code-server if needed; returns the path of its entry script. */
export async function ensureCodeServer() {
  chromiumPath(); // fail early, with the apt hint, before a long install
  if (!which('rg')) throw new UserError(`code-server's search needs ripgrep (rg).\n${APT_HINT}`);
  if (isProvisioned()) return codeServerEntry();
  checkInstallPrerequisites();
  return withInstallLock(install);
}

async function install() {
  if (isProvisioned()) return codeServerEntry(); // another process finished it meanwhile
  const version = codeServerVersion();
  const dir = codeServerDir();
  // A folder without the marker is a broken or interrupted install: start over.
  rmSync(dir, { recursive: true, force: true });
  const tmpDir = join(dir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
  prepareRipgrepCache(tmpDir);

  log(`installing code-server ${version} into ${dir} (first run only; ~300 MB, takes a minute or more)…`);
  const t0 = Date.now();
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_unsafe_perm: 'true',
    npm_config_nodedir: localNodeDir(),
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const npmCli = process.env.npm_execpath && existsSync(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  const [cmd, args] = npmCli
    ? [process.execPath, [npmCli]]
    : ['npm', []];
  const code = await new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, [...args, 'install', '--no-save', '--no-package-lock', '--loglevel=error', `code-server@${version}`], {
      cwd: dir, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true, // own group: node-gyp & co die with it
    });
    const unregister = onCleanup(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } });
    child.on('error', (err) => { unregister(); reject(err); });
    child.on('exit', (c, sig) => { unregister(); resolvePromise(sig ? 1 : c); });
  });
  if (code !== 0 || !existsSync(codeServerEntry())) {
    throw new UserError(
      `Installing code-server ${version} failed (npm exit ${code}). Output above; common causes:\n` +
        `  - missing system packages. ${APT_HINT}\n` +
        '  - no access to the npm registry.\n' +
        `The half-installed folder ${dir} is removed on the next run.`,
    );
  }
  rmSync(tmpDir, { recursive: true, force: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
  writeFileSync(join(dir, MARKER), JSON.stringify({ version: pkg.version, installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 }, null, 2));
  log(`code-server ${pkg.version} installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return codeServerEntry();
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  ensureCodeServer().then(
    (entry) => log(`ready: ${entry}`),
    (err) => {
      console.error(err instanceof UserError ? `\n${err.message}\n` : err);
      process.exit(1);
    },
  );
}
