/** A seeded pseudo-random generator, so the demo data is the same on every machine. */
const step = 0x6d2b79f5;
const streamLength = 2 ** 20;
const streamCount = 2 ** 32 / streamLength;

export class SeededRandom {
  private state: number;
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.state = this.seed;
  }

  /**
   * Generator number `index` of this seed: the same whatever this one has drawn so far, so a
   * part of the demo that draws more on some dates (a weekday's orders, a month's Mondays) does
   * not move what the parts after it draw. The state walks in steps of mulberry32's odd
   * constant, so stream k starts k·2²⁰ steps along: 4,096 streams of a million draws that never
   * meet.
   */
  stream(index: number): SeededRandom {
    if (!Number.isInteger(index) || index < 0 || index >= streamCount) throw new Error(`seed stream ${index} is outside 0–${streamCount - 1}`);
    return new SeededRandom((this.seed + Math.imul(index * streamLength, step)) >>> 0);
  }

  /** mulberry32: a float in [0, 1). */
  next(): number {
    this.state = (this.state + step) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of options) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return options[options.length - 1]![0];
  }

  sample<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, count);
  }

  /** A valid version-4 UUID drawn from this generator, so ids are stable too. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    hex[12] = "4";
    hex[16] = "89ab"[Math.floor(this.next() * 4)]!;
    const s = hex.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

export const dayMs = 24 * 3600_000;
