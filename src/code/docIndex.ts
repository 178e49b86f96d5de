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

/**
 * A Python function or class body: [start, end) in the text. A class body does not enclose
 * the functions defined in it (Python's scoping), so a name bound in a class body is
 * invisible inside its methods.
 */
export interface Scope {
  readonly kind: 'def' | 'class';
  readonly start: number;
  end: number;
  readonly parent?: Scope;
  /** Function bodies nested (at any depth) in this scope. */
  readonly defs: Scope[];
}

/** Whether a binding made in `scope` is visible at `offset` (module scope: everywhere). */
export function scopeSees(scope: Scope | undefined, offset: number): boolean {
  if (!scope) return true;
  if (offset < scope.start || offset >= scope.end) return false;
  if (scope.kind === 'class') for (const d of scope.defs) if (offset >= d.start && offset < d.end) return false;
  return true;
}

export interface NameBinding {
  /** Offset from which the binding holds. */
  readonly offset: number;
  readonly target: Target;
  /** def/class bindings are visible before their line (functions call later ones). */
  readonly hoisted?: boolean;
  /** The function or class body the binding is made in (none: module level). */
  readonly scope?: Scope;
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
    if (b.offset > offset) break;
    if (scopeSees(b.scope, offset)) best = b;
  }
  if (best) return best.target;
  const first = list.find((b) => scopeSees(b.scope, offset));
  return first?.hoisted ? first.target : undefined;
}

export function addBinding(map: Map<string, NameBinding[]>, name: string, b: NameBinding): void {
  const list = map.get(name);
  if (list) list.push(b);
  else map.set(name, [b]);
}
