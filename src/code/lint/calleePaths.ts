// What a callee's qualified path means to the rules: its Keras spelling folded to one form,
// and the catalog activation it names.
import type { DocIndex } from '../docIndex';
import { lookupPath } from '../names';

/** Keras paths with `tf.keras.` folded onto `keras.` and `keras.models.` onto `keras.`. */
export function kerasKey(path: string | undefined): string | undefined {
  if (!path) return undefined;
  let p = path.replace(/^tf\.keras\./, 'keras.').replace(/^keras\.models\./, 'keras.').replace(/^keras\.engine\.\w+\./, 'keras.');
  p = p.replace(/^keras\.layers\.(?:core|activation|normalization|regularization|reshaping)\./, 'keras.layers.');
  return p.startsWith('keras.') ? p : undefined;
}

/** The canonical activation id a callee path names (`torch.nn.ReLU` → `relu`). */
const ID_CACHE = new Map<string, string | null>();

export function activationIdOf(ix: DocIndex, path: string | undefined): string | undefined {
  if (!path) return undefined;
  // The catalog is static: a path always names the same activation (lookups are costly).
  const key = `${ix.lang}:${path}`;
  let id = ID_CACHE.get(key);
  if (id === undefined) {
    const hit = lookupPath(ix, path);
    id = hit?.binding.id ?? null;
    if (ID_CACHE.size > 5000) ID_CACHE.clear();
    ID_CACHE.set(key, id);
  }
  return id ?? undefined;
}
