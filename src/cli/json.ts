// JSON with non-finite numbers: the contract writes them as "inf", "-inf", "nan".
export type JsonNum = number | 'inf' | '-inf' | 'nan';

export function jsonNumber(v: number): JsonNum {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return v;
}

/** Reads a number written by `jsonNumber` (or a plain JSON number). */
export function fromJsonNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}
