// `node bench/probe.mjs`: the PyTorch probe's costs (bench/probe.py does the timing, in one
// Python process, ratios against the same model unwatched): watch() overhead on a small CNN
// (32×32) and an MLP at every=10 and every=100 (targets ≤ 1.05 and ≤ 1.01), and probe() wall
// time on a ResNet-18 at batch 8. Needs a python3 with torch: $ACTIVATION_INSPECTOR_PYTHON,
// else /usr/bin/python3. Options: --rounds R (logging steps ×10 at every=10, default 15), --json FILE.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './args.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const python = process.env.ACTIVATION_INSPECTOR_PYTHON || '/usr/bin/python3';
const r = spawnSync(python, [join(here, 'probe.py')], {
  encoding: 'utf8',
  env: { ...process.env, BENCH_ROUNDS: option('rounds') ?? '15' },
  maxBuffer: 1 << 24,
});
if (r.status !== 0) {
  console.error(`bench/probe: ${python} bench/probe.py failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  process.exit(1);
}
const res = JSON.parse(r.stdout);
console.log(`probe bench (torch ${res.torch}, CPU, 1 thread, watched and unwatched twins alternating step by step, per-step medians)`);
for (const [name, rows] of Object.entries(res.watch)) {
  for (const w of rows) {
    const target = w.every >= 100 ? 1.01 : 1.05;
    console.log(`  watch ${name.padEnd(6)} every=${String(w.every).padEnd(4)} step ${w.step_ms_without.toFixed(2)} ms → ${w.step_ms_with.toFixed(2)} ms  (logging step ${w.logging_step_ms.toFixed(2)} ms, other ${w.other_step_ms.toFixed(2)} ms)  ratio ${w.ratio.toFixed(3)} (target ≤ ${target})${w.ratio <= target ? '' : '  OVER'}`);
  }
}
console.log(`  watch hooks on a non-logging step: ${res.idle_hook_us.toFixed(1)} µs per step (called directly)`);
const p = res.probe;
console.log(`  probe ${p.model}: ${p.probe_s.toFixed(2)} s (plain forward+backward ${p.plain_forward_backward_s.toFixed(2)} s, ×${p.ratio.toFixed(1)}), ${p.sites} sites`);
const out = option('json');
if (out) writeFileSync(out, JSON.stringify(res, null, 1));
