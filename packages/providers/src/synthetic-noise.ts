/**
 * Integer hashing for the synthetic provider: every random number it uses is a pure function of
 * (seed, integer), so a bar comes out the same whichever request or page produces it.
 */

/** lowbias32 (Chris Wellons): cheap, and good enough avalanche for value noise. */
export function hash32(seed: number, x: number): number {
  let h = (Math.imul(x | 0, 0x9e3779b1) ^ seed) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units; seeds a symbol. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return hash32(h >>> 0, 0x5eed);
}

export function unit(h: number): number {
  return h / 4_294_967_296;
}

/** Byte `i` (0..3) of a hash as a number in [0, 1]. */
export function byteUnit(h: number, i: number): number {
  return ((h >>> (8 * i)) & 255) / 255;
}

const IRWIN_HALL_MEAN = 510;
// Four bytes uniform on 0..255 sum with variance 4 * (256^2 - 1) / 12.
const IRWIN_HALL_SD = Math.sqrt((4 * (256 * 256 - 1)) / 12);

/** The sum of a hash's four bytes, 0..1020: nearly normal (Irwin-Hall). */
export function byteSum(h: number): number {
  return (h & 255) + ((h >>> 8) & 255) + ((h >>> 16) & 255) + (h >>> 24);
}

export function gaussianFromSum(s: number): number {
  return (s - IRWIN_HALL_MEAN) / IRWIN_HALL_SD;
}

/** A standard-normal-like draw from one hash; tails stop near 3.5 sd. */
export function gaussian(h: number): number {
  return gaussianFromSum(byteSum(h));
}

/** A number in [lo, hi], spread evenly in log space; for prices and volumes. */
export function logUniform(h: number, lo: number, hi: number): number {
  return lo * (hi / lo) ** unit(h);
}
