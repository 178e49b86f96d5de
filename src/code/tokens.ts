// Tokens shared by the Python and JS/TS scanners. A tokenizer-level view is enough to
// find activation references: strings and comments are skipped as whole tokens, so
// nothing inside them is ever mistaken for code.

export type TokKind = 'name' | 'num' | 'str' | 'op' | 'nl';

export interface Token {
  readonly kind: TokKind;
  /** Offsets into the source text, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The source text of the token (for strings: including prefix and quotes). */
  readonly text: string;
  /** Decoded value of a plain string literal; undefined for f-strings/templates with holes. */
  readonly value?: string;
}

/**
 * The brackets around token `k`, innermost first: the indices of the unclosed `(`, `[`, `{`
 * before it, looking back fewer than `window` tokens; with `stopAtNewline`, none beyond a
 * newline token outside brackets (the statement's start).
 */
export function* enclosingOpeners(toks: readonly Token[], k: number, window: number, stopAtNewline: boolean): Generator<number, void, undefined> {
  let depth = 0;
  for (let j = k - 1; j >= 0 && j > k - window; j--) {
    const t = toks[j] as Token;
    if (t.text === ')' || t.text === ']' || t.text === '}') depth++;
    else if (t.text === '(' || t.text === '[' || t.text === '{') {
      if (depth === 0) yield j;
      else depth--;
    } else if (stopAtNewline && t.kind === 'nl' && depth === 0) return;
  }
}

/**
 * For every bracket token, the index of its partner (−1 when unbalanced); −1 elsewhere.
 * Computed once per document so finding the call around a string is O(distance).
 */
export function matchBrackets(toks: readonly Token[]): Int32Array {
  const partner = new Int32Array(toks.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    // A logical-line end (Python) closes nothing: brackets left open there stay unmatched
    // (the tokenizer only ends a line inside brackets when it recovers from an unclosed one).
    if (t.kind === 'nl') {
      stack.length = 0;
      continue;
    }
    if (t.kind !== 'op') continue;
    const c = t.text === '${' ? '{' : t.text;
    if (c === '(' || c === '[' || c === '{') stack.push(i);
    else if (c === ')' || c === ']' || c === '}') {
      const want = c === ')' ? '(' : c === ']' ? '[' : '{';
      // Pop until the matching opener (tolerates garbage like `(]`).
      for (let k = stack.length - 1; k >= 0; k--) {
        const j = stack[k] as number;
        const o = (toks[j] as Token).text;
        if (o === want || (want === '{' && o === '${')) {
          partner[i] = j;
          partner[j] = i;
          stack.length = k;
          break;
        }
      }
    }
  }
  return partner;
}

/** Index of the token containing `offset` (or ending exactly at it), −1 if none. */
export function tokenAt(toks: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = toks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = toks[mid] as Token;
    if (offset < t.start) hi = mid - 1;
    else if (offset >= t.end) lo = mid + 1;
    else return mid;
  }
  // Cursor just after a name (VS Code reports the position after the last character).
  const prev = toks[lo - 1];
  if (prev && prev.end === offset && prev.kind !== 'op' && prev.kind !== 'nl') return lo - 1;
  return -1;
}

export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** When a number literal starts at i (a digit, or `.` and a digit): pushes its token, returns its end; else -1. */
export function pushNumber(text: string, i: number, toks: Token[]): number {
  const c = text.charCodeAt(i);
  if (!isDigit(c) && !(c === 46 && isDigit(text.charCodeAt(i + 1)))) return -1;
  const end = i + scanNumber(text, i);
  toks.push({ kind: 'num', start: i, end, text: text.slice(i, end) });
  return end;
}

/** Length of a number literal starting at i (digits, `_`, `.`, exponent, hex, suffixes). */
export function scanNumber(text: string, i: number): number {
  const n = text.length;
  let j = i;
  if (text.charCodeAt(j) === 48 && /[xXoObB]/.test(text[j + 1] ?? '')) {
    j += 2;
    while (j < n && /[0-9a-fA-F_]/.test(text[j] as string)) j++;
    return j - i;
  }
  while (j < n && (isDigit(text.charCodeAt(j)) || text[j] === '_')) j++;
  if (text[j] === '.') {
    j++;
    while (j < n && (isDigit(text.charCodeAt(j)) || text[j] === '_')) j++;
  }
  if ((text[j] === 'e' || text[j] === 'E') && /[0-9+-]/.test(text[j + 1] ?? '')) {
    j += 2;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
  }
  // Python complex `j`, JS BigInt `n`
  if (text[j] === 'j' || text[j] === 'J' || text[j] === 'n') j++;
  return j - i;
}

/** Decodes the common backslash escapes of a string body. */
export function unescapeBody(body: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/gs, (_m, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v' };
    return map[e] ?? e;
  });
}

const OPS3 = new Set(['**=', '//=', '>>=', '<<=', '...', '===', '!==', '>>>', '??=', '&&=', '||=']);
const OPS2 = new Set(['**', '//', '->', ':=', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '>>', '<<', '=>', '&&', '||', '??', '?.', '++', '--', '@=']);

/** Length of the operator at i (longest match of the tables above, else 1). */
export function opLength(text: string, i: number): number {
  if (OPS3.has(text.substr(i, 3))) return 3;
  if (OPS2.has(text.substr(i, 2))) return 2;
  return 1;
}

/**
 * `rec[key]` for own keys only: names from source code (`toString`, `constructor`) must
 * never reach Object.prototype.
 */
export function own<T>(rec: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}
