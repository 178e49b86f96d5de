// Python tokenizer: names, numbers, strings (all prefixes, triple quotes), operators and
// logical-line ends. Comments are dropped; newlines inside brackets or after a backslash
// are not line ends. Never throws: unterminated strings end at the line (or file) end.
//
// Error recovery (half-written code, notebook exercises): an unclosed bracket ends where the
// next statement plainly begins, so one `Dense(64, activation=` does not swallow the rest of
// the file. Inside brackets, a new line ends every open bracket when
//  - it starts a cell (`breaks`: the offsets where a notebook's code cells start), always;
//  - it is indented no deeper than the line of the outermost open bracket and starts with
//    `def name`, `class name`, `async def`, `import name`, `from name import`, or `@name`
//    (none of these can continue an expression);
//  - it is indented no deeper than that line and starts with `name = ` (spaces around `=`,
//    PEP 8's statement style; a keyword argument is written `name=value`), or it is indented
//    strictly less and starts with `name=` / `a.b =` — in both cases unless the line ends
//    with a comma (`lr = 0.1,` is an argument).
// An unterminated triple-quoted string also ends at a cell start.
import { isIdentPart, isIdentStart, opLength, pushNumber, unescapeBody, type Token } from './tokens';

const PLAIN_START = /^(?:(?:async[ \t]+)?def[ \t]+[A-Za-z_]|class[ \t]+[A-Za-z_]|import[ \t]+[A-Za-z_]|from[ \t]+\.*[A-Za-z_][\w.]*[ \t]+import\b|@[A-Za-z_])/;
const SPACED_ASSIGN = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*[ \t]+=[ \t]+(?!=)/;
const ANY_ASSIGN = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*[ \t]*=(?!=)/;

function indentAt(text: string, lineStart: number): number {
  let j = lineStart;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return j - lineStart;
}

/** Whether the line starting at `ls` plainly begins a new statement (see the header). */
function plainStatementStart(text: string, ls: number, openerIndent: number): boolean {
  const ind = indentAt(text, ls);
  if (ind > openerIndent) return false;
  const rest = text.slice(ls + ind, ls + ind + 200);
  if (PLAIN_START.test(rest)) return true;
  if (/^(?:def|class|import|from|async)\b/.test(rest)) return false;
  // `lr = 0.1,` ending in a comma is an argument written with spaces, not a statement.
  const line = (rest.split('\n')[0] as string).replace(/#.*$/, '').trimEnd();
  if (line.endsWith(',')) return false;
  return SPACED_ASSIGN.test(rest) || (ind < openerIndent && ANY_ASSIGN.test(rest));
}

/**
 * `breaks`: offsets where a notebook cell starts in the joined text (sorted); brackets and
 * triple-quoted strings never continue across them.
 */
export function tokenizePython(text: string, breaks: readonly number[] = []): Token[] {
  const toks: Token[] = [];
  const n = text.length;
  const breakSet = new Set(breaks);
  let depth = 0;
  // Indentation of the line holding the outermost open bracket.
  let openerIndent = 0;
  let i = 0;
  // Positions only grow, so one cursor into `breaks` finds the next cell start.
  let bi = 0;
  const nextBreak = (at: number): number => {
    while (bi < breaks.length && (breaks[bi] as number) <= at) bi++;
    return bi < breaks.length ? (breaks[bi] as number) : n;
  };
  const pushNl = (at: number): void => {
    const last = toks[toks.length - 1];
    if (last && last.kind !== 'nl') toks.push({ kind: 'nl', start: at, end: at + 1, text: '\n' });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (depth > 0 && (breakSet.has(i + 1) || plainStatementStart(text, i + 1, openerIndent))) depth = 0;
      if (depth === 0) pushNl(i);
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 0xfeff || c === 0xa0) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 92 /* \ */) {
      // Line continuation (or a stray backslash): skip it and the newline after it.
      i++;
      if (text.charCodeAt(i) === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      continue;
    }
    if (c === 59 /* ; */ && depth === 0) {
      pushNl(i);
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      // String prefixes: r, b, u, f, rb, br, fr, rf (any case), directly followed by a quote.
      if ((q === 34 || q === 39) && j - i <= 2 && /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/.test(text.slice(i, j))) {
        i = scanString(text, i, j, toks, nextBreak(i));
        continue;
      }
      toks.push({ kind: 'name', start: i, end: j, text: text.slice(i, j) });
      i = j;
      continue;
    }
    const numEnd = pushNumber(text, i, toks);
    if (numEnd >= 0) {
      i = numEnd;
      continue;
    }
    if (c === 34 || c === 39) {
      i = scanString(text, i, i, toks, nextBreak(i));
      continue;
    }
    const len = opLength(text, i);
    const op = text.slice(i, i + len);
    if (op === '(' || op === '[' || op === '{') {
      if (depth === 0) openerIndent = indentAt(text, text.lastIndexOf('\n', i) + 1);
      depth++;
    }
    else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
    toks.push({ kind: 'op', start: i, end: i + len, text: op });
    i += len;
  }
  return toks;
}

/** Scans a string whose prefix starts at `start` and whose quote is at `q`. Returns the end. */
function scanString(text: string, start: number, q: number, out: Token[], limit: number): number {
  // A string never runs into the next notebook cell (the newline before it is the joint).
  const n = limit < text.length ? limit - 1 : text.length;
  const quote = text[q] as string;
  const triple = text.substr(q, 3) === quote.repeat(3);
  const prefix = text.slice(start, q).toLowerCase();
  let j = q + (triple ? 3 : 1);
  const bodyStart = j;
  let bodyEnd = -1;
  while (j < n) {
    const ch = text[j];
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (!triple && ch === '\n') {
      bodyEnd = j;
      break;
    }
    if (ch === quote && (!triple || text.substr(j, 3) === quote.repeat(3))) {
      bodyEnd = j;
      j += triple ? 3 : 1;
      break;
    }
    j++;
  }
  if (bodyEnd < 0) {
    bodyEnd = Math.min(j, n);
    j = bodyEnd;
  }
  const body = text.slice(bodyStart, bodyEnd);
  const isF = prefix.includes('f');
  const value = isF && body.includes('{') ? undefined : prefix.includes('r') ? body : unescapeBody(body);
  out.push(value === undefined ? { kind: 'str', start, end: j, text: text.slice(start, j) } : { kind: 'str', start, end: j, text: text.slice(start, j), value });
  return j;
}
