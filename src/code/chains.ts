// Dotted names → what they refer to, through the file's imports and assignments:
// `F.gelu` with `import torch.nn.functional as F`, `self.act` with `self.act = nn.GELU()`,
// `F = torch.nn.functional`, star imports, and the framework roots used without an import.
import { bindingAt, type DocIndex, type Target } from './docIndex';
import { parseArgs, parseObject, type Arg } from './literals';
import { lookupJsPath, lookupPyPath, normalizePyPath, type PathHit } from './paths';
import { own, type Token } from './tokens';

// Python names usable without an import in snippets and notebooks that import elsewhere.
export const IMPLICIT_ROOTS: Readonly<Record<string, string>> = { torch: 'torch', tensorflow: 'tf', tf: 'tf', jax: 'jax', keras: 'keras', flax: 'flax', np: 'numpy', numpy: 'numpy', jnp: 'jax.numpy' };
const MAX_DEPTH = 4;

export interface ChainResult {
  readonly hit?: PathHit;
  /** Path of a module or other non-activation (for `F = torch.nn.functional`). */
  readonly path?: string;
  /** Arguments fixed where an instance was created (`act = nn.ReLU()`). */
  readonly boundArgs?: readonly Arg[];
}


/**
 * `self.act` with a class-level `act = nn.ReLU()` (or Flax's `act: Callable = nn.relu`):
 * an indented assignment of that name.
 */
function classAttribute(ix: DocIndex, name: string, at: number): Target | undefined {
  const t = bindingAt(ix, name, at) ?? ix.names.get(name)?.[0]?.target;
  if (t?.kind !== 'expr') return undefined;
  const first = ix.toks[t.tok];
  if (!first) return undefined;
  const lineStart = ix.text.lastIndexOf('\n', first.start) + 1;
  const indent = /^[ \t]+/.exec(ix.text.slice(lineStart, first.start));
  return indent ? t : undefined;
}

export function resolveChain(ix: DocIndex, start: number, k: number, depth: number): ChainResult | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const toks = ix.toks;
  const names: string[] = [];
  for (let m = start; m <= k; m += 2) names.push((toks[m] as Token).text);
  const at = (toks[start] as Token).start;
  let target: Target | undefined;
  let rest = names.slice(1);
  if (names.length >= 2) {
    // Attribute assignments: `self.act = nn.GELU()` then `self.act(x)`.
    const attr = bindingAt(ix, `${names[0]}.${names[1]}`, at) ?? (names[0] === 'self' ? classAttribute(ix, names[1] as string, at) : undefined);
    if (attr) {
      target = attr;
      rest = names.slice(2);
    }
  }
  if (!target) target = bindingAt(ix, names[0] as string, at);
  let base: string | undefined;
  let boundArgs: readonly Arg[] | undefined;
  if (!target) {
    const head = names[0] as string;
    if (ix.lang === 'python') {
      base = own(IMPLICIT_ROOTS, head);
      if (!base) {
        for (const s of ix.stars) {
          if (s.offset > at) continue;
          const hit = lookupPyPath(`${s.module}.${names.join('.')}`);
          if (hit) return { hit };
        }
        return undefined;
      }
    } else if (head === 'tf' && ix.tfjsGlobal) base = 'tf';
    else return undefined;
  } else if (target.kind === 'local') return undefined;
  else if (target.kind === 'path') base = target.path;
  else {
    const r = resolveExpr(ix, target.tok, depth + 1);
    if (!r) return undefined;
    if (r.hit) {
      if (rest.length > 0) return undefined;
      return r;
    }
    base = r.path;
    boundArgs = r.boundArgs;
  }
  if (base === undefined) return undefined;
  const path = rest.length ? `${base}.${rest.join('.')}` : base;
  const hit = ix.lang === 'python' ? lookupPyPath(path) : lookupJsPath(path);
  if (hit) return { hit, boundArgs };
  return { path: ix.lang === 'python' ? normalizePyPath(path) : path };
}

/** `name = <chain>` or `name = <chain>(args)`, ending the statement. */
export function resolveExpr(ix: DocIndex, tok: number, depth: number): ChainResult | undefined {
  const toks = ix.toks;
  const t = toks[tok];
  if (!t || t.kind !== 'name') return undefined;
  let k = tok;
  while ((toks[k + 1]?.text === '.') && toks[k + 2]?.kind === 'name') k += 2;
  const r = resolveChain(ix, tok, k, depth);
  if (!r) return undefined;
  const after = toks[k + 1];
  const endsHere = (j: number): boolean => {
    const u = toks[j];
    return !u || u.kind === 'nl' || u.text === ';' || u.text === ',' || (ix.lang === 'js' && (u.kind === 'name' || u.text === '}'));
  };
  if (after?.text === '(') {
    const close = ix.partner[k + 1] as number;
    // Calling an instance (`self.act(h)`) or a function gives a tensor, not an activation.
    if (close < 0 || !endsHere(close + 1) || !r.hit || r.boundArgs) return undefined;
    // An instance of an activation layer/module: its constructor arguments stay with it.
    if (r.hit.form === 'function') return undefined;
    return { hit: r.hit, boundArgs: callArgs(ix, k + 1, r.hit) };
  }
  return endsHere(k + 1) ? r : undefined;
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

