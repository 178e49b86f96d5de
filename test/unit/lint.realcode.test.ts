// The real-code corpus's hand labels (test/fixtures/realcode/labels.json) stay consistent with
// its manifest: every label names a file the manifest lists, a line, a rule and a reason; every
// expected finding names a rule and acceptable lines. The corpus files themselves are not in the
// repository (scripts/realcode-corpus.mjs materializes them from the pinned commits), so the
// agreement between the labels and the linter's output is checked by
// `node scripts/lint-precision.mjs --part tuning --check`; the patterns behind the labels are
// distilled into test/fixtures/lint/{pos,neg}/real_*.py, which the lint corpus test runs.
import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { RULE_CODES } from '../../src/code/lint';

const DIR = join(__dirname, '..', 'fixtures', 'realcode');
interface Repo {
  repo: string;
  commit: string;
  licence: string;
  part: 'tuning' | 'heldout' | 'fresh';
  files: string[];
}
const manifest = JSON.parse(readFileSync(join(DIR, 'MANIFEST.json'), 'utf8')) as { repos: Repo[] };
const labels = JSON.parse(readFileSync(join(DIR, 'labels.json'), 'utf8')) as {
  findings: Record<string, { label: string; why: string }>;
  expected: { file: string; code: string; lines: number[]; why: string }[];
};

const files = new Set<string>();
for (const r of manifest.repos) for (const f of r.files) files.add(`${r.part}/${r.repo.replace('/', '__')}/${f}`);

describe('real-code corpus labels', () => {
  it('the manifest pins permissively licensed repositories, each in one part', () => {
    const seen = new Map<string, string>();
    for (const r of manifest.repos) {
      assert.match(r.commit, /^[0-9a-f]{40}$/, r.repo);
      assert.ok(['MIT', 'BSD-3-Clause', 'Apache-2.0'].includes(r.licence), `${r.repo}: ${r.licence}`);
      assert.ok(r.files.length > 0, r.repo);
      assert.strictEqual(seen.get(r.repo) ?? r.part, r.part, `${r.repo} is in both parts`);
      seen.set(r.repo, r.part);
    }
    const held = manifest.repos.filter((r) => r.part === 'heldout').length;
    assert.ok(held >= 5 && manifest.repos.length - held >= 5, 'both parts have several repositories');
  });

  it('every label names a listed file, a line, a rule, a verdict and a reason', () => {
    const keys = Object.keys(labels.findings);
    assert.ok(keys.length >= 100, `${keys.length} labels`);
    for (const k of keys) {
      const m = /^(.*):(\d+):(AI\d{3})$/.exec(k);
      assert.ok(m, k);
      assert.ok(files.has(m[1] as string), `${k}: not in the manifest`);
      assert.ok(Number(m[2]) >= 1);
      assert.ok((RULE_CODES as string[]).includes(m[3] as string), k);
      const v = labels.findings[k];
      assert.ok(v && ['true', 'advice', 'false'].includes(v.label), k);
      assert.ok(v.why.length > 10, `${k}: no reason`);
    }
  });

  it('every expected finding names a listed file, a rule, lines and a reason', () => {
    assert.ok(labels.expected.length >= 20);
    for (const e of labels.expected) {
      assert.ok(files.has(e.file), `${e.file}: not in the manifest`);
      assert.ok((RULE_CODES as string[]).includes(e.code), `${e.file}: ${e.code}`);
      assert.ok(e.lines.length > 0 && e.lines.every((l) => Number.isInteger(l) && l >= 1), e.file);
      assert.ok(e.why.length > 10);
    }
    // both parts hold real bugs of both kinds the issue names
    for (const part of ['tuning/', 'heldout/'])
      for (const code of ['AI001', 'AI008']) assert.ok(labels.expected.some((e) => e.file.startsWith(part) && e.code === code), `${part} ${code}`);
  });
});
