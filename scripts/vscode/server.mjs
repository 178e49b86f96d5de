// Start and stop an isolated code-server. Isolation: HOME, XDG_*, TMPDIR point into a
// per-run folder under .vscode-test/runs/, so nothing lands in the real home directory.
// Lifetime: the server runs in its own process group (spawn `detached` = setsid) and is
// stopped with `kill -- -<pgid>` on every path (cleanup.mjs: normal end, failure,
// SIGINT/SIGTERM/SIGHUP, parent death, exit). A detached reaper (reaper.mjs) also kills
// it if this process is SIGKILLed.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, openSync, closeSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { alive, sleep, installHandlers, onCleanup, killRunSync, pidsMentioning } from './cleanup.mjs';
import { RUNS_DIR, UserError, log } from './config.mjs';
import { ensureCodeServer } from './provision.mjs';

/** Settings for a quiet, offline, deterministic workbench. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Remove run folders whose owner process is gone (a crash the reaper could not clean). */
function pruneRunDirs() {
  let entries = [];
  try { entries = readdirSync(RUNS_DIR); } catch { return; }
  for (const name of entries) {
    const owner = Number(/^[\w.]+-(\d+)-[a-z0-9]+$/.exec(name)?.[1]);
    if (!owner || alive(owner)) continue;
    const dir = join(RUNS_DIR, name);
    if (pidsMentioning(dir).length === 0) rmSync(dir, { recursive: true, force: true });
  }
}

/** Make a fresh run folder with isolated HOME/XDG/TMP and user settings. */
export function makeRunDir(label) {
  pruneRunDirs();
  const runDir = join(RUNS_DIR, `${label}-${process.pid}-${Date.now().toString(36)}`);
  for (const d of ['home', 'data', 'config', 'cache', 'tmp', 'user-data/User', 'extensions']) {
    mkdirSync(join(runDir, d), { recursive: true });
  }
  writeFileSync(join(runDir, 'config.yaml'), '');
  writeFileSync(join(runDir, 'user-data', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return runDir;
}

function isolatedEnv(runDir, extra = {}) {
  const env = { ...process.env, ...extra };
  // Variables that would make code-server act as a CLI client of another instance.
  for (const k of ['VSCODE_IPC_HOOK_CLI', 'VSCODE_PROXY_URI', 'PASSWORD', 'HASHED_PASSWORD', 'PORT']) delete env[k];
  return {
    ...env,
    HOME: join(runDir, 'home'),
    XDG_DATA_HOME: join(runDir, 'data'),
    XDG_CONFIG_HOME: join(runDir, 'config'),
    XDG_CACHE_HOME: join(runDir, 'cache'),
    TMPDIR: join(runDir, 'tmp'),
  };
}

const baseArgs = (runDir) => [
  '--config', join(runDir, 'config.yaml'),
  '--user-data-dir', join(runDir, 'user-data'),
  '--extensions-dir', join(runDir, 'extensions'),
];

/** Run a short code-server CLI command (e.g. --install-extension) in its own group. */
async function runCli(entry, runDir, args, timeoutMs = 120_000) {
  const logFile = join(runDir, 'cli.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [entry, ...baseArgs(runDir), ...args], {
    env: isolatedEnv(runDir), stdio: ['ignore', fd, fd], detached: true,
  });
  closeSync(fd);
  const unregister = onCleanup(() => killRunSync(child.pid, runDir));
  const timer = setTimeout(() => killRunSync(child.pid, runDir), timeoutMs);
  const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(sig ? 1 : c)));
  clearTimeout(timer);
  unregister();
  if (code !== 0) {
    throw new Error(`code-server ${args.join(' ')} failed (exit ${code}):\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
  }
  return readFileSync(logFile, 'utf8');
}

/**
 * Start code-server on `workspace`, optionally with a .vsix installed first. `env` (an
 * object, or a function of the run folder) is added to the server's environment, which
 * its extension hosts inherit.
 * Returns { url, baseUrl, port, runDir, pgid, logFile, stop, exited }. `stop()` is
 * idempotent; `exited` resolves when the server process ends.
 */
export async function startCodeServer({ workspace, vsix, label = 'run', env = {}, keepRunDir = false, port: wantPort, host = '127.0.0.1' }) {
  const entry = await ensureCodeServer();
  const runDir = makeRunDir(label);
  installHandlers();
  if (vsix) {
    log(`installing ${vsix} into the run profile…`);
    await runCli(entry, runDir, ['--force', '--install-extension', vsix]);
  }
  const port = wantPort ? Number(wantPort) : await freePort();
  const logFile = join(runDir, 'server.log');
  const fd = openSync(logFile, 'a');
  const args = [
    entry, ...baseArgs(runDir),
    '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--bind-addr', `${host}:${port}`, workspace,
  ];
  const extraEnv = typeof env === 'function' ? env(runDir) : env;
  const child = spawn(process.execPath, args, { env: isolatedEnv(runDir, extraEnv), stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  const pgid = child.pid;
  let exited = false;
  const exitedPromise = new Promise((resolve) => child.on('exit', (c, sig) => { exited = true; resolve(sig ?? c); }));

  // Reaper: own process group, survives a SIGKILL of this process and then cleans up.
  const reaper = spawn(process.execPath, [new URL('./reaper.mjs', import.meta.url).pathname, String(process.pid), String(pgid), runDir], {
    stdio: 'ignore', detached: true,
  });
  reaper.unref();

  let stopped = false;
  const removeRunDir = () => {
    if (!keepRunDir && !process.env.KEEP_VSCODE_RUN) rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    killRunSync(pgid, runDir);
    try { process.kill(reaper.pid, 'SIGKILL'); } catch { /* gone */ }
  };
  const unregister = onCleanup(() => { stopSync(); removeRunDir(); });

  /** Graceful stop: SIGTERM the group, wait up to 3 s, then SIGKILL whatever is left. */
  const stop = async () => {
    if (stopped) return;
    try { process.kill(-pgid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 30 && alive(pgid); i++) await sleep(100);
    stopSync();
    unregister();
    removeRunDir();
  };

  const baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new UserError(`code-server exited during start-up. Its log:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const tail = readFileSync(logFile, 'utf8').slice(-3000);
      await stop();
      throw new Error(`code-server did not answer /healthz within 60 s. Log:\n${tail}`);
    }
    await sleep(100);
  }
  const url = `${baseUrl}/?folder=${encodeURIComponent(workspace)}`;
  return { url, baseUrl, port, runDir, pgid, logFile, stop, exited: exitedPromise };
}
