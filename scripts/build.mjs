// One esbuild script for every bundle: the extension host, the training and lint workers,
// the webviews and the CLI. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { existsSync, chmodSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
};

/** Node bundles (extension host, worker thread, CLI). */
const nodeTargets = [
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
  { entry: 'src/worker/trainingWorker.ts', out: 'dist/worker.js', external: [] },
  { entry: 'src/worker/lintWorker.ts', out: 'dist/lintWorker.js', external: [] },
  { entry: 'src/cli/main.ts', out: 'dist/cli.js', external: [], banner: '#!/usr/bin/env node' },
];
/** Browser bundles for the webviews (no Node, no vscode). */
const webTargets = [
  { entry: 'src/webview/explorer/main.ts', out: 'dist/webview/explorer.js' },
  { entry: 'src/webview/dashboard/main.ts', out: 'dist/webview/dashboard.js' },
];

const configs = [
  ...nodeTargets.filter((t) => existsSync(t.entry)).map((t) => ({
    ...common,
    entryPoints: [t.entry],
    outfile: t.out,
    platform: 'node',
    format: 'cjs',
    external: t.external,
    // mathjax-full loads its components lazily by path; keep them resolvable.
    banner: t.banner ? { js: t.banner } : undefined,
  })),
  ...webTargets.filter((t) => existsSync(t.entry)).map((t) => ({
    ...common,
    entryPoints: [t.entry],
    outfile: t.out,
    platform: 'browser',
    format: 'iife',
  })),
];

if (watch) {
  for (const c of configs) {
    const ctx = await esbuild.context(c);
    await ctx.watch();
  }
  console.log(`watching ${configs.length} bundles…`);
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
  console.log(`built ${configs.length} bundles into dist/`);
}
