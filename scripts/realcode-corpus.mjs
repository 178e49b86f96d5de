#!/usr/bin/env node
// Materializes the real-code lint corpus listed in test/fixtures/realcode/MANIFEST.json from
// local git snapshots of the public repositories (one bare git directory per repository).
// The files are not committed to this repository; the manifest pins repository, commit,
// licence and paths, so anyone with a clone at that commit can rebuild the same corpus.
//
//   node scripts/realcode-corpus.mjs [--mirrors DIR] [--out DIR]
//
// --mirrors: a folder with one git directory per repository, named `owner+name/repo`
//            or `owner+name` (default $REALCODE_MIRRORS or /work/.mirror)
// --out:     where to write `<part>/<owner>__<name>/<path>` (default $REALCODE_DIR or ../realcode)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  if (!v) {
    process.stderr.write(`realcode-corpus: ${name} needs a value\n`);
    process.exit(2);
  }
  return v;
}

const mirrors = arg('--mirrors', process.env.REALCODE_MIRRORS ?? '/work/.mirror');
const out = resolve(arg('--out', process.env.REALCODE_DIR ?? join(root, '..', 'realcode')));
const manifest = JSON.parse(readFileSync(join(root, 'test/fixtures/realcode/MANIFEST.json'), 'utf8'));

let written = 0;
let bytes = 0;
for (const r of manifest.repos) {
  const key = r.repo.replace('/', '+');
  const gitDir = [join(mirrors, key, 'repo'), join(mirrors, key)].find((d) => existsSync(d));
  if (!gitDir) {
    process.stderr.write(`realcode-corpus: no snapshot of ${r.repo} under ${mirrors}; skipped\n`);
    continue;
  }
  for (const f of r.files) {
    const buf = execFileSync('git', ['--git-dir', gitDir, 'show', `${r.commit}:${f}`], { maxBuffer: 64 << 20 });
    const dest = join(out, r.part, r.repo.replace('/', '__'), f);
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, buf);
    written++;
    bytes += buf.length;
  }
}
process.stdout.write(`${written} files, ${(bytes / 1e6).toFixed(1)} MB in ${out}\n`);
