import { z } from 'zod';
import { errorBodySchema } from '@agentmarket/contracts';
import type { McpTool } from './mcp-tools.ts';

type JsonSchema = Record<string, unknown>;

/** 1 to 200 visible ASCII characters, as the Idempotency-Key header allows. */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{1,200}$';

// draft-7: the dialect the official MCP client's validator (Ajv's default) reads.
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' });
  return json;
}

const uuidArgument = (description: string): JsonSchema => ({ type: 'string', format: 'uuid', maxLength: 36, description });

/**
 * The tool's arguments: the route's own body or query fields, plus the id the
 * path needs and, on tools that change state, `idempotency_key`.
 */
export function inputSchemaOf(tool: McpTool): JsonSchema {
  const base = tool.input ? jsonSchemaOf(tool.input, 'input') : { type: 'object', properties: {}, additionalProperties: false };
  const properties: JsonSchema = { ...(base.properties as JsonSchema | undefined) };
  const required = [...((base.required as string[] | undefined) ?? [])];
  if (tool.idArgument) {
    properties[tool.idArgument] = uuidArgument({ job_id: 'The job', service_id: 'The service', task_id: 'The task' }[tool.idArgument]);
    required.unshift(tool.idArgument);
  }
  if (tool.changesState) {
    properties.idempotency_key = {
      type: 'string',
      pattern: IDEMPOTENCY_KEY_PATTERN,
      description: 'Send the same key when retrying this call: it then has at most one effect, and the retry returns the first result.',
    };
  }
  return { ...base, type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

const errorJson = jsonSchemaOf(z.object({ error: errorBodySchema }), 'output');

/**
 * The tool's `structuredContent`: the route's reply, or the API's error shape
 * on an `isError` result (the official client validates either against the
 * output schema). Shared definitions move to the root, where `$ref`s resolve.
 */
export function outputSchemaOf(tool: McpTool): JsonSchema {
  const { definitions, ...reply } = jsonSchemaOf(tool.output, 'output');
  return { type: 'object', anyOf: [reply, errorJson], ...(definitions ? { definitions } : {}) };
}
