// float32 dense kernels in WebAssembly SIMD (f32x4), assembled here from bytes — no build
// step, no binary blob. Tiny MLPs are bound by per-element instruction count, and 128-bit
// lanes do four multiply-adds per instruction where scalar JS does one (and converts every
// float32 load to float64). Every float32 buffer of a model lives in one WebAssembly.Memory
// (the Arena) so kernels read the same Float32Array views JS code uses: no copies.
//
// Kernels process blocks of K rows (K = 4, then K = 1 for the remainder), vectorised over the
// input dimension with a scalar tail when nIn is not a multiple of 4:
//   denseK(x, W, b, z, blocks, nIn, nOut):        z[r,o] = b[o] + Σ_i x[r,i]·W[o,i]
//   bwdK(x, W, dz, gW, gb, dx, blocks, nIn, nOut): gW[o,:] += Σ_r dz[r,o]·x[r,:], gb[o] += Σ_r dz[r,o],
//                                                 dx[r,:] += dz[r,o]·W[o,:] (the dx variant)
// Pointers are byte offsets into the memory.

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return out.push(b), out;
    out.push(b | 0x80);
  }
}
const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** A function body under construction: a thin stack-machine assembler. */
class Asm {
  readonly b: number[] = [];
  private emit(...x: number[]): this {
    for (const v of x) this.b.push(v);
    return this;
  }
  get(i: number): this { return this.emit(0x20, ...uleb(i)); }
  set(i: number): this { return this.emit(0x21, ...uleb(i)); }
  i32(v: number): this { return this.emit(0x41, ...sleb(v)); }
  f32zero(): this { return this.emit(0x43, 0, 0, 0, 0); }
  iadd(): this { return this.emit(0x6a); }
  imul(): this { return this.emit(0x6c); }
  iand(): this { return this.emit(0x71); }
  ior(): this { return this.emit(0x72); }
  ishl(): this { return this.emit(0x74); }
  ige(): this { return this.emit(0x4e); }
  fload(off = 0): this { return this.emit(0x2a, 2, ...uleb(off)); }
  fstore(off = 0): this { return this.emit(0x38, 2, ...uleb(off)); }
  fadd(): this { return this.emit(0x92); }
  fmul(): this { return this.emit(0x94); }
  fne(): this { return this.emit(0x5c); }
  vload(off = 0): this { return this.emit(0xfd, 0x00, 0, ...uleb(off)); }
  vstore(off = 0): this { return this.emit(0xfd, 0x0b, 0, ...uleb(off)); }
  vzero(): this { return this.emit(0xfd, 0x0c, ...new Array<number>(16).fill(0)); }
  vadd(): this { return this.emit(0xfd, 0xe4, 0x01); }
  vmul(): this { return this.emit(0xfd, 0xe6, 0x01); }
  splat(): this { return this.emit(0xfd, 0x13); }
  lane(k: number): this { return this.emit(0xfd, 0x1f, k); }
  ifThen(): this { return this.emit(0x04, 0x40); }
  end(): this { return this.emit(0x0b); }
  /** `while (!(a >= b)) { body }` with a, b i32 locals. */
  whileLt(a: number, b: number, body: () => void): this {
    this.emit(0x02, 0x40, 0x03, 0x40);
    this.get(a).get(b).ige().emit(0x0d, 1);
    body();
    return this.emit(0x0c, 0, 0x0b, 0x0b);
  }
  /** local[i] += k */
  inc(i: number, k: number): this { return this.get(i).i32(k).iadd().set(i); }
  /** push local[p] + local[off] */
  addr(p: number, off: number): this { return this.get(p).get(off).iadd(); }
}

/** Allocates local indices after the parameters, grouped by type for the locals header. */
class Locals {
  private readonly groups: [number, number][] = [];
  constructor(private next: number) {}
  take(type: number, n = 1): number[] {
    const out = Array.from({ length: n }, (_, k) => this.next + k);
    this.next += n;
    this.groups.push([n, type]);
    return out;
  }
  header(): number[] {
    return vec(this.groups.filter(([n]) => n > 0).map(([n, t]) => [...uleb(n), t]));
  }
}

