// The training half of bench/custom-kernel.mjs: one network trained for a fixed number of
// steps with the built-in "silu" and with {"expr": "x * sigmoid(x)"} (same data, seed and
// optimizer, so the same arithmetic apart from the activation kernel), interleaved runs,
// best time of each.
import { parseTrainingSpec } from '../src/engine/train/spec';
import { Trainer } from '../src/engine/train/trainer';

export function available(): boolean {
  try {
    parseTrainingSpec(spec({ expr: 'x * sigmoid(x)' }, 'float32'));
    return true;
  } catch {
    return false;
  }
}

function data(): { X: number[][]; y: number[][] } {
  let s = 12345;
  const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 2 - 1;
  const X: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 1024; i++) {
    const a = rnd();
    const b = rnd();
    X.push([a, b]);
    y.push([a * b > 0 ? 1 : 0]);
  }
  return { X, y };
}

const DATA = data();
const STEPS = 400;

function spec(activation: unknown, precision: 'float32' | 'float64'): Record<string, unknown> {
  return {
    task: 'binary', ...DATA, sizes: [2, 64, 64, 1], activation, init: 'xavier_uniform',
    optimizer: { kind: 'sgd', lr: 0.03 }, batch_size: 32, steps: STEPS, seed: 1, precision,
  };
}

function time(activation: unknown, precision: 'float32' | 'float64'): { ms: number; loss: number } {
  const t = new Trainer(parseTrainingSpec(spec(activation, precision)));
  const t0 = performance.now();
  t.run();
  const ms = performance.now() - t0;
  return { ms, loss: t.losses[t.losses.length - 1] as number };
}

export interface TrainComparison {
  readonly label: string;
  readonly builtinMs: number;
  readonly customMs: number;
  readonly ratio: number;
  /** Final losses: equal up to rounding (same arithmetic). */
  readonly builtinLoss: number;
  readonly customLoss: number;
}

export function compare(runs: number, precision: 'float32' | 'float64' = 'float32'): TrainComparison {
  let b = Infinity;
  let c = Infinity;
  let bl = NaN;
  let cl = NaN;
  for (let r = 0; r < runs + 1; r++) {
    const x = time('silu', precision);
    const y = time({ expr: 'x * sigmoid(x)' }, precision);
    if (r === 0) continue; // warm-up
    b = Math.min(b, x.ms);
    c = Math.min(c, y.ms);
    bl = x.loss;
    cl = y.loss;
  }
  return { label: `[2,64,64,1] batch 32, ${STEPS} SGD steps, ${precision}`, builtinMs: b, customMs: c, ratio: c / b, builtinLoss: bl, customLoss: cl };
}
