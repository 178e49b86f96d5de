// `npm run package`: production build, then `vsce package --no-dependencies` (the
// extension is bundled by esbuild, so no node_modules ship). .vscodeignore is an
// allowlist: the extension host, the worker, the webviews, python/ and media/ — not the
// CLI (dist/cli.js ships through package.json "bin"). The marketplace page is
// docs/marketplace/README.md (--readme-path). Prints the .vsix path, its size and
// contents. Exported for test/start.
import { spawnSync } from 'node:child_process';
import { statSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SIZE_BUDGET = 2 * 1024 * 1024; // target: < 2 MB

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r;
}

/** What may ship (mirrors .vscodeignore); `main` must be among it. */
const ALLOWED = /^(docs\/marketplace\/README\.md$|dist\/(extension|worker)\.js$|dist\/webview\/|python\/activation_inspector\/[\w]+\.py$|media\/|package\.json$|LICENSE$|CHANGELOG\.md$)/;
/** The user-facing marketplace README (the repository README is for developers). */
export const MARKETPLACE_README = 'docs/marketplace/README.md';

/** Fail if the package would hold anything outside the allowlist, or lacks `main`. */
function checkContents() {
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', MARKETPLACE_README], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce ls failed: ${r.stderr}`);
  const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const stray = files.filter((f) => !ALLOWED.test(f) || f.endsWith('.map'));
  if (stray.length) throw new Error(`the .vsix would hold files that do not run: ${stray.join(', ')}; fix .vscodeignore`);
  const main = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).main.replace(/^\.\//, '');
  if (!files.includes(main)) throw new Error(`the .vsix would lack the extension's main file ${main}`);
  if (files.includes('dist/cli.js')) throw new Error('the .vsix would hold dist/cli.js (the CLI ships through package.json "bin"); fix .vscodeignore');
  if (!files.includes('python/activation_inspector/__init__.py')) throw new Error('the .vsix would lack the probe\'s Python package python/activation_inspector');
}

/** Build for production and package; returns { file, bytes }. */
export function packageExtension({ quiet = false } = {}) {
  run(process.execPath, ['scripts/build.mjs', '--production']);
  // A production build writes no source maps; drop stale ones from development builds
  // (vsce cannot re-exclude files under an allowlisted folder).
  for (const f of readdirSync(join(ROOT, 'dist'), { recursive: true })) {
    if (String(f).endsWith('.map')) rmSync(join(ROOT, 'dist', String(f)));
  }
  checkContents();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const file = join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(vsce)) throw new Error('node_modules/@vscode/vsce is missing: run `npm ci`');
  run(process.execPath, [vsce, 'package', '--no-dependencies', '--readme-path', MARKETPLACE_README, '--out', file], quiet ? { stdio: ['ignore', 'ignore', 'inherit'] } : {});
  const bytes = statSync(file).size;
  const mb = (bytes / 1024 / 1024).toFixed(2);
  console.log(`packaged ${relative(ROOT, file)}: ${(bytes / 1024).toFixed(1)} KiB (${mb} MiB; budget 2 MiB)`);
  if (bytes > SIZE_BUDGET) console.warn(`warning: ${relative(ROOT, file)} is over the 2 MiB budget`);
  return { file, bytes };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  try {
    packageExtension();
    run(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies', '--readme-path', MARKETPLACE_README, '--tree']);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
