// Seeded pseudo-random numbers for everything the engine draws: data sets, initial weights,
// dropout masks, minibatch order. Never Math.random: the same seed must give the same
// numbers on every machine, so trainings are reproducible bit for bit.
//
// Generator: xoshiro128** (Blackman & Vigna), 128-bit state, period 2^128 − 1, seeded by
// splitmix32 from a 32-bit integer so nearby seeds give unrelated streams. Uniform doubles
// take 53 random bits from two outputs.

/** Mixes a 32-bit value (splitmix32 finaliser): used for seeding and stream derivation. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a label to 32 bits (FNV-1a), for named sub-streams like "init" or "dropout". */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second value of the last Box–Muller pair, or NaN when none is cached. */
  private spare = NaN;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
    // Fold any finite number (also > 2^32 or fractional) into 32 bits deterministically.
    let s = (Math.floor(seed) % 4294967296) >>> 0;
    s = splitmix32(s ^ Math.floor(seed / 4294967296));
    this.s0 = s = splitmix32(s);
    this.s1 = s = splitmix32(s);
    this.s2 = s = splitmix32(s);
    this.s3 = s = splitmix32(s);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** An independent generator derived from this seed and a label (does not advance this one). */
  static derive(seed: number, label: string): Rng {
    return new Rng(splitmix32((Math.floor(seed) >>> 0) ^ hashLabel(label)));
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Standard normal by the Box–Muller transform (pairs cached). */
  normal(mean = 0, std = 1): number {
    if (this.spare === this.spare) {
      const z = this.spare;
      this.spare = NaN;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next(); // log(0) would be −∞
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
