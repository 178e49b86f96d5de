import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { indexText, languageOfFile } from './src/code/api';
import { buildContext } from './src/code/lint/calls';
import { autocastRegions } from './src/code/lint/autocast';
import { parseNotebook } from './src/code/notebook';
import { findDtypeHints } from './src/code/dtype';
import { customDefinitions } from './src/code/custom/index';
for (const part of ['tuning', 'heldout', 'fresh']) {
  const files = execSync(`find /work/realcode/${part} -name "*.py" -o -name "*.ipynb"`, { maxBuffer: 1 << 26 }).toString().trim().split('\n');
  let regions = 0; const dev: Record<string, number> = {}; let f16files = 0, f16defs = 0; const ex: string[] = [];
  for (const f of files) {
    let text = readFileSync(f, 'utf8');
    let cellStarts: number[] | undefined;
    if (f.endsWith('.ipynb')) { try { const nb = parseNotebook(text); text = nb.text; cellStarts = nb.cells.map((c) => c.joinedStart); } catch { continue; } }
    const ctx = buildContext(indexText(text, 'python', cellStarts));
    const rs = autocastRegions(ctx);
    regions += rs.length;
    for (const r of rs) { const k = `${r.device}/${r.dtype}/${r.enabled}`; dev[k] = (dev[k] ?? 0) + 1; if (ex.length < 40) ex.push(`${f.replace('/work/realcode/', '')}:${r.line + 1} ${k} ${r.evidence}`); }
    const h = findDtypeHints(text).filter((x) => x.dtype === 'float16');
    if (h.length) { f16files++; try { const d = customDefinitions(text, 'python'); f16defs += d.length; if (d.length) ex.push(`F16 ${f.replace('/work/realcode/', '')} defs=${d.map((x) => x.def.name).join(',')} hints=${h.map((x) => x.evidence).join(' ; ')}`); } catch {} }
  }
  console.log(part, 'regions', regions, JSON.stringify(dev), 'float16 files', f16files, 'custom defs in them', f16defs);
  console.log(ex.join('\n'));
}
