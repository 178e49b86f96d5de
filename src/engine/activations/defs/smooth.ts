// The smooth activations of the catalog, grouped by family in sibling files.
import type { CatalogEntry } from '../types';
import { ELU_FAMILY_ENTRIES } from './elu-family';
import { GELU_FAMILY_ENTRIES } from './gelu-family';
import { SIGMOID_FAMILY_ENTRIES } from './sigmoid-family';
import { SMOOTH_MISC_ENTRIES } from './smooth-misc';

export const SMOOTH_ENTRIES: readonly CatalogEntry[] = [...SIGMOID_FAMILY_ENTRIES, ...ELU_FAMILY_ENTRIES, ...GELU_FAMILY_ENTRIES, ...SMOOTH_MISC_ENTRIES];
