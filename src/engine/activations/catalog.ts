// The list of catalog entries, in display order. Add a group file here, nowhere else: an
// entry's tags (family, saturating, demo) feed the lint rules and the hover's demo links.
import { PIECEWISE_ENTRIES } from './defs/piecewise';
import { RELU_ENTRIES } from './defs/relu';
import { SMOOTH_ENTRIES } from './defs/smooth';
import { VECTOR_ENTRIES } from './defs/vector';
import { gatedEntries } from './defs/gated';
import type { CatalogEntry, GatedEntry } from './types';

export const CATALOG_ENTRIES: readonly CatalogEntry[] = [...RELU_ENTRIES, ...PIECEWISE_ENTRIES, ...SMOOTH_ENTRIES, ...VECTOR_ENTRIES];

/**
 * Gated two-input activations (GLU, ReGLU, GeGLU, SwiGLU), f(a, b) = a·g(b) with g the
 * catalog's own kernel. A separate list: they are neither elementwise nor vector functions,
 * so `allEntries()` consumers (hovers, list/show, the explorer's curves) are unaffected.
 */
export const GATED_ENTRIES: readonly GatedEntry[] = gatedEntries((id) => {
  const d = CATALOG_ENTRIES.find((e) => e.def.id === id)?.def;
  if (!d || d.kind !== 'elementwise') throw new Error(`gated: no elementwise catalog entry "${id}"`);
  return d;
});
