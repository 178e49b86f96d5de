// The list of catalog entries, in display order. Add a group file here, nowhere else: an
// entry's tags (family, saturating, demo) feed the lint rules and the hover's demo links.
import { PIECEWISE_ENTRIES } from './defs/piecewise';
import { RELU_ENTRIES } from './defs/relu';
import { SMOOTH_ENTRIES } from './defs/smooth';
import { VECTOR_ENTRIES } from './defs/vector';
import type { CatalogEntry } from './types';

export const CATALOG_ENTRIES: readonly CatalogEntry[] = [...RELU_ENTRIES, ...PIECEWISE_ENTRIES, ...SMOOTH_ENTRIES, ...VECTOR_ENTRIES];
