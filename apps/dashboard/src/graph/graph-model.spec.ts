import { describe, expect, it } from 'vitest';
import { MAX_NODES, graphModel } from './graph-model.ts';

describe('graphModel', () => {
  it('sizes nodes by reputation and widens edges with volume and jobs', () => {
    const model = graphModel({
      nodes: [
        { id: 'a', name: 'Ada', reputation_score: '5.00' },
        { id: 'b', name: 'Brook', reputation_score: '0.00' },
        { id: 'c', name: 'Cato', reputation_score: '3.50' },
      ],
      edges: [
        { source: 'a', target: 'b', jobs: 1, volume: '1.00', volume_sats: 0 },
        { source: 'c', target: 'b', jobs: 40, volume: '900.00', volume_sats: 0 },
      ],
    });
    const radius = Object.fromEntries(model.nodes.map((node) => [node.id, node.radius]));
    expect(radius.a).toBeGreaterThan(radius.c!);
    expect(radius.c).toBeGreaterThan(radius.b!);
    const [light, heavy] = model.edges;
    expect(heavy!.width).toBeGreaterThan(light!.width);
    expect(heavy!.width).toBeLessThanOrEqual(9);
    expect(model.nodes.find((node) => node.id === 'b')?.jobs).toBe(41);
    expect(model.hidden).toBe(0);
  });

  it('keeps the busiest nodes, and only the edges between kept nodes', () => {
    const nodes = Array.from({ length: MAX_NODES + 10 }, (_, index) => ({ id: `n${index}`, name: `N${index}`, reputation_score: '1.00' }));
    // n0 works for everybody: it is kept; the idle ones beyond the limit are not.
    const edges = nodes.slice(1, 60).map((node) => ({ source: node.id, target: 'n0', jobs: 2, volume: '2.00', volume_sats: 0 }));
    const model = graphModel({ nodes, edges });
    expect(model.nodes).toHaveLength(MAX_NODES);
    expect(model.hidden).toBe(10);
    expect(model.nodes[0]?.id).toBe('n0');
    expect(model.edges).toHaveLength(59);
  });
});
