// Experiment → runnable script, per target framework.
import type { CodeTarget } from '../shared/protocol';
import type { TrainingSpec } from '../engine/train/spec';
import { jaxScript } from './jax';
import { kerasScript } from './keras';
import { pytorchScript } from './pytorch';

export { mapActivation, py } from './common';

export function generateCode(target: CodeTarget, spec: TrainingSpec): string {
  switch (target) {
    case 'pytorch':
      return pytorchScript(spec);
    case 'keras':
      return kerasScript(spec);
    case 'jax':
      return jaxScript(spec);
  }
}
