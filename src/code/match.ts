// What the scanner finds at a position: the types shared by the scanner and its string-slot
// reader (strings.ts), kept apart so neither imports the other's module for them.
import type { Framework, FrameworkBinding } from '../engine/activations/types';
import type { Arg } from './literals';

export type MatchKind = 'call' | 'reference' | 'string' | 'method' | 'lookalike';

export interface CodeMatch {
  readonly framework: Framework;
  /** The name as the code spells it (`LeakyReLU`, `gelu`, `relu` for `"relu"`). */
  readonly fn: string;
  readonly binding: FrameworkBinding;
  /** Qualified path (`torch.nn.LeakyReLU`); for strings and methods a descriptive one. */
  readonly path: string;
  readonly kind: MatchKind;
  /** Arguments mapped to the framework's parameter names. */
  readonly given: Readonly<Record<string, Arg['value']>>;
  /** Source text of arguments that set nothing we model (`inplace=True`, `name="act"`). */
  readonly ignored: readonly string[];
  /** Offsets, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** Lookalikes: the note about their gradient at 0, and that gradient. */
  readonly note?: string;
  readonly lookalikeGrad?: number;
}

export interface ScanOptions {
  /** Framework a bare string like "relu" means when the file does not say. */
  readonly defaultFramework?: Framework;
}

