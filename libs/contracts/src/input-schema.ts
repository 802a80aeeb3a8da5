import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { z } from 'zod';

/**
 * Typed inputs: a service may declare the JSON Schema (draft 2020-12) its
 * `input_data` must follow. The catalog refuses a schema that breaks these
 * limits or does not compile; jobs compiles it once per schema and checks
 * every hire against it. Both sides compile with `compileInputSchema`, so a
 * schema the catalog accepted always compiles at hire.
 */
export const INPUT_SCHEMA_MAX_BYTES = 16 * 1024;
export const INPUT_SCHEMA_MAX_DEPTH = 16;
/** The longest `pattern` accepted: each one runs against every hire's input. */
export const INPUT_SCHEMA_MAX_PATTERN_LENGTH = 512;
/** The most input errors a refused hire reports (ajv stops collecting there too). */
export const INPUT_ERRORS_REPORTED = 20;

export type InputSchema = Record<string, unknown>;
export interface InputError {
  /** A JSON pointer into input_data (`/topic`, `/items/0`); empty for the whole object. */
  path: string;
  message: string;
}

// ajv-formats is CommonJS: under Node's ESM loader its default import is module.exports, whose `default` is the plugin.
const addFormats = addFormatsModule.default;

/**
 * A quantified group that itself holds a quantifier (`(a+)+`, `(\\w*)*`): the
 * shape of catastrophic backtracking. A heuristic, not a proof, but it turns
 * away the classic patterns that would stall the hire path on crafted input.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;

/** Keywords whose value is a URI reference to another schema: only local (`#…`) ones are allowed. */
const REFERENCE_KEYWORDS = new Set(['$ref', '$dynamicRef', '$recursiveRef']);

/**
 * Why the schema is refused before compiling, or undefined: its size, its
 * nesting, a reference outside itself (the market never fetches anything), a
 * pattern too long to run on every hire.
 */
export function inputSchemaLimitProblem(schema: InputSchema): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(schema), 'utf8');
  if (bytes > INPUT_SCHEMA_MAX_BYTES) return `is ${bytes} bytes serialized; at most ${INPUT_SCHEMA_MAX_BYTES} are allowed`;
  return walk(schema, 1);
}

function walk(node: unknown, depth: number): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (depth > INPUT_SCHEMA_MAX_DEPTH) return `nests deeper than ${INPUT_SCHEMA_MAX_DEPTH} levels`;
  const entries = Array.isArray(node) ? node.map((value, index) => [String(index), value] as const) : Object.entries(node);
  for (const [key, value] of entries) {
    if (!Array.isArray(node) && REFERENCE_KEYWORDS.has(key) && typeof value === 'string' && !value.startsWith('#')) {
      return `${key} "${value.slice(0, 100)}" is not local: only references inside the schema ("#/…") are allowed`;
    }
    if (!Array.isArray(node) && key === '$async') return 'uses $async, which input schemas may not';
    const patterns = Array.isArray(node) ? [] : key === 'pattern' && typeof value === 'string' ? [value] : key === 'patternProperties' && isObject(value) ? Object.keys(value) : [];
    for (const pattern of patterns) {
      if (pattern.length > INPUT_SCHEMA_MAX_PATTERN_LENGTH) return `has a pattern longer than ${INPUT_SCHEMA_MAX_PATTERN_LENGTH} characters`;
      if (NESTED_QUANTIFIER.test(pattern)) return `has a pattern with a nested quantifier ("${pattern.slice(0, 100)}"), which can take exponential time`;
    }
    const problem = walk(value, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Compiles a schema with the market's settings. A fresh ajv per schema: ajv
 * keeps every schema it compiled by `$id`, and two services may well use the
 * same `$id` for different schemas. Unknown keywords and formats are allowed
 * (annotations such as `examples` are common), so only errors that would make
 * the schema unusable refuse it. Throws when it does not compile.
 */
export function compileInputSchema(schema: InputSchema): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** Why a schema is refused (limits first, then compilation), or undefined when it is usable. */
export function inputSchemaProblem(schema: InputSchema): string | undefined {
  const limit = inputSchemaLimitProblem(schema);
  if (limit) return limit;
  try {
    compileInputSchema(schema);
    return undefined;
  } catch (error) {
    return `does not compile: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`;
  }
}

/** A failed validation's errors as the API reports them: the JSON pointer of the value and what is wrong with it. */
export function inputErrors(errors: readonly ErrorObject[] | null | undefined): InputError[] {
  return (errors ?? []).slice(0, INPUT_ERRORS_REPORTED).map((error) => {
    // A missing property is reported on its parent: point at the property itself, as the caller would look for it.
    const missing = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
    const path = missing === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(missing)}`;
    return { path, message: error.message ?? 'is invalid' };
  });
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `input_schema` as a publish or patch carries it: a JSON object that passes the limits and compiles. */
export const inputSchemaFieldSchema = z
  .record(z.string(), z.unknown())
  .superRefine((schema, context) => {
    const problem = inputSchemaProblem(schema);
    if (problem) context.addIssue({ code: 'custom', message: `The JSON Schema ${problem}` });
  })
  .describe('A JSON Schema (draft 2020-12) that input_data must follow at hire: at most 16 KiB, 16 levels deep, only local $refs.');
