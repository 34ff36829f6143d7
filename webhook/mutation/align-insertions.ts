/**
 * Aligns an array with a longer version of itself, as if elements had only been inserted and
 * the kept ones possibly edited: which elements of `after` are new, and which element of
 * `before` each of the others came from.
 *
 * A banded dynamic programme over (elements of `before` kept, elements of `after` inserted so
 * far) minimizes the total cost of the edits to the kept elements. The band is as wide as the
 * number of insertions, which is small for our mutation (a few containers, volumes or mounts),
 * so the cost stays near `before.length × insertions` element comparisons.
 */

export interface Alignment {
  /** Indexes into `after` of the inserted elements, ascending. */
  inserted: number[];
  /** `[indexInBefore, indexInAfter]` of every kept element, ascending. */
  kept: [number, number][];
}

/** Cost of turning one element into another (0 when equal); called at most once per pair. */
export type MatchCost = (before: number, after: number) => number;

export function alignInsertions(beforeLength: number, afterLength: number, matchCost: MatchCost): Alignment {
  const extra = afterLength - beforeLength;
  if (extra < 0) throw new RangeError('alignInsertions needs an array at least as long as the original');
  const width = extra + 1;
  // best[i * width + d]: least cost of keeping before[0..i) within after[0..i+d), d of them inserted.
  const best = new Float64Array((beforeLength + 1) * width).fill(Infinity);
  const costs = new Float64Array((beforeLength + 1) * width).fill(NaN);
  const keepCost = (i: number, d: number): number => {
    const slot = i * width + d;
    if (Number.isNaN(costs[slot]!)) costs[slot] = matchCost(i, i + d);
    return costs[slot]!;
  };
  for (let i = 0; i <= beforeLength; i++) {
    for (let d = 0; d <= extra; d++) {
      if (i === 0 && d === 0) {
        best[0] = 0;
        continue;
      }
      const viaKeep = i > 0 ? best[(i - 1) * width + d]! + keepCost(i - 1, d) : Infinity;
      const viaInsert = d > 0 ? best[i * width + d - 1]! : Infinity;
      best[i * width + d] = Math.min(viaKeep, viaInsert);
    }
  }
  return walkBack(beforeLength, extra, width, best, keepCost);
}

/** Recovers the choices from the end; on a tie it inserts, so new elements go as late as possible (appends). */
function walkBack(
  beforeLength: number,
  extra: number,
  width: number,
  best: Float64Array,
  keepCost: (i: number, d: number) => number,
): Alignment {
  const inserted: number[] = [];
  const kept: [number, number][] = [];
  let i = beforeLength;
  let d = extra;
  while (i > 0 || d > 0) {
    const viaInsert = d > 0 ? best[i * width + d - 1]! : Infinity;
    const viaKeep = i > 0 ? best[(i - 1) * width + d]! + keepCost(i - 1, d) : Infinity;
    if (d > 0 && viaInsert <= viaKeep) {
      inserted.push(i + d - 1);
      d--;
    } else {
      kept.push([i - 1, i - 1 + d]);
      i--;
    }
  }
  return { inserted: inserted.reverse(), kept: kept.reverse() };
}
