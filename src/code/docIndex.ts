// What a scanned document knows about its names: which imports and assignments bind
// each one, and where. Built once per document version; a hover only looks things up.
import type { Framework } from '../engine/activations/types';
import type { Lang } from './literals';
import type { Token } from './tokens';

/** What a name is bound to at some point of the file. */
export type Target =
  /** An import: the qualified module/attribute path (`torch.nn.functional`). */
  | { readonly kind: 'path'; readonly path: string }
  /** An assignment `name = <expr>`: the first token of the expression. */
  | { readonly kind: 'expr'; readonly tok: number }
  /** Something of the user's (`def relu`, `for relu in`, a relative import). */
  | { readonly kind: 'local' };

export interface NameBinding {
  /** Offset from which the binding holds. */
  readonly offset: number;
  readonly target: Target;
  /** def/class bindings are visible before their line (functions call later ones). */
  readonly hoisted?: boolean;
}

export interface DocIndex {
  readonly lang: Lang;
  readonly text: string;
  readonly toks: readonly Token[];
  readonly partner: Int32Array;
  /** Bindings per name, in source order. Keys include `self.attr` for attribute assignments. */
  readonly names: ReadonlyMap<string, readonly NameBinding[]>;
  /** `from m import *` modules, with the offset they hold from. */
  readonly stars: readonly { readonly offset: number; readonly module: string }[];
  /** Frameworks the file imports (decides bare strings and tensor methods). */
  readonly frameworks: ReadonlySet<Framework>;
  /** Whether `tf` in a JS file is TF.js (imported, or the script-tag global). */
  readonly tfjsGlobal?: boolean;
}

/** The binding of `name` in force at `offset` (hoisted definitions count from the top). */
export function bindingAt(ix: DocIndex, name: string, offset: number): Target | undefined {
  const list = ix.names.get(name);
  if (!list || list.length === 0) return undefined;
  let best: NameBinding | undefined;
  for (const b of list) {
    if (b.offset <= offset) best = b;
    else break;
  }
  if (best) return best.target;
  const first = list[0] as NameBinding;
  return first.hoisted ? first.target : undefined;
}

export function addBinding(map: Map<string, NameBinding[]>, name: string, b: NameBinding): void {
  const list = map.get(name);
  if (list) list.push(b);
  else map.set(name, [b]);
}
