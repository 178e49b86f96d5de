// Placeholder: filled in by the catalog work on this group.
import type { CatalogEntry } from '../types';

export const SMOOTH_ENTRIES: readonly CatalogEntry[] = [];