/**
 * Walks one row of nIn floats: `vec(at, off)` for each 16-byte chunk, then `one(at, off)` for
 * each leftover float, where `at(p)` pushes pointer local p plus the running position and
 * `off` is the constant offset to give the load/store. With `fixed` = nIn known at generation
 * time the walk is unrolled into constant offsets (no index arithmetic, no branches); otherwise
 * it is a loop over local `i` up to locals n4b (bytes in whole chunks) and rowB (row bytes).
 */
function walkRow(a: Asm, fixed: number | null, i: number, n4b: number, rowB: number, vec: (at: (p: number) => void, off: number) => void, one: (at: (p: number) => void, off: number) => void): void {
  if (fixed !== null) {
    const at = (p: number): void => void a.get(p);
    const n4 = fixed >> 2;
    for (let c = 0; c < n4; c++) vec(at, 16 * c);
    for (let t = 0; t < (fixed & 3); t++) one(at, 16 * n4 + 4 * t);
    return;
  }
  const at = (p: number): void => void a.addr(p, i);
  a.i32(0).set(i);
  a.whileLt(i, n4b, () => {
    vec(at, 0);
    a.inc(i, 16);
  });
  a.whileLt(i, rowB, () => {
    one(at, 0);
    a.inc(i, 4);
  });
}

/**
 * The generators' common start: byte lengths of an input row (rowB), of its whole 4-float
 * chunks (n4b) and of an output row (zOutB); the block counter blk = 0.
 */
function prologue(a: Asm, nIn: number, nOut: number, rowB: number, n4b: number, zOutB: number, blk: number): void {
  a.get(nIn).i32(2).ishl().set(rowB);
  a.get(nIn).i32(-4).iand().i32(2).ishl().set(n4b);
  a.get(nOut).i32(2).ishl().set(zOutB);
  a.i32(0).set(blk);
}

function genDense(K: number, fixed: number | null): number[] {
  const [x, W, bias, z, blocks, nIn, nOut] = [0, 1, 2, 3, 4, 5, 6];
  const L = new Locals(7);
  const [blk, o, i, rowB, n4b, zOutB, wrow, zb] = L.take(I32, 8) as number[];
  const xk = L.take(I32, K), s = L.take(F32, K);
  const [bo, wv] = L.take(F32, 2) as number[];
  const acc = L.take(V128, K);
  const [w] = L.take(V128, 1) as number[];
  const a = new Asm();
  prologue(a, nIn, nOut, rowB as number, n4b as number, zOutB as number, blk as number);
  a.whileLt(blk as number, blocks, () => {
    xk.forEach((xl, k) => a.get(x).get(blk as number).i32(K).imul().i32(k).iadd().get(rowB as number).imul().iadd().set(xl));
    a.get(z).get(blk as number).i32(K).imul().get(zOutB as number).imul().iadd().set(zb as number);
    a.i32(0).set(o as number);
    a.whileLt(o as number, nOut, () => {
      a.get(W).get(o as number).get(rowB as number).imul().iadd().set(wrow as number);
      for (const v of acc) a.vzero().set(v);
      for (const sl of s) a.f32zero().set(sl);
      let summed = false;
      // One chunk of the row with the vector (4 lanes) or the scalar ops: sums[k] += W[o, chunk] · x_k[chunk].
      const chunk = (sums: readonly number[], wl: number, load: (off: number) => Asm, madd: () => Asm) => (at: (p: number) => void, off: number): void => {
        at(wrow as number);
        load(off).set(wl);
        sums.forEach((v, k) => {
          a.get(v);
          at(xk[k] as number);
          load(off).get(wl);
          madd().set(v);
        });
      };
      walkRow(
        a, fixed, i as number, n4b as number, rowB as number,
        chunk(acc, w as number, (off) => a.vload(off), () => a.vmul().vadd()),
        (at, off) => {
          if (!summed && fixed !== null) {
            // unrolled: fold the vector sums in before the scalar tail
            acc.forEach((v, k) => a.get(v).lane(0).get(v).lane(1).fadd().get(v).lane(2).fadd().get(v).lane(3).fadd().set(s[k] as number));
            summed = true;
          }
          chunk(s, wv as number, (off) => a.fload(off), () => a.fmul().fadd())(at, off);
        },
      );
      // vector lanes, summed ((l0 + l1) + l2) + l3, plus the scalar tail's sums
      if (!summed) acc.forEach((v, k) => a.get(v).lane(0).get(v).lane(1).fadd().get(v).lane(2).fadd().get(v).lane(3).fadd().get(s[k] as number).fadd().set(s[k] as number));
      a.get(bias).get(o as number).i32(2).ishl().iadd().fload().set(bo as number);
      s.forEach((sl, k) => {
        a.get(zb as number).get(o as number).i32(2).ishl().iadd();
        if (k > 0) a.get(zOutB as number).i32(k).imul().iadd();
        a.get(sl).get(bo as number).fadd().fstore();
      });
      a.inc(o as number, 1);
    });
    a.inc(blk as number, 1);
  });
  a.end();
  return [...L.header(), ...a.b];
}

