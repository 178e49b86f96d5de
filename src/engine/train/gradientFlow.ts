// "Gradient flow": one forward/backward pass on a minibatch at initialization, and the
// gradient norm ‖∂L/∂W‖₂ of every dense layer (vanishing gradients show as a falling line).
import type { TrainingSpec } from './spec';
import { Trainer } from './trainer';

export interface LayerGradient {
  /** Dense layer index (0 = first), and a label like `dense 2: 32→32 (relu)`. */
  readonly layer: number;
  readonly label: string;
  readonly norm: number;
}

/** ‖∂L/∂W‖₂ of every dense layer after one forward/backward pass of `spec` at initialization. */
export function gradientFlow(spec: TrainingSpec): LayerGradient[] {
  const t = new Trainer({ ...spec, steps: 1 });
  t.stepOnce(true);
  const norms = t.weightGradNorm0 ?? [];
  return norms.map((n, l) => {
    const act = spec.activations[l];
    return { layer: l, label: `dense ${l + 1}: ${spec.sizes[l]}→${spec.sizes[l + 1]}${act ? ` (${act.name})` : ' (output)'}`, norm: n };
  });
}
