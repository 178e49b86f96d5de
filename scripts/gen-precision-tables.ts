// Writes docs/precision-tables.md from the engine (src/engine/precision/tables.ts).
// Run: npx tsx scripts/gen-precision-tables.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { precisionTablesMarkdown } from '../src/engine/precision/tables';

const out = join(__dirname, '..', 'docs', 'precision-tables.md');
writeFileSync(out, precisionTablesMarkdown());
process.stdout.write(`wrote ${out}\n`);
