// `npm start`: build, package, and open the extension in a working VS Code on examples/.
//  - `code` on PATH: desktop VS Code with the extension loaded for development.
//  - otherwise: the project's local code-server (provisioned into .vscode-test/) with the
//    packaged .vsix installed; prints the URL and runs until Ctrl-C, then cleans up.
// CODE_SERVER_PORT=<n> picks the port (default: a free one); CODE_SERVER_HOST=0.0.0.0
// listens beyond localhost (there is no password: --auth none).
import { spawnSync } from 'node:child_process';
import { EXAMPLES_DIR, ROOT, UserError, which, log } from './vscode/config.mjs';
import { startCodeServer } from './vscode/server.mjs';
import { installHandlers } from './vscode/cleanup.mjs';
import { packageExtension } from './package.mjs';

installHandlers(); // Ctrl-C, SIGTERM, or npm's death: stop everything started below

async function main() {
  const { file: vsix } = packageExtension({ quiet: true });
  const code = process.env.NO_DESKTOP_CODE ? undefined : which('code');
  if (code) {
    log(`opening desktop VS Code: code --extensionDevelopmentPath=${ROOT} examples/`);
    const r = spawnSync(code, [`--extensionDevelopmentPath=${ROOT}`, EXAMPLES_DIR], { stdio: 'inherit' });
    return r.status ?? 1;
  }
  const server = await startCodeServer({ workspace: EXAMPLES_DIR, vsix, label: 'start', port: process.env.CODE_SERVER_PORT, host: process.env.CODE_SERVER_HOST });
  console.log(`\nActivation Inspector is running in VS Code (code-server) on examples/.\nOpen this URL in a browser:\n\n    ${server.url}\n\nPress Ctrl-C to stop.`);
  // Runs until Ctrl-C (the signal handlers stop the server) or until the server dies.
  const status = await server.exited;
  console.error(`code-server exited (${status}); its log was ${server.logFile}`);
  await server.stop();
  return 1;
}

main().then((c) => process.exit(c), (err) => {
  console.error(err instanceof UserError ? `\n${err.message}\n` : err);
  process.exit(1);
});
