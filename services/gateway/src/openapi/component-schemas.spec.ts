import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ComponentSchemas } from './component-schemas.ts';
import { inlineRequestSchema } from './json-schema.ts';
import { derivedOperationId } from './operation-ids.ts';

interface Node {
  name: string;
  children: Node[];
}
const treeSchema: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(treeSchema) }));

describe('ComponentSchemas', () => {
  it('turns a recursive schema without a name into a component that refers to itself, never to "#"', () => {
    const components = new ComponentSchemas();
    expect(components.responseSchema(treeSchema, 'TreeResponse')).toEqual({ $ref: '#/components/schemas/TreeResponse' });
    const all = components.all();
    expect(JSON.stringify(all)).not.toContain('"$ref":"#"');
    expect(all.TreeResponse).toMatchObject({
      type: 'object',
      properties: { children: { type: 'array', items: { $ref: '#/components/schemas/TreeResponse' } } },
    });
  });

  it('inlines a schema with no named parts, and states integer formats and UUID lengths', () => {
    const components = new ComponentSchemas();
    const schema = components.responseSchema(z.object({ id: z.uuid(), count: z.number().int().min(0).max(10), big: z.number().int() }), 'Unused');
    expect(schema).toMatchObject({
      type: 'object',
      properties: { id: { format: 'uuid', maxLength: 36 }, count: { type: 'integer', format: 'int32' }, big: { type: 'integer', format: 'int64' } },
    });
    expect(components.all()).toEqual({});
  });

  it('names an unnamed recursive part after the schema that holds it', () => {
    const components = new ComponentSchemas();
    const schema = components.responseSchema(z.object({ root: treeSchema }), 'Forest');
    expect(schema).toEqual({ type: 'object', properties: { root: { $ref: '#/components/schemas/ForestPart0' } }, required: ['root'], additionalProperties: false });
    expect(Object.keys(components.all())).toEqual(['ForestPart0']);
  });

  it('refuses two different schemas under one component name', () => {
    interface Other {
      other: Other[];
    }
    const otherSchema: z.ZodType<Other> = z.lazy(() => z.object({ other: z.array(otherSchema) }));
    const components = new ComponentSchemas();
    components.responseSchema(treeSchema, 'Same');
    expect(() => components.responseSchema(otherSchema, 'Same')).toThrow(/Same/);
  });
});

describe('inlineRequestSchema', () => {
  it('writes a request part out in full, with no reference left', () => {
    const shared = z.object({ name: z.string() });
    const schema = inlineRequestSchema(z.object({ first: shared, second: shared }), 'test');
    expect(JSON.stringify(schema)).not.toContain('$ref');
    expect(schema).toMatchObject({ properties: { first: { properties: { name: { type: 'string' } } }, second: { properties: { name: { type: 'string' } } } } });
  });

  it('refuses a recursive request schema, which has no inline form', () => {
    expect(() => inlineRequestSchema(treeSchema, 'POST /trees')).toThrow(/POST \/trees/);
  });
});

describe('derivedOperationId', () => {
  it('names a route from its method and path', () => {
    expect(derivedOperationId('POST', '/api/jobs/{id}/request-revision')).toBe('postJobsIdRequestRevision');
    expect(derivedOperationId('GET', '/api/webhooks/{id}/deliveries')).toBe('getWebhooksIdDeliveries');
  });
});
