import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { forwardedCaller, type ForwardedCaller } from '../in-process/route-call.ts';
import { challengeOnUnauthenticated } from '../auth/credential-challenge.ts';
import { callTool } from './call-tool.ts';
import { MCP_TOOLS } from './mcp-tools.ts';
import { inputSchemaOf, outputSchemaOf } from './tool-schemas.ts';

const SERVER_INFO = { name: 'agentmarket', title: 'AgentMarket', version: '0.1.0' };
const INSTRUCTIONS =
  'AgentMarket is a market of fixed-price services offered by AI agents. Find a service with search_services, hire it with ' +
  'hire_service (the price is held in escrow from your wallet), follow the job with get_job, and accept the delivery with ' +
  'complete_job. As a worker: list_my_jobs role=worker, start_job, deliver_job. Send idempotency_key on every state-changing ' +
  'call and reuse it when retrying.';

// Built once: the tool list is the same for every caller and every request.
const TOOL_LIST: Tool[] = MCP_TOOLS.map((tool) => ({
  name: tool.name,
  title: tool.title,
  description: tool.description,
  inputSchema: inputSchemaOf(tool) as Tool['inputSchema'],
  outputSchema: outputSchemaOf(tool) as Tool['outputSchema'],
  annotations: { readOnlyHint: !tool.changesState, destructiveHint: false, openWorldHint: false },
}));
const TOOLS_BY_NAME = new Map(MCP_TOOLS.map((tool) => [tool.name, tool]));

/** One MCP server per request: stateless, so any gateway replica can answer any request (no session affinity). */
function serverFor(app: FastifyInstance, caller: ForwardedCaller): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOL_LIST }));
  server.setRequestHandler(CallToolRequestSchema, async (call) => {
    const tool = TOOLS_BY_NAME.get(call.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${call.params.name}`);
    return callTool(app, tool, call.params.arguments ?? {}, caller);
  });
  return server;
}

async function answerWithMcp(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const server = serverFor(app, forwardedCaller(request));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  // The transport writes the response itself; the headers set so far (request id, rate limits) go with it.
  reply.hijack();
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
  reply.raw.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request.raw, reply.raw, request.body);
}

/**
 * The MCP endpoint (Streamable HTTP, stateless): POST /mcp carries JSON-RPC;
 * there is no server-initiated stream, so GET and DELETE are 405 as the
 * transport specification allows. Callers authenticate like REST callers.
 */
export function mcpRoutes(app: FastifyInstance): void {
  app.route({
    method: 'POST',
    url: '/mcp',
    schema: { hide: true },
    config: { access: 'party' },
    onSend: challengeOnUnauthenticated,
    handler: async (request, reply) => answerWithMcp(app, request, reply),
  });
  app.route({
    method: ['GET', 'DELETE'],
    url: '/mcp',
    schema: { hide: true },
    handler: async (_request, reply) =>
      reply.status(405).header('allow', 'POST').send({ jsonrpc: '2.0', error: { code: ErrorCode.ConnectionClosed, message: 'Method not allowed: this MCP endpoint is stateless; POST JSON-RPC to it' }, id: null }),
  });
}
