// Cleanup registry shared by every script that starts processes: each registered
// function runs synchronously on every exit path — normal exit, SIGINT (Ctrl-C),
// SIGTERM, SIGHUP, and the death of our parent (npm runs us under `sh -c`, which dies
// without passing signals on). A SIGKILL of this process is covered by reaper.mjs.
import { readdirSync, readFileSync } from 'node:fs';

const cleanups = new Set();
let handlersInstalled = false;

/** Run all cleanups synchronously (signal handlers and 'exit' cannot await). */
export function cleanupAllSync() {
  for (const fn of [...cleanups]) {
    try { fn(); } catch { /* best effort */ }
    cleanups.delete(fn);
  }
}

export function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupAllSync);
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(sig, () => {
      console.error(`\n[vscode] ${sig}: stopping code-server and browsers…`);
      cleanupAllSync();
      process.exit(code);
    });
  }
  // `npm test`/`npm start` run us under `sh -c`: when npm is killed, the shell dies
  // without passing the signal on and we are re-parented. Treat that as a hang-up.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      console.error('\n[vscode] parent process ended: stopping code-server and browsers…');
      cleanupAllSync();
      process.exit(129);
    }
  }, 500).unref();
}

/** Register a synchronous cleanup; returns a function that unregisters it. */
export function onCleanup(fn) {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Pids of processes whose command line mentions `needle` (e.g. a run folder). */
export function pidsMentioning(needle) {
  const pids = [];
  if (!needle) return pids;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(needle) && !cmd.includes('reaper.mjs')) pids.push(pid);
    } catch { /* process ended meanwhile */ }
  }
  return pids;
}

/** SIGKILL a process group and every process still mentioning the run folder. */
export function killRunSync(pgid, runDir) {
  if (pgid) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ } }
  for (const pid of pidsMentioning(runDir)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

