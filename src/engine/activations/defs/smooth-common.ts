// Small helpers shared by the smooth activation groups (sigmoid, ELU and GELU families).
import type { BindingParam, Conventions, Framework, FrameworkBinding, Params } from '../types';

/** Options for {@link bind}: the binding's parameters, pinned values, conventions, notes. */
export interface BindOptions {
  params?: readonly BindingParam[];
  fixed?: Params;
  conventions?: Conventions;
  notes?: readonly string[];
}

/** One framework binding, written compactly. */
export function bind(framework: Framework, id: string, names: readonly string[], paths: readonly string[], o: BindOptions = {}): FrameworkBinding {
  return {
    framework,
    id,
    names,
    paths,
    params: o.params ?? [],
    conventions: o.conventions ?? {},
    ...(o.fixed ? { fixed: o.fixed } : {}),
    ...(o.notes ? { notes: o.notes } : {}),
  };
}

/** A framework parameter that maps 1:1 onto the canonical one. */
export function p(name: string, def: number | boolean, canonical: string = name, extra: Partial<BindingParam> = {}): BindingParam {
  return { name, canonical, default: def, ...extra };
}