function genBackward(K: number, withDx: boolean, fixed: number | null): number[] {
  const [x, W, dz, gW, gb, dx, blocks, nIn, nOut] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const L = new Locals(9);
  const [blk, o, i, rowB, n4b, zOutB, wrow, gwrow, dzb, ga] = L.take(I32, 10) as number[];
  const xk = L.take(I32, K), dxk = L.take(I32, K), g = L.take(F32, K);
  const [wv] = L.take(F32, 1) as number[];
  const G = L.take(V128, K);
  const [w] = L.take(V128, 1) as number[];
  const a = new Asm();
  prologue(a, nIn, nOut, rowB as number, n4b as number, zOutB as number, blk as number);
  a.whileLt(blk as number, blocks, () => {
    for (let k = 0; k < K; k++) {
      a.get(x).get(blk as number).i32(K).imul().i32(k).iadd().get(rowB as number).imul().iadd().set(xk[k] as number);
      if (withDx) a.get(dx).get(blk as number).i32(K).imul().i32(k).iadd().get(rowB as number).imul().iadd().set(dxk[k] as number);
    }
    a.get(dz).get(blk as number).i32(K).imul().get(zOutB as number).imul().iadd().set(dzb as number);
    a.i32(0).set(o as number);
    a.whileLt(o as number, nOut, () => {
      g.forEach((gl, k) => {
        a.get(dzb as number).get(o as number).i32(2).ishl().iadd();
        if (k > 0) a.get(zOutB as number).i32(k).imul().iadd();
        a.fload().set(gl);
      });
      g.forEach((gl, k) => {
        a.get(gl).f32zero().fne();
        if (k > 0) a.ior();
      });
      a.ifThen();
      // gb[o] += g0 + g1 + …
      a.get(gb).get(o as number).i32(2).ishl().iadd().set(ga as number);
      a.get(ga as number).get(ga as number).fload();
      for (const gl of g) a.get(gl).fadd();
      a.fstore();
      g.forEach((gl, k) => a.get(gl).splat().set(G[k] as number));
      a.get(W).get(o as number).get(rowB as number).imul().iadd().set(wrow as number);
      a.get(gW).get(o as number).get(rowB as number).imul().iadd().set(gwrow as number);
      // One chunk of the row, the same steps with the vector (4 lanes) or the scalar ops:
      // gW[o, chunk] += Σ_k G_k · x_k[chunk]; then dx_k[chunk] += G_k · W[o, chunk].
      const chunk = (gs: readonly number[], wl: number, load: (off: number) => Asm, madd: () => Asm, store: (off: number) => Asm) => (at: (p: number) => void, off: number): void => {
        at(gwrow as number);
        at(gwrow as number);
        load(off);
        gs.forEach((gk, k) => {
          at(xk[k] as number);
          load(off).get(gk);
          madd();
        });
        store(off);
        if (withDx) {
          at(wrow as number);
          load(off).set(wl);
          gs.forEach((gk, k) => {
            at(dxk[k] as number);
            at(dxk[k] as number);
            load(off).get(gk).get(wl);
            madd();
            store(off);
          });
        }
      };
      walkRow(
        a, fixed, i as number, n4b as number, rowB as number,
        chunk(G, w as number, (off) => a.vload(off), () => a.vmul().vadd(), (off) => a.vstore(off)),
        chunk(g, wv as number, (off) => a.fload(off), () => a.fmul().fadd(), (off) => a.fstore(off)),
      );
      a.end();
      a.inc(o as number, 1);
    });
    a.inc(blk as number, 1);
  });
  a.end();
  return [...L.header(), ...a.b];
}

