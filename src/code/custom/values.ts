// What an expression in a definition's body evaluates to while it is being translated:
// a formula in x (CE), a static Python/JS value (bool, string, None), a library path
// (`torch.nn.functional`), a condition (for where), a dict, or something callable (a
// library op, a recognised function, a module instance). Translation is abstract
// interpretation over these values; whatever falls outside them rejects the definition.
import type { CE, CmpOp } from './cexpr';

export type Val =
  | { readonly v: 'e'; readonly e: CE }
  | { readonly v: 'bool'; readonly b: boolean }
  | { readonly v: 'str'; readonly s: string }
  | { readonly v: 'none' }
  /** dtype, device, shapes we only pass through (`np.array(0.0, x.dtype)`). */
  | { readonly v: 'opaque' }
  | { readonly v: 'path'; readonly path: string }
  | { readonly v: 'cond'; readonly op: CmpOp; readonly l: CE; readonly r: CE }
  /** A dict literal, or an object's attributes (`self`). */
  | { readonly v: 'dict'; readonly entries: { get(key: string): (() => Val) | undefined } }
  | { readonly v: 'seq'; readonly items: readonly Val[] }
  | { readonly v: 'fn'; readonly call: (args: readonly Val[], kw: ReadonlyMap<string, Val>) => Val };

/**
 * What the translation of one definition met (reset by index.ts before each): a Python or JS
 * conditional on a comparison with x (`a if x > 0 else b`, `x > 0 ? a : b`), and a tensor
 * library op or tensor method applied to x. Both together mean the code branches on a tensor,
 * which is not elementwise (PyTorch raises, NumPy too, TF.js compares an object): no match.
 */
export const trace = { branchOnX: false, tensorOp: false };

/** Thrown (and caught at the top) when a definition is not an elementwise activation. */
export class Reject extends Error {}

export function reject(why: string): never {
  throw new Reject(why);
}

export const NONE: Val = { v: 'none' };
export const OPAQUE: Val = { v: 'opaque' };
export const ex = (e: CE): Val => ({ v: 'e', e });

export function asExpr(v: Val | undefined, what = 'argument'): CE {
  if (!v) return reject(`missing ${what}`);
  if (v.v === 'e') return v.e;
  if (v.v === 'bool') return { k: 'num', v: v.b ? 1 : 0 };
  // a comparison in arithmetic is 1 where it holds, else 0 (x * (x > 0), (x > 0).float())
  if (v.v === 'cond') return { k: 'where', op: v.op, l: v.l, r: v.r, a: { k: 'num', v: 1 }, b: { k: 'num', v: 0 } };
  return reject(`${what} is not a number or tensor`);
}

export function asBool(v: Val): boolean {
  if (v.v === 'bool') return v.b;
  if (v.v === 'none') return false;
  if (v.v === 'str') return v.s.length > 0;
  if (v.v === 'e' && v.e.k === 'num') return v.e.v !== 0;
  return reject('condition is not known statically');
}
