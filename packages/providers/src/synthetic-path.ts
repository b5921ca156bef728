import { gaussian, hash32 } from './synthetic-noise';

/**
 * Standard Brownian motion B(x) as a pure function of x, so that no bar depends on where a request
 * starts. Lévy's midpoint construction: anchors every 2^21 units form a random walk, and each dyadic
 * midpoint below them is the mean of its interval's ends plus a hashed normal displacement of the
 * bridge's standard deviation. Below 1/4 unit the path is linear. One evaluation walks 23 levels;
 * the walk is cached, so a run of nearby points costs a few levels each.
 *
 * Moves on scales above 2^16 units (two to three years of trading) are damped: pure Brownian motion
 * wanders too far over decades, and a demo stock at 0.10 or 9,000 looks broken. The result still
 * trends and cycles, but stays within sight of its base price.
 */
const QUANTA_PER_UNIT = 4;
const LEVELS = 23;
const TOP = 2 ** LEVELS;
const LONG_QUANTA = 2 ** 18;
const LONG_DAMPING = 0.35;

export interface Brownian {
  at(x: number): number;
}

export function createBrownian(seed: number): Brownian {
  const anchorSeed = hash32(seed, 1);
  const midSeed = hash32(seed, 2);
  const anchorSd = LONG_DAMPING * Math.sqrt(TOP / QUANTA_PER_UNIT);
  // A bridge over an interval of length L has its midpoint at standard deviation sqrt(L) / 2.
  const levelSd = new Float64Array(LEVELS + 1);
  for (let k = 1; k <= LEVELS; k++) {
    levelSd[k] = (2 ** k > LONG_QUANTA ? LONG_DAMPING : 1) * (Math.sqrt(2 ** k / QUANTA_PER_UNIT) / 2);
  }

  const anchors = new Map<number, number>([[0, 0]]);
  const anchorAt = (j: number): number => {
    const known = anchors.get(j);
    if (known !== undefined) return known;
    const value =
      j > 0
        ? anchorAt(j - 1) + anchorSd * gaussian(hash32(anchorSeed, j - 1))
        : anchorAt(j + 1) - anchorSd * gaussian(hash32(anchorSeed, j));
    anchors.set(j, value);
    return value;
  };

  // `**` is slow in V8's hot loops; interval lengths by level are looked up instead.
  const sizes = new Float64Array(LEVELS + 1);
  for (let d = 0; d <= LEVELS; d++) sizes[d] = 2 ** (LEVELS - d);

  // The last walk: at level d the interval [los[d], los[d] + 2^(LEVELS - d)] quanta and its end values.
  const los = new Float64Array(LEVELS + 1);
  const lefts = new Float64Array(LEVELS + 1);
  const rights = new Float64Array(LEVELS + 1);
  let cachedAnchor = Number.NaN;
  let cachedDepth = 0;

  return {
    at(x: number): number {
      const q = x * QUANTA_PER_UNIT;
      const j = Math.floor(q / TOP);
      let d = 0;
      if (j === cachedAnchor) {
        d = cachedDepth;
        while (d > 0 && !(q >= (los[d] ?? 0) && q < (los[d] ?? 0) + (sizes[d] ?? 0))) d--;
      } else {
        cachedAnchor = j;
        los[0] = j * TOP;
        lefts[0] = anchorAt(j);
        rights[0] = anchorAt(j + 1);
      }
      let lo = los[d] ?? 0;
      let left = lefts[d] ?? 0;
      let right = rights[d] ?? 0;
      while (d < LEVELS && q !== lo) {
        const k = LEVELS - d;
        const mid = lo + (sizes[d + 1] ?? 0);
        const value = (left + right) / 2 + (levelSd[k] ?? 0) * gaussian(hash32(midSeed, mid));
        if (q < mid) right = value;
        else {
          left = value;
          lo = mid;
        }
        d++;
        los[d] = lo;
        lefts[d] = left;
        rights[d] = right;
      }
      cachedDepth = d;
      return left + (right - left) * (q - lo);
    },
  };
}
