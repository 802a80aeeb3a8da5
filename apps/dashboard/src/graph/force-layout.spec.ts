import { describe, expect, it } from 'vitest';
import { layoutGraph, type Point } from './force-layout.ts';

const options = { width: 640, height: 400, margin: 20 };
const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

describe('layoutGraph', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const links = [
    { source: 'a', target: 'b', weight: 10 },
    { source: 'b', target: 'c', weight: 1 },
    { source: 'd', target: 'e', weight: 1 },
  ];

  it('places every node inside the margins, deterministically', () => {
    const first = layoutGraph(ids, links, new Map(), options);
    const second = layoutGraph(ids, links, new Map(), options);
    expect([...first.entries()]).toEqual([...second.entries()]);
    for (const point of first.values()) {
      expect(point.x).toBeGreaterThanOrEqual(20);
      expect(point.x).toBeLessThanOrEqual(620);
      expect(point.y).toBeGreaterThanOrEqual(20);
      expect(point.y).toBeLessThanOrEqual(380);
    }
  });

  it('keeps linked nodes closer than unlinked ones, and no two nodes on one spot', () => {
    const at = layoutGraph(ids, links, new Map(), options);
    const point = (id: string) => at.get(id)!;
    expect(distance(point('a'), point('b'))).toBeLessThan(distance(point('a'), point('f')));
    for (const x of ids) for (const y of ids) if (x < y) expect(distance(point(x), point(y))).toBeGreaterThan(5);
  });

  it('moves known nodes only a little when one joins', () => {
    const before = layoutGraph(ids, links, new Map(), options);
    const after = layoutGraph([...ids, 'g'], [...links, { source: 'g', target: 'a', weight: 1 }], before, options);
    for (const id of ids) expect(distance(before.get(id)!, after.get(id)!)).toBeLessThan(120);
    expect(after.get('g')).toBeDefined();
  });

  it('copes with no nodes, one node, and links to unknown or the same node', () => {
    expect(layoutGraph([], [], new Map(), options).size).toBe(0);
    const single = layoutGraph(['x'], [{ source: 'x', target: 'x', weight: 1 }, { source: 'x', target: 'ghost', weight: 1 }], new Map(), options);
    expect(Number.isFinite(single.get('x')?.x)).toBe(true);
  });
});
