// Architecture invariants that a grep can check (docs/architecture.md).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

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

// ---------------------------------------------------------------------------------------
// The layer table: which folders of src/ each folder may import (besides itself). Bottom to
// top. docs/architecture.md mirrors this table; this is the one the test reads.
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  engine: [],
  code: ['engine'],
  render: ['engine', 'code'],
  shared: ['engine'],
  worker: ['engine', 'shared', 'code'],
  session: ['engine', 'shared', 'code', 'worker'],
  probe: ['engine', 'code'],
  codegen: ['engine', 'shared', 'code'],
  cli: ['engine', 'code', 'render', 'shared', 'session', 'codegen', 'probe'],
  extension: ['engine', 'code', 'render', 'shared', 'worker', 'session', 'codegen', 'probe', 'webview'],
  webview: ['engine', 'shared'],
};

/**
 * Imports that break the table today and are being moved by the "one training stream" work
 * (issue 10): the training types move from src/shared into src/engine/train. Each entry must
 * still occur — delete it when it is fixed, so the list only shrinks.
 */
export const KNOWN_LAYER_BREAKS: readonly string[] = [];
/** File cycles known today (same rule: each must still occur; delete it once broken). */
export const KNOWN_CYCLES: readonly string[] = [];

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const REQUIRE = /\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of a file, resolved to repository paths of .ts files under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(IMPORT), ...text.matchAll(REQUIRE)].map((m) => m[1] as string).filter((s) => s.startsWith('.'));
  const out: string[] = [];
  for (const s of specs) {
    const base = join(dirname(file), s);
    const hit = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => p.endsWith('.ts') && existsSync(p));
    if (hit) out.push(relative(root, hit).split(sep).join('/'));
  }
  return [...new Set(out)];
}

/** The layer (first folder under src/) of a repository path, or undefined outside src/. */
function layerOf(path: string): string | undefined {
  const m = /^src\/([^/]+)\//.exec(path);
  return m?.[1];
}

function srcGraph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const f of tsFiles(join(root, 'src'))) g.set(relative(root, f).split(sep).join('/'), importsOf(f));
  return g;
}

/** Strongly connected components with more than one file (or a file importing itself). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

describe('layers (the table in LAYERS) and file cycles', () => {
  const g = srcGraph();

  it('every folder of src/ is in the layer table', () => {
    const folders = readdirSync(join(root, 'src')).filter((n) => statSync(join(root, 'src', n)).isDirectory());
    assert.deepEqual(folders.filter((f) => !(f in LAYERS)), []);
  });

  it('every import between folders of src/ is allowed by the table', () => {
    const breaks: string[] = [];
    for (const [file, deps] of g) {
      const from = layerOf(file) as string;
      for (const d of deps) {
        const to = layerOf(d);
        if (to && to !== from && !(LAYERS[from] ?? []).includes(to)) breaks.push(`${file} -> ${d}`);
      }
    }
    assert.deepEqual(breaks.filter((b) => !KNOWN_LAYER_BREAKS.includes(b)).sort(), [], 'imports against the layer table');
    assert.deepEqual(KNOWN_LAYER_BREAKS.filter((b) => !breaks.includes(b)), [], 'fixed: remove from KNOWN_LAYER_BREAKS');
  });

  it('the import check sees imports (it finds the engine imported by the code front end)', () => {
    assert.ok((g.get('src/code/paths.ts') ?? []).includes('src/engine/activations/registry.ts'));
    assert.ok((g.get('src/cli/main.ts') ?? []).includes('src/cli/commands.ts'));
  });

  it('no file cycles in src/', () => {
    const found = cycles(g).map((c) => c.join(' <-> '));
    assert.deepEqual(found.filter((c) => !KNOWN_CYCLES.includes(c)), [], 'file cycles');
    assert.deepEqual(KNOWN_CYCLES.filter((c) => !found.includes(c)), [], 'broken: remove from KNOWN_CYCLES');
  });

  it('src/extension is VS Code glue only: every file there imports vscode', () => {
    const glueFree = tsFiles(join(root, 'src/extension'))
      .filter((f) => !/(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\))/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    assert.ok(tsFiles(join(root, 'src/extension')).length > 10);
    assert.deepEqual(glueFree, []);
  });

  it('docs/architecture.md names every folder of the layer table and lists every file of src/', () => {
    const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    for (const layer of Object.keys(LAYERS)) assert.ok(doc.includes(`| \`src/${layer}\` |`), `layer table row for src/${layer}`);
    const unlisted = tsFiles(join(root, 'src'))
      .map((f) => relative(root, f).split(sep).join('/'))
      .filter((f) => {
        const dir = f.slice(0, f.lastIndexOf('/'));
        const name = f.slice(f.lastIndexOf('/') + 1);
        const section = doc.indexOf(`### \`${dir}/\``);
        if (section < 0) return true;
        const next = doc.indexOf('\n### ', section + 1);
        return !doc.slice(section, next < 0 ? undefined : next).includes(`- \`${name}\` — `);
      });
    assert.deepEqual(unlisted, []);
  });

  it('the cycle check finds a cycle when there is one', () => {
    assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), [['a', 'b', 'c']]);
    assert.deepEqual(cycles(new Map([['a', ['b']], ['b', []]])), []);
  });
});
