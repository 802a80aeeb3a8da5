import type { z } from 'zod';
import { componentMetadata } from './component-names.ts';
import { jsonSchemaOf, mapRefs, type JsonSchema } from './json-schema.ts';

const COMPONENT_PREFIX = '#/components/schemas/';
const DEFS_PREFIX = '#/$defs/';

/**
 * The named schemas of the document (`components.schemas`), gathered from
 * the response schemas: every zod schema with an `id` becomes one component
 * that every operation refers to, so generated clients get one named type
 * per entity, and recursive schemas (a job tree's `children`) refer to their
 * own component instead of to `#`, which no tool resolves.
 */
export class ComponentSchemas {
  readonly #schemas = new Map<string, JsonSchema>();

  /**
   * The response schema as the document embeds it: a `$ref` when the schema
   * has an id, otherwise inline with `$ref`s to the components it uses.
   * `fallbackName` names a recursive schema that has no id of its own.
   */
  responseSchema(schema: z.ZodType, fallbackName: string): JsonSchema {
    const { $defs, ...root } = jsonSchemaOf(schema, 'output', componentMetadata);
    const refersToRoot = JSON.stringify(root).includes('"$ref":"#"') || JSON.stringify($defs ?? {}).includes('"$ref":"#"');
    // Zod names an unnamed recursive part `__schema<n>`: it becomes a component of this schema's own.
    const componentName = (def: string) => def.replace(/^__schema(\d+)$/, `${fallbackName}Part$1`);
    const toComponent = (ref: string) => {
      if (ref === '#') return `${COMPONENT_PREFIX}${fallbackName}`;
      if (ref.startsWith(DEFS_PREFIX)) return `${COMPONENT_PREFIX}${componentName(ref.slice(DEFS_PREFIX.length))}`;
      throw new Error(`${fallbackName}: unexpected reference ${ref}`);
    };
    for (const [name, definition] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      this.#add(componentName(name), mapRefs(definition, toComponent) as JsonSchema);
    }
    const embedded = mapRefs(root, toComponent) as JsonSchema;
    if (!refersToRoot) return embedded;
    this.#add(fallbackName, embedded);
    return { $ref: `${COMPONENT_PREFIX}${fallbackName}` };
  }

  /** Every component gathered so far, by name, sorted so the document is stable. */
  all(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.#schemas.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  #add(name: string, schema: JsonSchema): void {
    const existing = this.#schemas.get(name);
    // Two different schemas under one id would make one of them lie: fail where the document is built.
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`Two different schemas share the OpenAPI component name "${name}"`);
    }
    this.#schemas.set(name, schema);
  }
}
