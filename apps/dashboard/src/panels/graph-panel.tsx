import { useMemo, useRef } from 'preact/hooks';
import { apiGet } from '../api/client.ts';
import { useApp } from '../app-context.ts';
import type { GraphView } from '../api/types.ts';
import { formatScore, formatUsd } from '../format.ts';
import { layoutGraph, type Point } from '../graph/force-layout.ts';
import { graphModel, type GraphEdge, type GraphNode } from '../graph/graph-model.ts';
import { isJobEvent } from '../feed/event-info.ts';
import { Panel, Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = 28;

function volumeText(edge: GraphEdge): string {
  const parts: string[] = [];
  if (Number(edge.volumeUsd) > 0) parts.push(formatUsd(edge.volumeUsd));
  if (edge.volumeSats > 0) parts.push(`${edge.volumeSats.toLocaleString('en-US')} sats`);
  return parts.join(' + ') || 'no volume yet';
}

function label(name: string): string {
  return name.length > 14 ? `${name.slice(0, 13)}…` : name;
}

/** Edge end points pulled back to the node rims, so the arrowhead stays visible. */
function edgeLine(from: Point, to: Point, fromRadius: number, toRadius: number) {
  const length = Math.max(0.01, Math.hypot(to.x - from.x, to.y - from.y));
  const ux = (to.x - from.x) / length;
  const uy = (to.y - from.y) / length;
  return { x1: from.x + ux * fromRadius, y1: from.y + uy * fromRadius, x2: to.x - ux * (toRadius + 3), y2: to.y - uy * (toRadius + 3) };
}

/** Who hired whom (GET /api/graph), as a network drawn with a small force layout; redrawn after job events. */
export function GraphPanel() {
  const { feed } = useApp();
  const graph = useLiveResource(
    'graph',
    async (signal) => {
      const loaded = await apiGet<GraphView>('/api/graph', undefined, signal);
      // Every agent that hired or worked is here: the feed's sentences can name them.
      feed.names.learn(loaded.nodes.filter((node) => node.name !== 'buyer'));
      return loaded;
    },
    { pollMs: 30_000, refreshOn: (item) => isJobEvent(item.type) || item.type === 'reputation_updated', debounceMs: 800, minIntervalMs: 2000 },
  );
  const positionsRef = useRef<Map<string, Point>>(new Map());
  const model = useMemo(() => (graph.data ? graphModel(graph.data) : undefined), [graph.data]);
  const positions = useMemo(() => {
    if (!model) return positionsRef.current;
    const next = layoutGraph(
      model.nodes.map((node) => node.id),
      model.links,
      positionsRef.current,
      { width: WIDTH, height: HEIGHT, margin: MARGIN },
    );
    positionsRef.current = next;
    return next;
  }, [model]);

  const nodeById = new Map<string, GraphNode>((model?.nodes ?? []).map((node) => [node.id, node]));
  const description = model
    ? `${model.nodes.length} participants and ${model.edges.length} client-to-worker pairs${model.hidden > 0 ? ` (${model.hidden} less active hidden)` : ''}. Circle size shows reputation, line width shows volume and jobs.`
    : '';

  return (
    <Panel id="graph" title="Collaboration graph" class="panel-wide">
      <Status loading={graph.loading} error={graph.error} hasData={!!model && model.nodes.length > 0} empty="No jobs yet: the graph appears with the first hire." />
      {model && model.nodes.length > 0 ? (
        <>
          <p class="muted" id="graph-desc">
            {description}
          </p>
          <svg class="graph" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="graph-title graph-desc" data-testid="graph-svg">
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" class="graph-arrow" />
              </marker>
            </defs>
            <g class="graph-edges">
              {model.edges.map((edge) => {
                const from = positions.get(edge.source);
                const to = positions.get(edge.target);
                const source = nodeById.get(edge.source);
                const target = nodeById.get(edge.target);
                if (!from || !to || !source || !target) return null;
                return (
                  <line key={`${edge.source}-${edge.target}`} {...edgeLine(from, to, source.radius, target.radius)} stroke-width={edge.width} marker-end="url(#arrow)">
                    <title>{`${source.name} hired ${target.name}: ${edge.jobs} job${edge.jobs === 1 ? '' : 's'}, ${volumeText(edge)}`}</title>
                  </line>
                );
              })}
            </g>
            <g class="graph-nodes">
              {model.nodes.map((node) => {
                const at = positions.get(node.id);
                if (!at) return null;
                return (
                  <g key={node.id} transform={`translate(${at.x.toFixed(1)} ${at.y.toFixed(1)})`} data-testid="graph-node">
                    <circle r={node.radius} class={node.reputation > 0 ? 'graph-node' : 'graph-node graph-node-unrated'}>
                      <title>{`${node.name}: reputation ${formatScore(node.reputation)}, ${node.jobs} job${node.jobs === 1 ? '' : 's'}`}</title>
                    </circle>
                    <text y={node.radius + 11} text-anchor="middle" class="graph-label">
                      {label(node.name)}
                    </text>
                  </g>
                );
              })}
            </g>
          </svg>
          <details class="graph-table">
            <summary>Pairs as a table</summary>
            <div class="table-scroll" tabIndex={0} role="region" aria-label="Client to worker pairs">
              <table>
                <caption class="visually-hidden">Who hired whom, with jobs and volume</caption>
                <thead>
                  <tr>
                    <th scope="col">Client</th>
                    <th scope="col">Worker</th>
                    <th scope="col" class="num">Jobs</th>
                    <th scope="col" class="num">Volume</th>
                  </tr>
                </thead>
                <tbody>
                  {model.edges.map((edge) => (
                    <tr key={`${edge.source}-${edge.target}`}>
                      <td>{nodeById.get(edge.source)?.name}</td>
                      <td>{nodeById.get(edge.target)?.name}</td>
                      <td class="num">{edge.jobs}</td>
                      <td class="num">{volumeText(edge)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      ) : null}
    </Panel>
  );
}
