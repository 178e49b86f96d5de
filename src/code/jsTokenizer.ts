// JavaScript/TypeScript tokenizer: names, numbers, strings, template literals (their `${}`
// holes are tokenized as code), regex literals, operators. Comments are dropped. Never
// throws; unterminated constructs end at the end of the line or file.
import { isIdentPart, isIdentStart, opLength, pushNumber, unescapeBody, type Token } from './tokens';

// After these keywords a `/` starts a regex, not a division.
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

export function tokenizeJs(text: string): Token[] {
  const toks: Token[] = [];
  const n = text.length;
  // One entry per open `{`: true when that brace opened a template `${` hole.
  const braces: boolean[] = [];
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 32 || c === 9 || c === 13 || c === 12 || c === 0xfeff || c === 0xa0) {
      i++;
      continue;
    }
    if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        continue;
      }
      if (d === 42) {
        const e = text.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
        continue;
      }
      if (regexAllowed(toks[toks.length - 1])) {
        i = scanRegex(text, i, toks);
        continue;
      }
    }
    const numEnd = pushNumber(text, i, toks);
    if (numEnd >= 0) {
      i = numEnd;
      continue;
    }
    if (isIdentStart(c) || c === 36 /* $ */) {
      let j = i + 1;
      while (j < n && (isIdentPart(text.charCodeAt(j)) || text.charCodeAt(j) === 36)) j++;
      toks.push({ kind: 'name', start: i, end: j, text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (c === 34 || c === 39) {
      let j = i + 1;
      while (j < n && text[j] !== text[i] && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      const end = Math.min(n, text[j] === text[i] ? j + 1 : j);
      toks.push({ kind: 'str', start: i, end, text: text.slice(i, end), value: unescapeBody(text.slice(i + 1, Math.min(j, n))) });
      i = end;
      continue;
    }
    if (c === 96 /* ` */) {
      i = scanTemplate(text, i + 1, i, toks, braces);
      continue;
    }
    if (c === 125 /* } */ && braces.length && braces[braces.length - 1]) {
      // End of a `${…}` hole: the template continues.
      braces.pop();
      toks.push({ kind: 'op', start: i, end: i + 1, text: '}' });
      i = scanTemplate(text, i + 1, i, toks, braces, true);
      continue;
    }
    const len = opLength(text, i);
    const op = text.slice(i, i + len);
    if (op === '{') braces.push(false);
    else if (op === '}') braces.pop();
    toks.push({ kind: 'op', start: i, end: i + len, text: op });
    i += len;
  }
  return toks;
}

function regexAllowed(prev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.kind === 'num' || prev.kind === 'str') return false;
  if (prev.kind === 'name') return REGEX_AFTER_WORD.has(prev.text);
  return !(prev.text === ')' || prev.text === ']' || prev.text === '}' || prev.text === '++' || prev.text === '--');
}

function scanRegex(text: string, i: number, toks: Token[]): number {
  const n = text.length;
  let j = i + 1;
  let inClass = false;
  while (j < n && text[j] !== '\n') {
    const ch = text[j];
    if (ch === '\\') j += 2;
    else {
      if (ch === '[') inClass = true;
      else if (ch === ']') inClass = false;
      else if (ch === '/' && !inClass) break;
      j++;
    }
  }
  j = Math.min(j + 1, n);
  while (j < n && isIdentPart(text.charCodeAt(j))) j++;
  toks.push({ kind: 'str', start: i, end: j, text: text.slice(i, j) });
  return j;
}

/**
 * Scans template text from `from` until the closing backtick or a `${` hole. A template
 * is one `str` token when it has no holes (value = its text); with holes the pieces
 * are `str` tokens without a value and the holes are ordinary tokens.
 */
function scanTemplate(text: string, from: number, tokStart: number, toks: Token[], braces: boolean[], continued = false): number {
  const n = text.length;
  let j = from;
  while (j < n) {
    const ch = text[j];
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === '`') {
      const start = continued ? from : tokStart;
      const plain = !continued;
      const tok: Token = plain
        ? { kind: 'str', start, end: j + 1, text: text.slice(start, j + 1), value: unescapeBody(text.slice(from, j)) }
        : { kind: 'str', start, end: j + 1, text: text.slice(start, j + 1) };
      toks.push(tok);
      return j + 1;
    }
    if (ch === '$' && text[j + 1] === '{') {
      const start = continued ? from : tokStart;
      toks.push({ kind: 'str', start, end: j, text: text.slice(start, j) });
      toks.push({ kind: 'op', start: j, end: j + 2, text: '${' });
      braces.push(true);
      return j + 2;
    }
    j++;
  }
  toks.push({ kind: 'str', start: tokStart, end: n, text: text.slice(tokStart, n) });
  return n;
}
