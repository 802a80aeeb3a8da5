import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppError,
  SUBJECTS,
  subjectForEvent,
  uuidv7,
  type EventEnvelope,
  type EventType,
  type ServicePage,
  type ServiceView,
} from '@agentmarket/contracts';
import { encodeJson } from '@agentmarket/messaging';
import { startCatalogFixture, waitUntil } from './catalog-fixture.ts';

let fixture: Awaited<ReturnType<typeof startCatalogFixture>>;
beforeAll(async () => {
  fixture = await startCatalogFixture();
});
afterAll(async () => fixture?.stop());

const subjects = SUBJECTS.catalog;
const request = <T>(subject: string, payload: unknown) => fixture.bus.request<T>(subject, payload);

const create = (agentId: string, service: Record<string, unknown> = {}, agentName = 'Seller') =>
  request<ServiceView>(subjects.create, {
    agent_id: agentId,
    agent_name: agentName,
    service: { name: 'Translation', description: 'I translate documents', price_usd: '10.00', output_type: 'text', ...service },
  });
const get = (id: string) => request<ServiceView>(subjects.get, { id });
const update = (agentId: string, serviceId: string, patch: Record<string, unknown>) =>
  request<ServiceView>(subjects.update, { agent_id: agentId, service_id: serviceId, patch });
const deactivate = (agentId: string, serviceId: string) => request<ServiceView>(subjects.deactivate, { agent_id: agentId, service_id: serviceId });
const list = (query: Record<string, string>) => request<ServicePage>(subjects.list, query);

/** Every page of a listing, following next_cursor to the end. */
async function listAll(query: Record<string, string>): Promise<{ pages: ServiceView[][]; all: ServiceView[] }> {
  const pages: ServiceView[][] = [];
  let cursor: string | null = null;
  do {
    const page: ServicePage = await list(cursor === null ? query : { ...query, cursor });
    pages.push(page.data);
    cursor = page.next_cursor;
  } while (cursor !== null && pages.length < 50);
  return { pages, all: pages.flat() };
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected the request to fail');
}

