/**
 * The route table of the agent builder's guide (docs/agents/api.md), read as
 * data: each documented operation with the access the table gives it.
 */
export interface DocumentedRoute {
  method: string;
  path: string;
  access: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `| \`GET /healthz\` \`/readyz\` | — | …` gives one route per path, all with the row's method and access. */
export function documentedRoutes(markdown: string): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [];
  for (const line of markdown.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
    const [, route, access] = cells;
    if (!route || access === undefined) continue;
    const specs = [...route.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
    const method = specs[0]?.split(' ')[0] ?? '';
    if (!METHODS.includes(method)) continue;
    for (const spec of specs) {
      const path = spec.startsWith(method) ? spec.slice(method.length).trim() : spec;
      // "party (worker)": the door is the word before the parenthesis; the parenthesis narrows it to a role.
      routes.push({ method, path, access: access.replace(/\s*\(.*\)$/, '') });
    }
  }
  return routes;
}

/**
 * What each word of the access column promises, as the OpenAPI security
 * schemes that route must accept (any one of them is enough; [] = public).
 */
export const ACCESS_SCHEMES: Record<string, string[]> = {
  public: [],
  agent: ['agentKey', 'bearerAuth'],
  'agent key': ['agentKey'],
  person: ['bearerAuth'],
  admin: ['adminKey', 'bearerAuth'],
  party: ['adminKey', 'agentKey', 'bearerAuth'],
};
