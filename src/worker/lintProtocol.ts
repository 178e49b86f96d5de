// Messages between the extension host and the lint worker (dist/lintWorker.js). The host
// sends a document's text (or a notebook's code cells) with the severity settings; the
// worker answers with the findings, each mapped to its part (cell). Validated on arrival.
import type { SourceLang } from '../code/api';
import { RULE_CODES, type LintFinding, type SeverityOverrides } from '../code/lint';

export interface LintRequest {
  readonly type: 'lint';
  readonly id: number;
  readonly lang: SourceLang;
  /** The document alone, or a notebook's code cells (linted together, joined by newlines). */
  readonly parts: readonly string[];
  /** True for notebook cells: findings are mapped to their cell. */
  readonly cells: boolean;
  readonly severities: SeverityOverrides;
}

export interface PartFinding {
  readonly part: number;
  readonly finding: LintFinding;
}

export type LintReply = { readonly type: 'findings'; readonly id: number; readonly findings: readonly PartFinding[] } | { readonly type: 'failed'; readonly id: number; readonly message: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const CODES: ReadonlySet<string> = new Set(RULE_CODES);

export function isLintRequest(m: unknown): m is LintRequest {
  return (
    isObj(m) &&
    m.type === 'lint' &&
    Number.isInteger(m.id) &&
    (m.lang === 'python' || m.lang === 'js') &&
    Array.isArray(m.parts) &&
    m.parts.length > 0 &&
    m.parts.every((p) => typeof p === 'string') &&
    typeof m.cells === 'boolean' &&
    isObj(m.severities)
  );
}

function isFinding(f: unknown): f is LintFinding {
  return isObj(f) && typeof f.code === 'string' && CODES.has(f.code) && typeof f.message === 'string' && Number.isInteger(f.start) && Number.isInteger(f.end) && typeof f.severity === 'string' && Array.isArray(f.fixes);
}

export function isLintReply(m: unknown): m is LintReply {
  if (!isObj(m) || !Number.isInteger(m.id)) return false;
  if (m.type === 'failed') return typeof m.message === 'string';
  return m.type === 'findings' && Array.isArray(m.findings) && m.findings.every((x) => isObj(x) && Number.isInteger(x.part) && isFinding(x.finding));
}
