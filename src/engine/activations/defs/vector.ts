// Placeholder: filled in by the catalog work on this group.
import type { CatalogEntry } from '../types';

export const VECTOR_ENTRIES: readonly CatalogEntry[] = [];
