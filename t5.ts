import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { customDefinitions } from './src/code/custom/index';
import { print } from './src/code/custom/cexpr';
import { findDtypeHints } from './src/code/dtype';
import { float16Overflow } from './src/engine/precision/perOp';
import { finiteValues } from './src/engine/precision/tables';
import { tokenizePython } from './src/code/pyTokenizer';
const xs = finiteValues('float16');
const files = execSync('find /work/realcode -name "*.py"', { maxBuffer: 1 << 26 }).toString().trim().split('\n');
let nDefs = 0, nHint = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  let defs;
  try { defs = customDefinitions(text, 'python'); } catch { continue; }
  const hints = findDtypeHints(text).filter((h) => h.dtype === 'float16');
  if (hints.length) nHint++;
  if (!defs.length) continue;
  const toks = tokenizePython(text);
  for (const { def, recognition } of defs) {
    nDefs++;
    for (const regime of ['float16', 'autocast'] as const) {
      const s = float16Overflow(recognition.expr, regime, xs, { params: recognition.params });
      if (s.length) { const line = text.slice(0, toks[def.tok]!.start).split('\n').length; console.log(regime, f.replace('/work/realcode/', '') + ':' + line, def.name, print(recognition.expr), s.map((k) => `${k.from}..${k.to} ${print(k.culprit as never)} y16=${k.y16}`).join(' | '), hints.length ? 'HINT ' + hints.map((h) => h.evidence + '@' + (h.line + 1)).join(',') : ''); }
    }
  }
}
console.log('defs', nDefs, 'files with float16 hints', nHint);
