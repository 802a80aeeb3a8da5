import type { FastifyInstance } from 'fastify';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { REQUEST_ID_HEADER, type ErrorBody } from '@agentmarket/contracts';
import type { McpTool } from './mcp-tools.ts';

/** What the tool call carries over from the /mcp request it came in. */
export interface ForwardedCaller {
  /** X-Agent-Key, Authorization, X-Admin-Key as the caller sent them: the route authenticates them again. */
  credentials: Record<string, string>;
  remoteAddress: string;
  requestId: string;
}

const errorResult = (error: ErrorBody): CallToolResult => ({
  isError: true,
  content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
  structuredContent: { error },
});

function queryStringOf(args: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    // Non-scalars go as JSON text, which the route's schema then refuses by name.
    query.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

function isErrorBody(value: unknown): value is { error: ErrorBody } {
  const error = typeof value === 'object' && value !== null ? Reflect.get(value, 'error') : undefined;
  return typeof error === 'object' && error !== null && typeof Reflect.get(error, 'code') === 'string';
}

/**
 * Runs one tool as the REST request it stands for, in process (Fastify's
 * inject): authentication, limits, validation, idempotency and the reply are
 * the route's own, so a tool and its route never disagree.
 */
export async function callTool(app: FastifyInstance, tool: McpTool, args: Record<string, unknown>, caller: ForwardedCaller): Promise<CallToolResult> {
  const { idempotency_key: idempotencyKey, [tool.idArgument ?? '']: id, ...fields } = args;
  if (tool.idArgument && (typeof id !== 'string' || id.length === 0)) {
    return errorResult({ code: 'validation_failed', message: `${tool.idArgument} is required`, details: { [tool.idArgument]: 'Required' } });
  }
  const path = tool.path.replace('{id}', encodeURIComponent(String(id)));
  const headers: Record<string, string> = { ...caller.credentials, [REQUEST_ID_HEADER]: caller.requestId };
  if (tool.changesState && idempotencyKey !== undefined) headers['idempotency-key'] = String(idempotencyKey);

  const response = await app.inject({
    method: tool.method,
    url: tool.place === 'query' ? `${path}${queryStringOf(fields)}` : path,
    headers: tool.method === 'POST' ? { ...headers, 'content-type': 'application/json' } : headers,
    payload: tool.method === 'POST' ? JSON.stringify(tool.place === 'body' ? fields : {}) : undefined,
    remoteAddress: caller.remoteAddress,
  });

  let reply: unknown;
  try {
    reply = response.json();
  } catch {
    return errorResult({ code: 'internal', message: `The ${tool.name} route answered ${response.statusCode} without JSON`, details: {} });
  }
  if (response.statusCode >= 200 && response.statusCode < 300) {
    return { content: [{ type: 'text', text: tool.summarise(reply) }], structuredContent: reply as Record<string, unknown> };
  }
  if (isErrorBody(reply)) return errorResult({ ...reply.error, details: reply.error.details ?? {} });
  return errorResult({ code: 'internal', message: `The ${tool.name} route answered ${response.statusCode}`, details: {} });
}
