/**
 * A least-recently-used map bounded by total weight (by default each entry weighs 1): the
 * oldest entries go when a new one would exceed `max`. An entry heavier than `max` is not kept.
 */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  private total = 0;

  constructor(
    private readonly max: number,
    private readonly weigh: (v: V) => number = () => 1,
  ) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: V): void {
    this.delete(key);
    const weight = this.weigh(v);
    if (weight > this.max) return;
    for (const [oldest, old] of this.map) {
      if (this.total + weight <= this.max) break;
      this.map.delete(oldest);
      this.total -= this.weigh(old);
    }
    this.map.set(key, v);
    this.total += weight;
  }

  delete(key: string): void {
    const v = this.map.get(key);
    if (v === undefined) return;
    this.map.delete(key);
    this.total -= this.weigh(v);
  }
}
