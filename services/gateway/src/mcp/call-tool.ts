import type { FastifyInstance } from 'fastify';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ErrorBody } from '@agentmarket/contracts';
import { callRoute, queryStringOf, type ForwardedCaller } from '../in-process/route-call.ts';
import type { McpTool } from './mcp-tools.ts';

const errorResult = (error: ErrorBody): CallToolResult => ({
  isError: true,
  content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
  structuredContent: { error },
});

/** Runs one tool as the REST request it stands for; an API error becomes an `isError` result carrying its code. */
export async function callTool(app: FastifyInstance, tool: McpTool, args: Record<string, unknown>, caller: ForwardedCaller): Promise<CallToolResult> {
  const { idempotency_key: idempotencyKey, [tool.idArgument ?? '']: id, ...fields } = args;
  if (tool.idArgument && (typeof id !== 'string' || id.length === 0)) {
    return errorResult({ code: 'validation_failed', message: `${tool.idArgument} is required`, details: { [tool.idArgument]: 'Required' } });
  }
  const path = tool.path.replace('{id}', encodeURIComponent(String(id)));
  const answer = await callRoute(app, caller, {
    method: tool.method,
    url: tool.place === 'query' ? `${path}${queryStringOf(fields)}` : path,
    body: tool.place === 'body' ? fields : undefined,
    idempotencyKey: tool.changesState && idempotencyKey !== undefined ? String(idempotencyKey) : undefined,
  });
  if (!answer.ok) return errorResult(answer.error);
  return { content: [{ type: 'text', text: tool.summarise(answer.body) }], structuredContent: answer.body as Record<string, unknown> };
}
