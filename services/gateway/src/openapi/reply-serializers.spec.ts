import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { jobTreeSchema } from '@agentmarket/contracts';
import type { DocumentedRoute } from './documented-route.ts';
import { ReplySerializers } from './reply-serializers.ts';

const routeAnswering = (schema: z.ZodType, extra: Partial<DocumentedRoute> = {}): DocumentedRoute => ({
  method: 'GET',
  url: '/api/things/:id',
  summary: 'A thing',
  tags: ['things'],
  access: 'public',
  body: undefined,
  querystring: undefined,
  params: undefined,
  responses: { 200: schema },
  contentType: undefined,
  rateLimited: true,
  ...extra,
});

const quietLogger = () => ({ warn: vi.fn(), debug: vi.fn() }) as unknown as FastifyBaseLogger & { warn: ReturnType<typeof vi.fn>; debug: ReturnType<typeof vi.fn> };

describe('ReplySerializers', () => {
  it('drops the fields the schema does not name, at every depth, nullable parts included', () => {
    const serializers = new ReplySerializers(quietLogger());
    const schema = z.object({
      id: z.string(),
      hosted: z.object({ model: z.string() }).nullable(),
      status: z.enum(['on', 'off']).nullable(),
      metadata: z.record(z.string(), z.unknown()),
    });
    const serialize = serializers.compile(routeAnswering(schema), '200');
    const sent = JSON.parse(serialize({ id: 'a', secret: 's', hosted: { model: 'm', api_key: 'k' }, status: null, metadata: { free: [1, { x: null }] } }));
    expect(sent).toStrictEqual({ id: 'a', hosted: { model: 'm' }, status: null, metadata: { free: [1, { x: null }] } });
    expect(JSON.parse(serialize({ id: 'b', hosted: null, status: 'on', metadata: {} }))).toStrictEqual({ id: 'b', hosted: null, status: 'on', metadata: {} });
    expect(serializers.fallbacks.size).toBe(0);
  });

  it('serializes a recursive schema (the job tree), pruning its nodes too', () => {
    const logger = quietLogger();
    const serializers = new ReplySerializers(logger);
    const serialize = serializers.compile(routeAnswering(jobTreeSchema, { url: '/api/jobs/:id/tree' }), '200');
    expect(serializers.fallbacks.size).toBe(0);
    const job = (id: string) => ({
      id,
      service_id: 's',
      client_agent_id: 'c',
      client_user_id: null,
      worker_agent_id: 'w',
      parent_job_id: null,
      root_job_id: 'root',
      title: null,
      currency: 'USD',
      price_usd: '1.00',
      price_sats: null,
      status: 'pending',
      rating: null,
      review: null,
      revision_count: 0,
      max_revisions: 2,
      created_at: 't',
      updated_at: 't',
      started_at: null,
      delivered_at: null,
      completed_at: null,
      accept_deadline: null,
      auto_complete_at: null,
      delivery_deadline: null,
      pending_extension: null,
      subtask_budget: null,
      fund_from_parent: false,
      evaluator_agent_id: null,
      evaluator_fee: null,
      dispute: null,
    });
    const budget = { subtask_budget: null, subtask_spent: null, subtask_remaining: null };
    const tree = { job: job('root'), ...budget, children: [{ job: job('child'), ...budget, children: [] }] };
    const leaky = { ...tree, children: [{ job: { ...job('child'), input_data: { secret: 1 } }, ...budget, children: [], extra: true }] };
    const sent = JSON.parse(serialize(leaky)) as typeof tree;
    // Not sent by the JSON.stringify fallback: the fixture fits the schema.
    expect(logger.warn).not.toHaveBeenCalled();
    expect(sent).toMatchObject({ job: { id: 'root' }, children: [{ job: { id: 'child' }, children: [] }] });
    expect(sent.children[0]).not.toHaveProperty('extra');
    expect(sent.children[0]!.job).not.toHaveProperty('input_data');
  });

  it('serializes every error in the one error shape, details as they are', () => {
    const serializers = new ReplySerializers(quietLogger());
    const serialize = serializers.compile(routeAnswering(z.object({ id: z.string() })), '4xx');
    const error = { error: { code: 'validation_failed', message: 'The request is invalid', details: { 'body.rating': 'Too big', nested: { list: [1] } } } };
    expect(JSON.parse(serialize({ ...error, stack: 'at …' }))).toStrictEqual(error);
  });

  it('keeps JSON.stringify for a schema with a real union, and says so once at debug', () => {
    const logger = quietLogger();
    const serializers = new ReplySerializers(logger);
    const union = z.union([z.object({ kind: z.literal('a'), a: z.string() }), z.object({ kind: z.literal('b'), b: z.number() })]);
    const serialize = serializers.compile(routeAnswering(union), '200');
    const reply = { kind: 'a', a: 'x', extra: 1 };
    expect(serialize(reply)).toBe(JSON.stringify(reply));
    expect([...serializers.fallbacks.keys()]).toEqual(['GET /api/things/:id 200']);
    serializers.logFallbacks();
    expect(logger.debug).toHaveBeenCalledTimes(1);
    expect(logger.debug.mock.calls[0]![0]).toMatchObject({ routes: { 'GET /api/things/:id 200': 'uses anyOf' } });
  });

  it('sends a reply that does not fit its schema with JSON.stringify, with a warning naming the route', () => {
    const logger = quietLogger();
    const serializers = new ReplySerializers(logger);
    const serialize = serializers.compile(routeAnswering(z.object({ id: z.string(), count: z.number() })), '200');
    const missing = { id: 'a' };
    expect(serialize(missing)).toBe(JSON.stringify(missing));
    const notANumber = { id: 'a', count: 'many' };
    expect(serialize(notANumber)).toBe(JSON.stringify(notANumber));
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[0]![0]).toMatchObject({ route: 'GET /api/things/:id 200' });
  });

  it('serializes nothing of an event stream', () => {
    expect(ReplySerializers.statusesOf(routeAnswering(z.string(), { contentType: 'text/event-stream' }))).toBeUndefined();
    expect(ReplySerializers.statusesOf(routeAnswering(z.object({}), { responses: { 201: z.object({}), 404: z.object({}) } }))).toEqual(['201', '4xx', '5xx']);
  });
});
