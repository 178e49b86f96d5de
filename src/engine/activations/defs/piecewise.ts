// Placeholder: filled in by the catalog work on this group.
import type { CatalogEntry } from '../types';

export const PIECEWISE_ENTRIES: readonly CatalogEntry[] = [];
