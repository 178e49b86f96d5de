// JSON with non-finite numbers, written as the reference and the CLI contract write them:
// "inf", "-inf", "nan". The one encoder/decoder every layer uses.
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

/** A deep copy of `v` with every non-finite number encoded by `jsonNumber`; undefined members dropped. */
export function toJsonSafe(v: unknown): unknown {
  if (typeof v === 'number') return jsonNumber(v);
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toJsonSafe(x);
    return o;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, jsonNumber);
  return v;
}
