// Watchdog started (detached, in its own process group) next to each code-server.
// Usage: node reaper.mjs <ownerPid> <serverPgid> <runDir>
// If the owner (the test/start script) dies without cleaning up — e.g. SIGKILL — this
// kills the server's process group and every process whose command line mentions the
// run folder (Chromium profiles live there too), then removes the folder.
import { readdirSync, readFileSync, rmSync } from 'node:fs';

const [ownerPid, pgid, runDir] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

function sweep() {
  try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(runDir)) process.kill(pid, 'SIGKILL');
    } catch { /* gone */ }
  }
}

const timer = setInterval(() => {
  if (alive(ownerPid) && alive(pgid)) return;
  clearInterval(timer);
  if (!alive(ownerPid)) {
    sweep();
    setTimeout(() => { sweep(); rmSync(runDir, { recursive: true, force: true }); }, 500);
  }
}, 500);
