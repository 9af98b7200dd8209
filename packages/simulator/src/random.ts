/**
 * Seeded randomness for the simulation. Nothing here reads `Math.random` or the clock: the same seed gives the
 * same draws on every machine.
 *
 * - {@link SeededRandom}: a sequential stream (mulberry32) for generating the clinic and its exogenous events.
 * - {@link keyedUniform}: a draw addressed by a key (seed, decision, ids…). The same decision in two policy runs
 *   gets the same number (common random numbers), so differences between policies come from the policies.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform number in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform number in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One key of a weight table, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let u = this.next() * total;
    for (const [key, w] of entries) {
      if (u < w) return key;
      u -= w;
    }
    return entries[entries.length - 1]![0];
  }

  /** A Poisson-distributed count with mean `lambda` (Knuth's method; fine for small means). */
  poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A child stream for one part of the world, so adding draws to one part never shifts another's. */
  fork(label: string): SeededRandom {
    return new SeededRandom(hash32(`${this.state}:${label}`));
  }
}

/** A 32-bit FNV-1a hash with a final avalanche (murmur3 fmix32). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by the seed and the key parts (common random numbers). */
export function keyedUniform(seed: number, ...parts: readonly (string | number)[]): number {
  const rng = new SeededRandom(hash32(`${seed}\u0000${parts.join('\u0000')}`));
  rng.next();
  return rng.next();
}
