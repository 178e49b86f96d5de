// A bounded, evenly thinned history of a training stream: what the host session and the
// dashboard keep of a run's snapshots (so a chart of a long run keeps its whole shape).

/**
 * Keeps at most `cap` items of an unbounded stream, evenly spread over it: every
 * `stride`-th item is kept, and when the buffer overflows every other kept item is dropped
 * and the stride doubles. The newest item is always available as the tail, so a chart of
 * a long run keeps its whole shape with O(cap) memory. Used by the host and the dashboard.
 */
export class Decimator<T> {
  private items: T[] = [];
  private stride = 1;
  private seen = 0;
  private tail: T | undefined;

  constructor(readonly cap: number) {}

  push(x: T): void {
    if (this.seen++ % this.stride === 0) {
      this.items.push(x);
      this.tail = undefined;
      if (this.items.length > this.cap) {
        this.items = this.items.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    } else this.tail = x;
  }

  /** Kept items plus the newest one. */
  values(): T[] {
    return this.tail === undefined ? this.items.slice() : [...this.items, this.tail];
  }

  get size(): number {
    return this.items.length + (this.tail === undefined ? 0 : 1);
  }

  clear(): void {
    this.items = [];
    this.stride = 1;
    this.seen = 0;
    this.tail = undefined;
  }
}
