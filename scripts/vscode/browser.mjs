// Headless Chromium (Debian's) driven by playwright-core, with its profile inside the
// run folder so that the reaper and cleanup can find and kill it by command line.
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { UserError, chromiumPath } from './config.mjs';
import { onCleanup, killRunSync } from './cleanup.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Launch Chromium; returns { context, page, close }. close() navigates to about:blank first. */
export async function launchBrowser(runDir, { viewport = { width: 1400, height: 900 } } = {}) {
  const profile = join(runDir, 'chromium');
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, viewport,
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      // Chromium's crash handler and caches would otherwise write into the real home.
      env: { ...process.env, HOME: join(runDir, 'home'), XDG_CONFIG_HOME: join(runDir, 'config'), XDG_CACHE_HOME: join(runDir, 'cache') },
    });
  } catch (err) {
    throw new UserError(
      `Chromium failed to start: ${err.message.split('\n')[0]}\n` +
        'If a shared library is missing, install Debian\'s chromium package (it pulls them in):\n' +
        '  sudo apt-get update && sudo apt-get install -y chromium',
    );
  }
  const unregister = onCleanup(() => killRunSync(undefined, profile));
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Leaving the workbench first lets code-server end this window's extension host
    // (otherwise it lingers for hours).
    for (const p of context.pages()) await p.goto('about:blank', { timeout: 5_000 }).catch(() => {});
    await context.close().catch(() => {});
    killRunSync(undefined, profile);
    unregister();
  };
  return { context, page, close };
}
