// Seeded pseudo-random numbers for simulation and tests: the same seed gives the same stream on
// every machine. Not for anything secret (node:crypto is).

/**
 * mulberry32 (a public-domain 32-bit generator): one 32-bit state word, period 2^32, fast and
 * statistically good enough for simulation (not for anything secret). Returns uniforms in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source: Box–Muller, both values of each pair used. */
export function gaussian(rand: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rand())); // 1 − rand() is in (0, 1]
    const theta = 2 * Math.PI * rand();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}
