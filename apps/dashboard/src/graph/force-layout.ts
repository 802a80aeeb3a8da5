export interface Point {
  x: number;
  y: number;
}

export interface LayoutLink {
  source: string;
  target: string;
  /** How strongly the two pull together (e.g. jobs between them); ≥ 1. */
  weight: number;
}

export interface LayoutOptions {
  width: number;
  height: number;
  /** Keeps space free at the edges (node radius and label). */
  margin: number;
  iterations?: number;
}

/** A stable pseudo-random number in [0, 1) from an id, so a layout never depends on Math.random. */
function hashUnit(id: string, salt: number): number {
  let hash = 2166136261 ^ salt;
  for (let index = 0; index < id.length; index += 1) hash = Math.imul(hash ^ id.charCodeAt(index), 16777619);
  return ((hash >>> 0) % 100_000) / 100_000;
}

/**
 * A small Fruchterman–Reingold force layout: every pair of nodes repels,
 * linked nodes attract (more strongly the heavier the link), a weak pull
 * keeps the whole in the middle, and moves shrink as the layout cools.
 * Nodes keep their `previous` positions as a start, so a live update moves
 * the picture a little instead of redrawing it from scratch. Deterministic.
 */
export function layoutGraph(ids: readonly string[], links: readonly LayoutLink[], previous: ReadonlyMap<string, Point>, options: LayoutOptions): Map<string, Point> {
  const { width, height, margin } = options;
  const count = ids.length;
  const positions = new Map<string, Point>();
  if (count === 0) return positions;
  const center = { x: width / 2, y: height / 2 };
  const innerWidth = Math.max(1, width - 2 * margin);
  const innerHeight = Math.max(1, height - 2 * margin);
  const known = ids.filter((id) => previous.has(id)).length;
  const settled = known / count;
  // A mostly known picture only needs a gentle adjustment.
  const iterations = options.iterations ?? (settled > 0.8 ? 60 : 250);
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  ids.forEach((id, index) => {
    const before = previous.get(id);
    xs[index] = before ? before.x : margin + hashUnit(id, 1) * innerWidth;
    ys[index] = before ? before.y : margin + hashUnit(id, 2) * innerHeight;
  });
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const springs = links.flatMap((link) => {
    const a = indexOf.get(link.source);
    const b = indexOf.get(link.target);
    return a === undefined || b === undefined || a === b ? [] : [{ a, b, strength: 1 + Math.log2(Math.max(1, link.weight)) }];
  });
  const k = 0.75 * Math.sqrt((innerWidth * innerHeight) / count);
  const dx = new Float64Array(count);
  const dy = new Float64Array(count);
  const startTemperature = (settled > 0.8 ? 0.03 : 0.12) * Math.min(innerWidth, innerHeight);

  for (let step = 0; step < iterations; step += 1) {
    dx.fill(0);
    dy.fill(0);
    for (let i = 0; i < count; i += 1) {
      for (let j = i + 1; j < count; j += 1) {
        let ox = xs[i]! - xs[j]!;
        let oy = ys[i]! - ys[j]!;
        let distance = Math.hypot(ox, oy);
        if (distance < 0.01) {
          // Two nodes on one spot: part them along a direction fixed by their indices.
          ox = Math.cos(i + j);
          oy = Math.sin(i + j);
          distance = 0.01;
        }
        const force = (k * k) / distance;
        dx[i]! += (ox / distance) * force;
        dy[i]! += (oy / distance) * force;
        dx[j]! -= (ox / distance) * force;
        dy[j]! -= (oy / distance) * force;
      }
    }
    for (const { a, b, strength } of springs) {
      const ox = xs[a]! - xs[b]!;
      const oy = ys[a]! - ys[b]!;
      const distance = Math.max(0.01, Math.hypot(ox, oy));
      const force = ((distance * distance) / k) * strength * 0.5;
      dx[a]! -= (ox / distance) * force;
      dy[a]! -= (oy / distance) * force;
      dx[b]! += (ox / distance) * force;
      dy[b]! += (oy / distance) * force;
    }
    const temperature = startTemperature * (1 - step / iterations) + 0.5;
    for (let i = 0; i < count; i += 1) {
      dx[i]! += (center.x - xs[i]!) * 0.05 * (k / 10);
      dy[i]! += (center.y - ys[i]!) * 0.05 * (k / 10);
      const length = Math.hypot(dx[i]!, dy[i]!);
      if (length > 0) {
        const move = Math.min(length, temperature);
        xs[i] = Math.min(width - margin, Math.max(margin, xs[i]! + (dx[i]! / length) * move));
        ys[i] = Math.min(height - margin, Math.max(margin, ys[i]! + (dy[i]! / length) * move));
      }
    }
  }
  ids.forEach((id, index) => positions.set(id, { x: xs[index]!, y: ys[index]! }));
  return positions;
}
