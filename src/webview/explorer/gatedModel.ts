// Heatmaps of the gated activations f(a, b) = a·g(b) and their partials (pure: grids and
// colours; gatedView.ts paints them). a runs left to right, b bottom to top.
import { GATED_ENTRIES } from '../../engine/activations/catalog';
import type { GatedDef } from '../../engine/activations/types';

export type GatedQuantity = 'f' | 'dfda' | 'dfdb';
export const GATED_QUANTITIES: readonly GatedQuantity[] = ['f', 'dfda', 'dfdb'];
export const GATED_IDS: readonly string[] = GATED_ENTRIES.map((e) => e.def.id);

export function gatedDef(id: string): GatedDef | undefined {
  return GATED_ENTRIES.find((e) => e.def.id === id)?.def;
}

export interface Grid {
  readonly n: number;
  readonly lo: number;
  readonly hi: number;
  /** values[row·n + col]: col ↦ a = lo + col·(hi − lo)/(n − 1), row ↦ b = hi − row·(hi − lo)/(n − 1). */
  readonly values: Float64Array;
  readonly min: number;
  readonly max: number;
}

/** Samples one quantity on an n×n grid over [lo, hi]². */
export function gatedGrid(def: GatedDef, q: GatedQuantity, n: number, lo: number, hi: number): Grid {
  const fn = q === 'f' ? def.f : q === 'dfda' ? def.dfda : def.dfdb;
  const values = new Float64Array(n * n);
  let min = Infinity;
  let max = -Infinity;
  for (let row = 0; row < n; row++) {
    const b = hi - (row * (hi - lo)) / (n - 1);
    for (let col = 0; col < n; col++) {
      const a = lo + (col * (hi - lo)) / (n - 1);
      const v = fn(a, b);
      values[row * n + col] = v;
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return { n, lo, hi, values, min, max };
}

type RGB = readonly [number, number, number];
const NEG: RGB = [33, 102, 172];
const POS: RGB = [178, 24, 43];
const MID_LIGHT: RGB = [247, 247, 247];
const MID_DARK: RGB = [48, 48, 48];

/**
 * A diverging colour: 0 is the neutral middle (light or dark, to sit on the page), −maxAbs
 * blue, +maxAbs red; NaN is transparent black so gaps show as the background.
 */
export function diverging(v: number, maxAbs: number, dark: boolean): [number, number, number, number] {
  if (Number.isNaN(v)) return [0, 0, 0, 0];
  const mid = dark ? MID_DARK : MID_LIGHT;
  const t = maxAbs > 0 ? Math.max(-1, Math.min(1, v / maxAbs)) : 0;
  const end = t < 0 ? NEG : POS;
  const s = Math.abs(t);
  return [Math.round(mid[0] + (end[0] - mid[0]) * s), Math.round(mid[1] + (end[1] - mid[1]) * s), Math.round(mid[2] + (end[2] - mid[2]) * s), 255];
}