/** Input widths up to this get kernels unrolled for their exact width. */
const MAX_FIXED = 128;

/** Export names of the kernels for input width n (null = the generic loops). */
const names = (n: number | null): string[] => ['d4', 'd1', 'b4x', 'b1x', 'b4', 'b1'].map((f) => (n === null ? f : `${f}_${n}`));

/** The module: imports memory "e"."m"; exports generic kernels plus ones unrolled for `widths`. */
function moduleBytes(widths: readonly number[]): Uint8Array {
  const tDense = [0x60, ...vec(Array.from({ length: 7 }, () => [I32])), 0];
  const tBwd = [0x60, ...vec(Array.from({ length: 9 }, () => [I32])), 0];
  const fns: [string, number, number[]][] = [];
  for (const n of [null, ...widths]) {
    const [d4, d1, b4x, b1x, b4, b1] = names(n) as [string, string, string, string, string, string];
    fns.push([d4, 0, genDense(4, n)], [d1, 0, genDense(1, n)], [b4x, 1, genBackward(4, true, n)], [b1x, 1, genBackward(1, true, n)], [b4, 1, genBackward(4, false, n)], [b1, 1, genBackward(1, false, n)]);
  }
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([tDense, tBwd])),
    ...section(2, vec([[...str('e'), ...str('m'), 0x02, 0x00, 0x01]])),
    ...section(3, vec(fns.map(([, t]) => uleb(t)))),
    ...section(7, vec(fns.map(([name], k) => [...str(name), 0x00, ...uleb(k)]))),
    ...section(10, vec(fns.map(([, , body]) => [...uleb(body.length), ...body]))),
  ];
  return new Uint8Array(bytes);
}

type DenseFn = (x: number, W: number, b: number, z: number, blocks: number, nIn: number, nOut: number) => void;
type BwdFn = (x: number, W: number, dz: number, gW: number, gb: number, dx: number, blocks: number, nIn: number, nOut: number) => void;

export interface DenseKernels {
  dense(x: Float32Array, W: Float32Array, b: Float32Array, z: Float32Array, B: number, nIn: number, nOut: number): void;
  denseBackward(x: Float32Array, W: Float32Array, dz: Float32Array, gW: Float32Array, gb: Float32Array, dx: Float32Array | null, B: number, nIn: number, nOut: number): void;
}

/** Float32 buffers carved out of one WebAssembly memory, plus the SIMD kernels over them. */
export interface Arena {
  alloc(n: number): Float32Array;
  readonly kernels: DenseKernels;
}

/** The slice of the WebAssembly JS API used here (the ES lib typings do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number }) => { buffer: ArrayBuffer };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Compiled modules by the widths they specialise (a model's layers share one). */
const compiled = new Map<string, object | null>();