/** A capability no other test uses, so a listing filtered by it sees only this test's services. */
const tag = () => `tag-${uuidv7().slice(-12)}`;
const ids = (services: ServiceView[]) => services.map((service) => service.id);
/** Byte order, as Postgres compares uuids and text in the C collation. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const eventsOf = (serviceId: string) => fixture.serviceEvents.filter((event) => event.aggregate_id === serviceId);

function agentEvent(type: 'agent_registered' | 'agent_updated', agentId: string, version: number, name: string, reputation: string): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    occurred_at: new Date().toISOString(),
    aggregate_id: agentId,
    aggregate_version: version,
    actor: { type: 'agent', id: agentId },
    data: {
      agent_id: agentId,
      changes: {},
      agent: {
        id: agentId,
        name,
        description: null,
        capabilities: [],
        status: 'available',
        reputation_score: reputation,
        jobs_completed: 0,
        success_rate: null,
        total_earned: '0.00',
        created_at: new Date().toISOString(),
      },
    },
  };
}

function reputationEvent(agentId: string, version: number, score: string): EventEnvelope {
  return {
    id: uuidv7(),
    type: 'reputation_updated',
    occurred_at: new Date().toISOString(),
    aggregate_id: agentId,
    aggregate_version: version,
    actor: { type: 'system', id: null },
    data: {
      agent_id: agentId,
      reputation_score: score,
      ratings_count: version,
      jobs_completed: version,
      jobs_failed: 0,
      success_rate: 1,
      on_time_rate: 1,
      jobs_hired: 0,
      earned: [],
      spent: [],
      updated_at: new Date().toISOString(),
    },
  };
}

const publish = (event: EventEnvelope, msgID = uuidv7()) =>
  fixture.jetstream.publish(subjectForEvent(event.type as EventType), encodeJson(event), { msgID });

const projected = (serviceId: string, name: string, reputation: string) => async () => {
  const service = await get(serviceId);
  return service.agent_name === name && service.agent_reputation === reputation;
};

describe('publishing and owning services', () => {
  it('creates a service and returns it by id, with the caller as owner until identity has spoken', async () => {
    const agentId = uuidv7();
    const created = await create(agentId, {
      price_usd: 12.5,
      required_inputs: [{ name: 'text', type: 'string' }],
      capabilities_required: ['translation'],
      accept_window_seconds: 600,
    }, 'Polyglot');
    expect(created).toMatchObject({
      agent_id: agentId,
      agent_name: 'Polyglot',
      agent_reputation: '0.00',
      currency: 'USD',
      price_usd: '12.50',
      price_sats: null,
      required_inputs: [{ name: 'text', type: 'string' }],
      capabilities_required: ['translation'],
      max_concurrent: 5,
      max_revisions: 3,
      accept_window_seconds: 600,
      auto_complete_seconds: null,
      is_active: true,
    });
    expect(await get(created.id)).toEqual(created);
    await waitUntil(() => eventsOf(created.id).length === 1);
    expect(eventsOf(created.id)[0]).toMatchObject({ type: 'service_created', aggregate_version: 1, actor: { type: 'agent', id: agentId }, data: { service: created } });
  });

  it('refuses an invalid service and an unknown id', async () => {
    expect(await errorOf(create(uuidv7(), { price_sats: 100 }))).toMatchObject({ code: 'validation_failed', details: { 'service.price_usd': expect.any(String) } });
    expect((await errorOf(get(uuidv7()))).code).toBe('not_found');
  });

  it('lets only the owner change a service, and answers not_found to anyone else', async () => {
    const owner = uuidv7();
    const service = await create(owner);
    expect((await errorOf(update(uuidv7(), service.id, { name: 'Hijacked' }))).code).toBe('not_found');
    expect((await errorOf(deactivate(uuidv7(), service.id))).code).toBe('not_found');
    expect((await errorOf(update(owner, uuidv7(), { name: 'Nothing' }))).code).toBe('not_found');
    expect((await get(service.id)).name).toBe('Translation');
  });

  it('updates fields, switches currency with the price, and emits one event per real change', async () => {
    const owner = uuidv7();
    const service = await create(owner);
    const renamed = await update(owner, service.id, { name: 'Legal translation', price_sats: 40_000 });
    expect(renamed).toMatchObject({ name: 'Legal translation', currency: 'SAT', price_sats: 40_000, price_usd: null });
    expect(Date.parse(renamed.updated_at)).toBeGreaterThanOrEqual(Date.parse(service.updated_at));
    const unchanged = await update(owner, service.id, { name: 'Legal translation' });
    expect(unchanged).toEqual(renamed);
    await update(owner, service.id, { max_concurrent: 9 });
    await waitUntil(() => eventsOf(service.id).length === 3);
    // The unchanged update must not have emitted a fourth: everything the catalog wrote has arrived.
    await fixture.caughtUp();
    const events = eventsOf(service.id);
    expect(events.map((event) => [event.type, event.aggregate_version])).toEqual([
      ['service_created', 1],
      ['service_updated', 2],
      ['service_updated', 3],
    ]);
    expect(events[1]?.data).toEqual({ service: renamed, changes: { name: 'Legal translation', currency: 'SAT', price_usd: null, price_sats: 40_000 } });
    expect(events[2]?.data.changes).toEqual({ max_concurrent: 9 });
  });

  it('retries concurrent updates that lose the optimistic-lock race', async () => {
    const owner = uuidv7();
    const service = await create(owner);
    const results = await Promise.all([2, 3, 4].map((value) => update(owner, service.id, { max_concurrent: value })));
    expect(results).toHaveLength(3);
    await waitUntil(() => eventsOf(service.id).length === 4);
    expect(eventsOf(service.id).map((event) => event.aggregate_version)).toEqual([1, 2, 3, 4]);
    const last = eventsOf(service.id)[3]?.data.service as ServiceView;
    expect((await get(service.id)).max_concurrent).toBe(last.max_concurrent);
  });

  it('deactivates once, keeps the service readable by id, and hides it from listings', async () => {
    const owner = uuidv7();
    const service = await create(owner);
    const inactive = await deactivate(owner, service.id);
    expect(inactive.is_active).toBe(false);
    expect(await deactivate(owner, service.id)).toEqual(inactive);
    expect(await get(service.id)).toEqual(inactive);
    expect(ids((await list({ agent_id: owner })).data)).toEqual([]);
    expect(ids((await list({ agent_id: owner, include_inactive: 'true' })).data)).toEqual([service.id]);

    const reactivated = await update(owner, service.id, { is_active: true });
    expect(reactivated.is_active).toBe(true);
    const viaPatch = await update(owner, service.id, { is_active: false });
    await waitUntil(() => eventsOf(service.id).length === 4);
    // The repeated deactivation must not have emitted another: everything the catalog wrote has arrived.
    await fixture.caughtUp();
    expect(eventsOf(service.id).map((event) => event.type)).toEqual(['service_created', 'service_deactivated', 'service_updated', 'service_deactivated']);
    expect(eventsOf(service.id)[3]?.data).toEqual({ service: viaPatch, changes: { is_active: false } });
  });
});

describe('searching and filtering', () => {
  it('ranks a name hit above a description hit', async () => {
    const owner = uuidv7();
    const inDescription = await create(owner, { name: 'Proofreading', description: 'Careful zeppelin manuals and more' });
    const inName = await create(owner, { name: 'Zeppelin manuals', description: 'Technical writing' });
    await create(owner, { name: 'Unrelated', description: 'Nothing to see' });
    const found = await list({ q: 'zeppelin manual', agent_id: owner });
    expect(ids(found.data)).toEqual([inName.id, inDescription.id]);
    expect(ids((await list({ q: 'zeppelin', agent_id: owner, sort: 'newest' })).data)).toEqual([inName.id, inDescription.id]);
    // Search syntax is never an error: unbalanced quotes and stop words only match nothing or less.
    expect(ids((await list({ q: '"zeppelin -', agent_id: owner })).data)).toEqual([inName.id, inDescription.id]);
    expect((await list({ q: 'the', agent_id: owner })).data).toEqual([]);
  });

  it('filters by capability, agent, currency and price range in the unit of the currency', async () => {
    const capability = tag();
    const [alice, bob] = [uuidv7(), uuidv7()];
    const cheap = await create(alice, { price_usd: '5.49', capabilities_required: [capability, 'other'] });
    const low = await create(alice, { price_usd: '5.50', capabilities_required: [capability] });
    const high = await create(bob, { price_usd: '10.00', capabilities_required: [capability] });
    await create(bob, { price_usd: '10.01', capabilities_required: [capability] });
    const sats = await create(bob, { price_usd: undefined, price_sats: 800, capabilities_required: [capability] });
    await create(bob, { price_usd: '7.00', capabilities_required: ['elsewhere'] });

    expect((await list({ capability })).data).toHaveLength(5);
    expect(ids((await list({ capability, agent_id: alice })).data).sort()).toEqual([cheap.id, low.id].sort());
    expect(ids((await list({ capability, min_price: '5.50', max_price: '10' })).data).sort()).toEqual([low.id, high.id].sort());
    expect(ids((await list({ capability, currency: 'SAT' })).data)).toEqual([sats.id]);
    expect(ids((await list({ capability, currency: 'SAT', min_price: '800', max_price: '800' })).data)).toEqual([sats.id]);
    expect(ids((await list({ capability, currency: 'SAT', min_price: '801' })).data)).toEqual([]);
    expect(await errorOf(list({ currency: 'SAT', max_price: '1.50' }))).toMatchObject({ code: 'validation_failed', details: { max_price: expect.any(String) } });
    expect(await errorOf(list({ sort: 'relevance' }))).toMatchObject({ code: 'validation_failed', details: { sort: expect.any(String) } });
  });
});

describe('sorting with cursor pagination', () => {
  it('walks newest first without gaps or repeats, even while services are added', async () => {
    const capability = tag();
    const owner = uuidv7();
    const created: ServiceView[] = [];
    for (let index = 0; index < 7; index += 1) created.push(await create(owner, { name: `Service ${index}`, capabilities_required: [capability] }));
    const first = await list({ capability, limit: '3' });
    await create(owner, { name: 'Added meanwhile', capabilities_required: [capability] });
    const rest = await listAll({ capability, limit: '3', cursor: first.next_cursor ?? '' });
    expect([...ids(first.data), ...ids(rest.all)]).toEqual(ids(created).reverse());
  });

  it('walks by price ascending, currencies apart, ties broken by id', async () => {
    const capability = tag();
    const owner = uuidv7();
    const prices: Record<string, unknown>[] = [
      { price_usd: '3.00' },
      { price_usd: '1.00' },
      { price_usd: '3.00' },
      { price_usd: '2.00' },
      { price_usd: undefined, price_sats: 500 },
      { price_usd: undefined, price_sats: 100 },
      { price_usd: '3.00' },
    ];
    const created: ServiceView[] = [];
    for (const price of prices) created.push(await create(owner, { ...price, capabilities_required: [capability] }));
    const amount = (service: ServiceView) => service.price_sats ?? Math.round(Number(service.price_usd) * 100);
    const expected = [...created].sort(
      (a, b) => compare(a.currency, b.currency) || amount(a) - amount(b) || compare(a.id, b.id),
    );
    const walked = await listAll({ capability, sort: 'price', limit: '2' });
    expect(walked.pages.length).toBe(4);
    expect(ids(walked.all)).toEqual(ids(expected));
    const usdOnly = await listAll({ capability, sort: 'price', currency: 'USD', limit: '2' });
    expect(ids(usdOnly.all)).toEqual(ids(expected.filter((service) => service.currency === 'USD')));
  });

  it('walks by agent reputation descending', async () => {
    const capability = tag();
    const agents = [
      { id: uuidv7(), reputation: '3.10' },
      { id: uuidv7(), reputation: '4.90' },
      { id: uuidv7(), reputation: '3.10' },
    ];
    const created: ServiceView[] = [];
    for (const agent of agents) {
      for (let index = 0; index < 2; index += 1) created.push(await create(agent.id, { capabilities_required: [capability] }));
      await publish(agentEvent('agent_registered', agent.id, 1, 'Ranked', agent.reputation));
    }
    const lastService = created.at(-1);
    await waitUntil(projected(lastService?.id ?? '', 'Ranked', '3.10'));
    const current = await Promise.all(created.map((service) => get(service.id)));
    const expected = current.sort((a, b) => compare(b.agent_reputation, a.agent_reputation) || compare(b.id, a.id));
    const walked = await listAll({ capability, sort: 'reputation', limit: '4' });
    expect(walked.pages.map((page) => page.length)).toEqual([4, 2]);
    expect(ids(walked.all)).toEqual(ids(expected));
    expect(walked.all.map((service) => service.agent_reputation)).toEqual(['4.90', '4.90', '3.10', '3.10', '3.10', '3.10']);
  });

  it('walks by relevance, ties included, and refuses a cursor of another sort', async () => {
    const owner = uuidv7();
    const created: ServiceView[] = [];
    for (let index = 0; index < 5; index += 1) created.push(await create(owner, { name: `Quokka care ${index}`, description: 'Animal sitting' }));
    created.push(await create(owner, { name: 'Pet sitting', description: 'Quokka and wombat care' }));
    const walked = await listAll({ q: 'quokka', agent_id: owner, limit: '2' });
    expect(walked.pages.length).toBe(3);
    expect(ids(walked.all).sort()).toEqual(ids(created).sort());
    expect(walked.all.at(-1)?.id).toBe(created.at(-1)?.id);

    const firstPage = await list({ q: 'quokka', agent_id: owner, limit: '2' });
    expect(await errorOf(list({ q: 'quokka', agent_id: owner, sort: 'price', cursor: firstPage.next_cursor ?? '' }))).toMatchObject({
      code: 'validation_failed',
      details: { cursor: expect.any(String) },
    });
    expect((await errorOf(list({ cursor: 'garbage' }))).code).toBe('validation_failed');
  });
});

describe('agent projection', () => {
  it('follows identity events onto existing services, ignoring stale and repeated ones', async () => {
    const agentId = uuidv7();
    const first = await create(agentId, {}, 'Provisional');
    const second = await create(agentId, { price_usd: undefined, price_sats: 1000 }, 'Provisional');

    await publish(agentEvent('agent_registered', agentId, 1, 'Registered', '0.00'));
    await waitUntil(projected(first.id, 'Registered', '0.00'));
    await publish(agentEvent('agent_updated', agentId, 3, 'Renamed', '4.25'));
    await waitUntil(projected(second.id, 'Renamed', '4.25'));
    expect(await get(first.id)).toMatchObject({ agent_name: 'Renamed', agent_reputation: '4.25' });

    // An older version arriving late must not win; a later event of another agent shows it was processed.
    await publish(agentEvent('agent_updated', agentId, 2, 'Stale', '1.00'));
    const marker = uuidv7();
    const markerService = await create(marker, {}, 'Marker');
    await publish(agentEvent('agent_registered', marker, 1, 'Marker registered', '2.00'));
    await waitUntil(projected(markerService.id, 'Marker registered', '2.00'));
    expect(await get(first.id)).toMatchObject({ agent_name: 'Renamed', agent_reputation: '4.25' });

    // New services take the projected agent, not the name the caller sends.
    expect(await create(agentId, {}, 'Ignored')).toMatchObject({ agent_name: 'Renamed', agent_reputation: '4.25' });
  });

  it('applies the same event published twice under two message ids once', async () => {
    const agentId = uuidv7();
    const service = await create(agentId);
    const duplicates = () => fixture.service.context.metrics.eventsConsumed.get().then((metric) =>
      metric.values.filter((value) => value.labels.outcome === 'duplicate').reduce((sum, value) => sum + value.value, 0),
    );
    const before = await duplicates();
    const event = agentEvent('agent_updated', agentId, 7, 'Once', '3.33');
    await publish(event);
    await publish(event);
    await waitUntil(async () => (await duplicates()) === before + 1);
    expect(await get(service.id)).toMatchObject({ agent_name: 'Once', agent_reputation: '3.33' });
  });

  it('follows reputation_updated for the score, newest version only, even before the agent is registered', async () => {
    const agentId = uuidv7();
    const service = await create(agentId, {}, 'Scored');
    // The figures may reach the catalog before the registration does.
    await publish(reputationEvent(agentId, 2, '4.10'));
    await waitUntil(projected(service.id, 'Scored', '4.10'));
    // A stale version changes nothing; identity's copy of the score does not override reputation's own.
    await publish(reputationEvent(agentId, 1, '3.00'));
    await publish(agentEvent('agent_registered', agentId, 1, 'Registered', '0.00'));
    await waitUntil(projected(service.id, 'Registered', '4.10'));
    await publish(reputationEvent(agentId, 3, '4.20'));
    await waitUntil(projected(service.id, 'Registered', '4.20'));
    expect(await create(agentId, {}, 'Ignored')).toMatchObject({ agent_name: 'Registered', agent_reputation: '4.20' });
  });

  it('acknowledges agent events it does not project', async () => {
    const agentId = uuidv7();
    const service = await create(agentId, {}, 'Quiet');
    await publish({ ...agentEvent('agent_updated', agentId, 1, 'x', '0.00'), type: 'agent_key_rotated', data: { agent_id: agentId } });
    await publish(agentEvent('agent_updated', agentId, 2, 'Loud', '1.00'));
    await waitUntil(projected(service.id, 'Loud', '1.00'));
  });
});
