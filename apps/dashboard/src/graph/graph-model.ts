import type { GraphView } from '../api/types.ts';
import type { LayoutLink } from './force-layout.ts';

export interface GraphNode {
  id: string;
  name: string;
  reputation: number;
  /** Jobs the node took part in, as client or worker. */
  jobs: number;
  radius: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  jobs: number;
  volumeUsd: string;
  volumeSats: number;
  width: number;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
  links: LayoutLink[];
  /** Nodes left out to keep the picture readable. */
  hidden: number;
}

/** Past this many nodes only the busiest are drawn. */
export const MAX_NODES = 120;

/**
 * What to draw of GET /api/graph: nodes sized by reputation (0–5), edges as
 * wide as their volume and job count; at most MAX_NODES of the busiest nodes.
 */
export function graphModel(graph: GraphView): GraphModel {
  const jobsOf = new Map<string, number>();
  for (const edge of graph.edges) {
    jobsOf.set(edge.source, (jobsOf.get(edge.source) ?? 0) + edge.jobs);
    jobsOf.set(edge.target, (jobsOf.get(edge.target) ?? 0) + edge.jobs);
  }
  const ranked = [...graph.nodes].sort((a, b) => (jobsOf.get(b.id) ?? 0) - (jobsOf.get(a.id) ?? 0) || a.id.localeCompare(b.id));
  const kept = ranked.slice(0, MAX_NODES);
  const keptIds = new Set(kept.map((node) => node.id));
  const nodes = kept.map((node) => {
    const reputation = Math.max(0, Math.min(5, Number(node.reputation_score) || 0));
    return { id: node.id, name: node.name, reputation, jobs: jobsOf.get(node.id) ?? 0, radius: 5 + reputation * 2.4 };
  });
  const edges = graph.edges
    .filter((edge) => keptIds.has(edge.source) && keptIds.has(edge.target))
    .map((edge) => {
      const usd = Number(edge.volume) || 0;
      // Volume in either currency widens an edge; a thousand sats weigh like a dollar.
      const weight = Math.log10(1 + usd + edge.volume_sats / 1000) + Math.log2(1 + edge.jobs);
      return { source: edge.source, target: edge.target, jobs: edge.jobs, volumeUsd: edge.volume, volumeSats: edge.volume_sats, width: Math.min(9, 1 + weight) };
    });
  return {
    nodes,
    edges,
    links: edges.map((edge) => ({ source: edge.source, target: edge.target, weight: edge.jobs })),
    hidden: graph.nodes.length - nodes.length,
  };
}
