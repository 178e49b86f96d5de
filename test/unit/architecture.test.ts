// Architecture invariants that a grep can check (docs/architecture.md).
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const PURE = ['src/engine', 'src/code', 'src/render', 'src/shared', 'src/cli', 'src/worker', 'src/webview', 'src/probe'];

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture invariants', () => {
  it('pure code never imports vscode', () => {
    const offenders = PURE.flatMap((d) => tsFiles(join(root, d)))
      .filter((f) => /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\))/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    assert.deepEqual(offenders, []);
  });

  it('the engine uses no global Math.random (randomness is a seeded generator passed in)', () => {
    const offenders = tsFiles(join(root, 'src/engine'))
      .filter((f) => /Math\.random\s*\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    assert.deepEqual(offenders, []);
  });

  it('the engine imports neither node: modules nor the DOM, so every host can load it', () => {
    const offenders = tsFiles(join(root, 'src/engine'))
      .filter((f) => /from\s+['"]node:|require\(\s*['"]node:|\bdocument\.|\bwindow\./.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    assert.deepEqual(offenders, []);
  });
});
