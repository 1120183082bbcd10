// SPDX-License-Identifier: Apache-2.0
// Places a day's entries side by side where they overlap (a cancelled appointment and the new
// booking of its slot, an appointment inside an absence): each cluster of overlapping entries is
// split into as many lanes as it needs at most at once.

export interface Span {
  /** Minutes since local midnight. */
  start: number;
  end: number;
}

export interface Placed<T> {
  item: T;
  lane: number;
  lanes: number;
}

export function layoutDay<T extends Span>(items: readonly T[]): Placed<T>[] {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Placed<T>[] = [];
  let cluster: Placed<T>[] = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;

  const close = () => {
    for (const p of cluster) p.lanes = laneEnds.length;
    out.push(...cluster);
    cluster = [];
    laneEnds = [];
  };

  for (const item of sorted) {
    if (item.start >= clusterEnd && cluster.length) close();
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(item.end);
    } else {
      laneEnds[lane] = item.end;
    }
    cluster.push({ item, lane, lanes: 0 });
    clusterEnd = Math.max(cluster.length === 1 ? -Infinity : clusterEnd, item.end);
  }
  if (cluster.length) close();
  return out;
}

/** The hours to show: whole hours around everything there is, else a working day. */
export function visibleRange(spans: readonly Span[], fallback: Span = { start: 8 * 60, end: 18 * 60 }): Span {
  if (spans.length === 0) return fallback;
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.end));
  return { start: Math.max(0, Math.floor(start / 60) * 60), end: Math.min(24 * 60, Math.ceil(end / 60) * 60) };
}
