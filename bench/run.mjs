// `npm run bench`: bundles bench/measure.ts (the engine exactly as the extension ships it)
// and prints forward+backward throughput per elementwise activation beside a bare Math.max
// loop. Options: --ids relu,gelu  --n 1000000  --runs 7  --warmup 5  --dtype float64
//                --json FILE (also write the full report)
//                --isolate (each dtype in a fresh process: the loops then see one array type;
//                           by default both dtypes run in one process, as in the training
//                           worker, where loops that saw Float64Array then Float32Array are
//                           polymorphic)
// Run with `node --expose-gc` so the heap is collected between kernels.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './args.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bench', 'measure.cjs');

const num = (name, dflt) => {
  const v = option(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench: --${name} expects a positive number, got "${v}"`);
    process.exit(2);
  }
  return n;
};

mkdirSync(dirname(out), { recursive: true });
await esbuild.build({
  entryPoints: [join(root, 'bench', 'measure.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'es2022',
  logLevel: 'warning',
});
const { benchmarkCatalog, formatTable } = createRequire(import.meta.url)(out);

if (typeof globalThis.gc !== 'function') console.warn('bench: run with node --expose-gc for steadier numbers');
const ids = option('ids')?.split(',').map((s) => s.trim()).filter(Boolean);
const dtype = option('dtype');
if (dtype !== undefined && dtype !== 'float64' && dtype !== 'float32') {
  console.error(`bench: --dtype expects float64 or float32, got "${dtype}"`);
  process.exit(2);
}

/** Each dtype in its own `node` process; the reports are merged. */
function isolated() {
  const dir = mkdtempSync(join(tmpdir(), 'ai-bench-'));
  const passOn = process.argv.slice(2).filter((a, i, all) => a !== '--isolate' && a !== '--json' && all[i - 1] !== '--json');
  const parts = ['float64', 'float32'].map((d) => {
    const file = join(dir, `${d}.json`);
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...passOn, '--dtype', d, '--json', file], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) process.exit(r.status ?? 1);
    return JSON.parse(readFileSync(file, 'utf8'));
  });
  rmSync(dir, { recursive: true, force: true });
  return { ...parts[0], baseline: { ...parts[0].baseline, ...parts[1].baseline }, rows: [...parts[0].rows, ...parts[1].rows] };
}

const report =
  process.argv.includes('--isolate') && !dtype
    ? isolated()
    : benchmarkCatalog({
        n: num('n', 1_000_000),
        runs: num('runs', 7),
        warmup: num('warmup', 5),
        ids,
        dtypes: dtype ? [dtype] : undefined,
        onRow: (r) => process.stderr.write(`  ${r.dtype} ${r.id}: ${(r.throughput.elementsPerSecond / 1e6).toFixed(1)} M/s\n`),
      });
console.log(formatTable(report));
const below = report.rows.filter((r) => r.belowTarget);
console.log(
  below.length
    ? `\n${below.length} ReLU-family measurement(s) below the 0.5× target: ${below.map((r) => `${r.id} (${r.dtype}, ${r.ratio.toFixed(2)}×)`).join(', ')}`
    : '\nEvery ReLU-family kernel meets the 0.5× target.',
);
const json = option('json');
if (json) writeFileSync(json, JSON.stringify(report, null, 2));