/** The compiled module, or null where WebAssembly SIMD is unavailable (callers fall back to JS). */
function simdModule(widths: readonly number[]): object | null {
  const key = widths.join(',');
  const hit = compiled.get(key);
  if (hit !== undefined) return hit;
  let mod: object | null;
  try {
    const bytes = moduleBytes(widths);
    mod = WA && WA.validate(bytes) ? new WA.Module(bytes) : null;
  } catch {
    mod = null;
  }
  compiled.set(key, mod);
  return mod;
}

interface KernelSet {
  readonly d4: DenseFn;
  readonly d1: DenseFn;
  readonly b4x: BwdFn;
  readonly b1x: BwdFn;
  readonly b4: BwdFn;
  readonly b1: BwdFn;
}

/**
 * An arena holding `floats` float32 values (each allocation 16-byte aligned), or null without
 * SIMD. `widths`: layer input widths to unroll kernels for (others use the generic loops).
 */
export function createArena(floats: number, widths: readonly number[] = []): Arena | null {
  const fixed = [...new Set(widths.filter((n) => n > 0 && n <= MAX_FIXED))].sort((p, q) => p - q);
  const mod = simdModule(fixed);
  if (!mod || !WA) return null;
  const bytes = 16 + floats * 4 + 64;
  const memory = new WA.Memory({ initial: Math.ceil(bytes / 65536) });
  const ex = new WA.Instance(mod, { e: { m: memory } }).exports;
  const setOf = (n: number | null): KernelSet => {
    const [d4, d1, b4x, b1x, b4, b1] = names(n).map((f) => ex[f]) as [DenseFn, DenseFn, BwdFn, BwdFn, BwdFn, BwdFn];
    return { d4, d1, b4x, b1x, b4, b1 };
  };
  const generic = setOf(null);
  const byWidth: KernelSet[] = [];
  for (const n of fixed) byWidth[n] = setOf(n);
  const pick = (nIn: number): KernelSet => byWidth[nIn] ?? generic;
  let offset = 16; // byte 0 stays unused so no buffer sits at address 0
  const buffer = memory.buffer;
  return {
    alloc(n: number): Float32Array {
      const a = new Float32Array(buffer, offset, n);
      offset += Math.ceil((n * 4) / 16) * 16;
      if (offset > buffer.byteLength) throw new Error('internal: arena overflow');
      return a;
    },
    kernels: {
      dense(x, W, b, z, B, nIn, nOut) {
        const k = pick(nIn);
        const nb = B >> 2;
        if (nb > 0) k.d4(x.byteOffset, W.byteOffset, b.byteOffset, z.byteOffset, nb, nIn, nOut);
        const rest = B & 3;
        if (rest > 0) k.d1(x.byteOffset + nb * 16 * nIn, W.byteOffset, b.byteOffset, z.byteOffset + nb * 16 * nOut, rest, nIn, nOut);
      },
      denseBackward(x, W, dz, gW, gb, dx, B, nIn, nOut) {
        const k = pick(nIn);
        const nb = B >> 2, rest = B & 3;
        const xo = x.byteOffset, zo = dz.byteOffset;
        if (dx) {
          dx.fill(0, 0, B * nIn);
          const dxo = dx.byteOffset;
          if (nb > 0) k.b4x(xo, W.byteOffset, zo, gW.byteOffset, gb.byteOffset, dxo, nb, nIn, nOut);
          if (rest > 0) k.b1x(xo + nb * 16 * nIn, W.byteOffset, zo + nb * 16 * nOut, gW.byteOffset, gb.byteOffset, dxo + nb * 16 * nIn, rest, nIn, nOut);
        } else {
          if (nb > 0) k.b4(xo, W.byteOffset, zo, gW.byteOffset, gb.byteOffset, 0, nb, nIn, nOut);
          if (rest > 0) k.b1(xo + nb * 16 * nIn, W.byteOffset, zo + nb * 16 * nOut, gW.byteOffset, gb.byteOffset, 0, rest, nIn, nOut);
        }
      },
    },
  };
}
