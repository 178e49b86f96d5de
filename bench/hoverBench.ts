// In-process hover timing on a large generated Python file, for `npm run bench` and the
// unit tests: the document is indexed once (per version, as the extension's cache does),
// then each hover is index lookup + scan at the position + markdown (cached per distinct
// resolved call). Not imported by the extension, so not in its bundle.
import { IndexCache, matchAt } from '../src/code/api';
import { hoverMarkdown } from '../src/render/markdown';

export interface HoverBenchResult {
  readonly lines: number;
  readonly hovers: number;
  /** Hovers that found an activation. */
  readonly hits: number;
  readonly indexMs: number;
  /** The first hover that typesets (MathJax start-up included). */
  readonly firstMarkdownMs: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** p95 over the hovers that found an activation (scan + markdown). */
  readonly p95Hits: number;
}

const BLOCK = [
  'import torch',
  'import torch.nn as nn',
  'import torch.nn.functional as F',
  'from functools import partial',
  '',
  'class Block{i}(nn.Module):',
  '    """Residual block {i}: Linear → LeakyReLU → GELU (tanh)."""',
  '    def __init__(self, d: int = 64) -> None:',
  '        super().__init__()',
  '        self.fc = nn.Linear(d, d)',
  '        self.act = nn.LeakyReLU({slope})',
  '        self.gate = partial(F.gelu, approximate="tanh")',
  '',
  '    def forward(self, x: torch.Tensor) -> torch.Tensor:',
  '        # the residual path: F.relu(x) is not used here',
  '        h = F.gelu(self.fc(x), approximate="tanh")',
  '        h = torch.maximum(h, torch.zeros_like(h)) + x.clamp(min=0)',
  '        return x + self.act(h).relu() * torch.sigmoid(h)',
  '',
];

/** A Python file of at least `lines` lines made of varied residual blocks. */
export function syntheticPython(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    for (const l of BLOCK) out.push(l.replace(/\{i\}/g, String(i)).replace('{slope}', String(((i % 7) + 1) / 100)));
  }
  return out.slice(0, lines).join('\n');
}

/** Deterministic LCG in [0, 1): the positions are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 4294967296);
}

export function benchmarkHover(opts: { lines?: number; hovers?: number; seed?: number; now?: () => number } = {}): HoverBenchResult {
  const lines = opts.lines ?? 20000;
  const hovers = opts.hovers ?? 5000;
  const now = opts.now ?? ((): number => performance.now());
  const text = syntheticPython(lines);
  const cache = new IndexCache();
  const t0 = now();
  cache.get('bench.py', 1, 'python', () => text);
  const indexMs = now() - t0;

  // Half the hovers land on identifiers (where people hover), half anywhere.
  const names: number[] = [];
  for (const m of text.matchAll(/[A-Za-z_]\w*/g)) names.push((m.index ?? 0) + 1);
  const rnd = lcg(opts.seed ?? 1);
  let firstMarkdownMs = NaN;
  let hits = 0;
  const times: number[] = [];
  const hitTimes: number[] = [];
  for (let k = 0; k < hovers; k++) {
    const off = k % 2 === 0 ? (names[Math.floor(rnd() * names.length)] as number) : Math.floor(rnd() * text.length);
    const s = now();
    const ix = cache.get('bench.py', 1, 'python', () => {
      throw new Error('the index must be reused for an unchanged version');
    });
    const rm = matchAt(ix, off);
    if (rm) {
      hits++;
      hoverMarkdown(rm, { theme: 'dark', detail: 'standard' });
    }
    const dt = now() - s;
    if (rm && Number.isNaN(firstMarkdownMs)) firstMarkdownMs = dt;
    else {
      times.push(dt);
      if (rm) hitTimes.push(dt);
    }
  }
  times.sort((a, b) => a - b);
  hitTimes.sort((a, b) => a - b);
  const q = (arr: readonly number[], p: number): number => arr[Math.min(arr.length - 1, Math.floor(arr.length * p))] ?? NaN;
  return { lines, hovers, hits, indexMs, firstMarkdownMs, p50: q(times, 0.5), p95: q(times, 0.95), p99: q(times, 0.99), max: times[times.length - 1] ?? NaN, p95Hits: q(hitTimes, 0.95) };
}
