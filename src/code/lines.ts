// Offsets ↔ 0-based line/character, the one implementation for the scanner, lint and the CLI.

/** Start offsets of every line (0-based lines). */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/**
 * 0-based line/character → offset; −1 when the line does not exist or the character is
 * past the line's end (the position right after the last character is allowed).
 */
export function offsetAt(starts: readonly number[], textLength: number, line: number, character: number): number {
  const s = starts[line];
  if (s === undefined || character < 0) return -1;
  const next = starts[line + 1];
  const lineEnd = next === undefined ? textLength : next - 1;
  return s + character > lineEnd ? -1 : s + character;
}

/** Offset → 0-based line/character. */
export function positionAt(starts: readonly number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - (starts[lo] as number) };
}

/** 0-based line of an offset. */
export function lineAt(starts: readonly number[], offset: number): number {
  return positionAt(starts, offset).line;
}
