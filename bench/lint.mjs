// `npm run bench` line: the extension host's event-loop delay (p99) while a 20,000-line
// Python file is linted on every keystroke (every 50 ms) for 10 s, first on the host thread
// (before), then in the lint worker (after). Target: p99 ≤ 20 ms with the worker.
// Options: --lines 20000 --seconds 10 --every 50 --json FILE. Needs dist/lintWorker.js
// (`node scripts/build.mjs`, which `npm run bench` runs first).
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option, positive as positiveOption } from './args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bench', 'lint.cjs');
const workerPath = join(root, 'dist', 'lintWorker.js');
const positive = (name, dflt) => positiveOption('lint', name, dflt);
if (!existsSync(workerPath)) {
  console.error('bench/lint: dist/lintWorker.js is missing; run node scripts/build.mjs first');
  process.exit(2);
}

mkdirSync(dirname(out), { recursive: true });
await esbuild.build({ entryPoints: [join(root, 'bench', 'lintBench.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'warning' });
const { benchmarkLintLoop } = createRequire(import.meta.url)(out);
const r = await benchmarkLintLoop({ workerPath, lines: positive('lines', 20000), seconds: positive('seconds', 10), everyMs: positive('every', 50) });
const ms = (v) => `${v.toFixed(1)} ms`;
console.log(`host event-loop delay while a ${r.lines.toLocaleString('en')}-line Python file is linted on every keystroke (every ${positive('every', 50)} ms, ${positive('seconds', 10)} s):`);
for (const x of [r.idle, r.before, r.after]) console.log(`  ${x.label.padEnd(26)} p50 ${ms(x.p50).padStart(9)}  p99 ${ms(x.p99).padStart(9)}  max ${ms(x.max).padStart(9)}  (${x.keystrokes} keystrokes, ${x.lints} lints)`);
console.log(`  target: p99 ≤ 20 ms in the worker — ${r.after.p99 <= 20 ? 'met' : 'NOT met'}`);
const json = option('json');
if (json) writeFileSync(json, JSON.stringify(r, null, 2));
