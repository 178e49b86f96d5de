// Dotted names → the activation they name (`F.gelu` with `import torch.nn.functional as F`,
// `self.act` with `self.act = nn.GELU()`), resolved by the one resolver in ./names, plus
// the arguments of a call as the scanner reads them.
import type { DocIndex } from './docIndex';
import { parseArgs, parseObject, type Arg } from './literals';
import { lookupPath, resolveNames } from './names';
import type { PathHit } from './paths';

export interface ChainResult {
  readonly hit?: PathHit;
  /** Path of a module or other non-activation (for `F = torch.nn.functional`). */
  readonly path?: string;
  /** Arguments fixed where an instance was created (`act = nn.ReLU()`). */
  readonly boundArgs?: readonly Arg[];
}

/** The activation a dotted chain toks[start..k] names (through `resolveNames`), with bound arguments. */
export function resolveChain(ix: DocIndex, start: number, k: number): ChainResult | undefined {
  const q = resolveNames(ix, start, k);
  if (!q) return undefined;
  if (q.instanceOf !== undefined) {
    // An instance of an activation layer/module: its constructor arguments stay with it.
    const hit = lookupPath(ix, q.instanceOf);
    if (!hit || hit.form === 'function') return undefined;
    return { hit, boundArgs: q.ctorOpen === undefined ? [] : callArgs(ix, q.ctorOpen, hit) };
  }
  if (q.path === undefined) return undefined;
  const hit = lookupPath(ix, q.path);
  return hit ? { hit } : { path: q.path };
}

export function callArgs(ix: DocIndex, open: number, hit: PathHit | undefined): Arg[] {
  const close = ix.partner[open] as number;
  if (close < open) return [];
  const toks = ix.toks;
  if (ix.lang === 'js' && toks[open + 1]?.text === '{' && (hit?.form === 'config' || toks[ix.partner[open + 1] as number]?.text === '}')) {
    const oc = ix.partner[open + 1] as number;
    if (oc > open + 1 && oc + 1 === close) return parseObject(ix.text, toks, ix.partner, open + 1, oc);
  }
  return parseArgs(ix.text, toks, ix.partner, open, close, ix.lang);
}

