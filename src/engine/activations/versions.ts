// Which version of each framework the catalog describes, and the places where another
// version of that framework returns something else. The bindings in defs/ describe the
// MODELLED version; a VersionDifference lists what other versions give, so `show`, the docs
// and (when the user's interpreter is known) hovers can state both.
import type { Framework } from './types';

export interface ModelledVersion {
  /** The versions the bindings describe, as a user reads it ("2.x (checked: 2.11.0)"). */
  readonly modelled: string;
  /** Where the numbers come from. */
  readonly source: string;
}

/** The versions every convention in defs/ describes. */
export const MODELLED_VERSIONS: Readonly<Record<Framework, ModelledVersion>> = {
  torch: {
    modelled: 'PyTorch 2.x (values checked against 2.11.0; 1.13 also checked, differences listed)',
    source: 'test/fixtures/pytorch-jax-reference.json (torch 2.11.0) and Debian python3-torch 1.13',
  },
  keras: {
    modelled: 'Keras 3 (Keras 2 / tf.keras differences are listed per activation)',
    source: 'keras/src/activations/activations.py (Keras 3) read from source',
  },
  jax: {
    modelled: 'JAX 0.4 and later (values checked against 0.11.2)',
    source: 'test/fixtures/pytorch-jax-reference.json (jax 0.11.2)',
  },
  tf: {
    modelled: 'TensorFlow 2.x (tf.nn and tf.keras 2)',
    source: 'tensorflow/python/ops/nn_ops.py and gradient registrations read from source',
  },
  tfjs: {
    modelled: 'TensorFlow.js 4.x (checked against @tensorflow/tfjs 4.22)',
    source: 'the devDependency @tensorflow/tfjs, run in the benchmarks',
  },
};

export interface VersionValue {
  /** A version range as people write it: "≤ 2.6", "≥ 2.7". */
  readonly versions: string;
  readonly value: string;
}

export interface VersionDifference {
  readonly framework: Framework;
  /** Canonical activation id. */
  readonly id: string;
  /** What differs ("f′(−3), f′(3)"). */
  readonly what: string;
  /** The modelled version's value first, then the others. */
  readonly values: readonly VersionValue[];
  /** Where the change is recorded. */
  readonly reference: string;
  /**
   * Given a version string ("1.13.0a0", "2.11.0+cu130"), the index into `values` that
   * applies, or undefined when unknown.
   */
  readonly pick: (version: string) => number | undefined;
}

/** Major and minor of "2.11.0+cu130" → [2, 11]; undefined when unparsable. */
export function majorMinor(version: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The version is ≤ major.minor. */
function atMost(version: string, major: number, minor: number): boolean | undefined {
  const mm = majorMinor(version);
  if (!mm) return undefined;
  return mm[0] < major || (mm[0] === major && mm[1] <= minor);
}

/**
 * A difference where versions up to `major.minor` give `older` and later ones `newer` (the
 * modelled value, listed first).
 */
function changedAfter(
  framework: Framework, id: string, what: string, major: number, minor: number,
  newer: VersionValue, older: VersionValue, reference: string,
): VersionDifference {
  return {
    framework, id, what, values: [newer, older], reference,
    pick: (v) => {
      const old = atMost(v, major, minor);
      return old === undefined ? undefined : old ? 1 : 0;
    },
  };
}

export const VERSION_DIFFERENCES: readonly VersionDifference[] = [
  changedAfter(
    'torch', 'hardswish', 'f′(−3) and f′(3)', 2, 6,
    { versions: '≥ 2.7 (checked: 2.11.0)', value: 'f′(−3) = 0, f′(3) = 1' },
    { versions: '≤ 2.6 (checked: 1.13; reported for 2.6)', value: 'f′(−3) = −0.5, f′(3) = 1.5 (the inner branch x/3 + ½ on the closed [−3, 3])' },
    'pytorch/pytorch#147801, fixed by pytorch/pytorch#148049 (2025)',
  ),
  // 1.x (any minor) gives 0
  changedAfter(
    'torch', 'softshrink', 'softshrink(NaN)', 1, Infinity,
    { versions: '2.x (checked: 2.11.0)', value: 'NaN' },
    { versions: '1.13', value: '0' },
    'measured: torch 1.13 (Debian python3-torch) against the 2.11.0 reference data',
  ),
];

/** Differences between versions of one framework's binding of an activation. */
export function versionDifferences(framework: Framework, id: string): VersionDifference[] {
  return VERSION_DIFFERENCES.filter((d) => d.framework === framework && d.id === id);
}

/**
 * One line per difference: "torch ≥ 2.7: f′(−3) = 0, f′(3) = 1; ≤ 2.6: f′(−3) = −0.5, …".
 * With the user's installed version, the line says which one applies to them.
 */
export function versionLines(framework: Framework, id: string, installed?: string): string[] {
  return versionDifferences(framework, id).map((d) => {
    const parts = d.values.map((v) => `${v.versions}: ${v.value}`);
    const k = installed === undefined ? undefined : d.pick(installed);
    const yours = k === undefined ? '' : ` — your ${framework} ${installed} gives ${d.values[k]?.value ?? '?'}`;
    return `${d.what} differ between versions: ${parts.join('; ')} (${d.reference})${yours}`;
  });
}
