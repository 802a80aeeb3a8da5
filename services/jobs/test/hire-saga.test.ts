import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@agentmarket/contracts';
import { aFundedClient, aService, aWorkerWithService, eventually, jobAction } from '@agentmarket/testing';
import { refusalOf, useJobsMarket } from './jobs-fixture.ts';

const { market, api, hire, getJob, listJobs, jobRowsOf, holdsOf, usd } = useJobsMarket();
const inputs = { text: 'hello' };

describe('refusals before anything is stored', () => {
  it('an inactive service → conflict, and no job', async () => {
    const { worker, service } = await aWorkerWithService(api);
    expect((await api('DELETE', `/api/services/${service.id}`, { key: worker.key })).status).toBe(200);
    const client = await aFundedClient(api);
    const refusal = await refusalOf(hire(client, { service_id: service.id, input_data: inputs }));
    expect(refusal).toMatchObject({ code: 'conflict', details: { service_id: service.id } });
    expect(refusal.message).toMatch(/not active/);
    expect(await jobRowsOf(service.id)).toEqual([]);
  });

  it('hiring one’s own service → validation_failed naming service_id, and no job', async () => {
    const owner = await aFundedClient(api);
    const service = await aService(api, owner);
    expect(await refusalOf(hire(owner, { service_id: service.id, input_data: inputs }))).toMatchObject({
      code: 'validation_failed',
      details: { service_id: 'is your own service' },
    });
    expect(await jobRowsOf(service.id)).toEqual([]);
  });

  it('missing inputs → missing_inputs naming each one absent, null or blank; money untouched', async () => {
    const { service } = await aWorkerWithService(api, { required_inputs: [{ name: 'text' }, { name: 'language' }, { name: 'tone' }, { name: 'length' }] });
    const client = await aFundedClient(api, { usd: '50.00' });
    const refusal = await refusalOf(hire(client, { service_id: service.id, input_data: { text: 'ok', language: '   ', tone: null } }));
    expect(refusal).toMatchObject({ code: 'missing_inputs', details: { missing: ['language', 'tone', 'length'] } });
    expect(await jobRowsOf(service.id)).toEqual([]);
    expect(await usd(client)).toEqual({ available: '50.00', held: '0.00' });
  });

  it('a parent job the caller is not a party of → not_found; its client and its worker may hang sub-jobs under it', async () => {
    const parentClient = await aFundedClient(api);
    const parentWorker = await aFundedClient(api);
    const parentService = await aService(api, parentWorker);
    const parent = await hire(parentClient, { service_id: parentService.id, input_data: inputs });
    const { service: subService } = await aWorkerWithService(api);

    const stranger = await aFundedClient(api);
    expect(await refusalOf(hire(stranger, { service_id: subService.id, input_data: inputs, parent_job_id: parent.id }))).toMatchObject({
      code: 'not_found',
      details: { parent_job_id: parent.id },
    });
    const unknown = uuidv7();
    expect(await refusalOf(hire(parentClient, { service_id: subService.id, input_data: inputs, parent_job_id: unknown }))).toMatchObject({
      code: 'not_found',
      details: { parent_job_id: unknown },
    });
    expect(await jobRowsOf(subService.id)).toEqual([]);

    const byClient = await hire(parentClient, { service_id: subService.id, input_data: inputs, parent_job_id: parent.id });
    const byWorker = await hire(parentWorker, { service_id: subService.id, input_data: inputs, parent_job_id: parent.id });
    expect([byClient.parent_job_id, byWorker.parent_job_id]).toEqual([parent.id, parent.id]);
  });
});

describe('max_concurrent', () => {
  it('a full service → conflict; 12 concurrent hires never overshoot 3; a cancelled job frees its slot', async () => {
    const { service } = await aWorkerWithService(api, { max_concurrent: 3 });
    const client = await aFundedClient(api, { usd: '500.00' });
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => hire(client, { service_id: service.id, input_data: inputs })));
    const hired = outcomes.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => outcome.value);
    const refused = await Promise.all(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => refusalOf(Promise.reject(outcome.reason))));
    expect(hired).toHaveLength(3);
    expect(refused).toHaveLength(9);
    for (const refusal of refused) expect(refusal).toMatchObject({ code: 'conflict', details: { service_id: service.id, max_concurrent: 3, active: 3 } });
    // Refused hires stored nothing and held nothing.
    expect((await jobRowsOf(service.id)).map((row) => row.id).sort()).toEqual(hired.map((job) => job.id).sort());
    expect(await usd(client)).toEqual({ available: '470.00', held: '30.00' });

    expect((await jobAction(api, client, hired[0]?.id ?? '', 'cancel', {})).status).toBe(200);
    await hire(client, { service_id: service.id, input_data: inputs });
    expect((await refusalOf(hire(client, { service_id: service.id, input_data: inputs }))).code).toBe('conflict');
  });
});

describe('escrow', () => {
  it('insufficient funds → insufficient_funds; the job ends unfunded, invisible, fenced, and takes no slot', async () => {
    const { service } = await aWorkerWithService(api, { price_usd: '10.00', max_concurrent: 1 });
    const poor = await aFundedClient(api, { usd: '5.00' });
    expect((await refusalOf(hire(poor, { service_id: service.id, input_data: inputs }))).code).toBe('insufficient_funds');

    const [row] = await jobRowsOf(service.id);
    expect(row).toMatchObject({ funding_status: 'unfunded' });
    // The hold id is fenced: a hold placed late (a retried request) can never take the money.
    expect(await holdsOf([row?.id ?? ''])).toEqual([{ hold_id: row?.id, status: 'abandoned', amount: '0' }]);
    expect(await usd(poor)).toEqual({ available: '5.00', held: '0.00' });
    expect((await refusalOf(getJob(poor, row?.id ?? ''))).code).toBe('not_found');
    expect((await listJobs(poor)).data).toEqual([]);

    const rich = await aFundedClient(api, { usd: '10.00' });
    const job = await hire(rich, { service_id: service.id, input_data: inputs });
    expect(job.status).toBe('pending');
    expect(await usd(rich)).toEqual({ available: '0.00', held: '10.00' });
  });

  it('a repeat with the same idempotency key → the same job and one hold, one after the other and all at once', async () => {
    const { service } = await aWorkerWithService(api, { price_usd: '10.00', max_concurrent: 20 });
    const client = await aFundedClient(api, { usd: '100.00' });
    const hireWithKey = (key: string) => hire(client, { service_id: service.id, input_data: inputs }, key);

    const first = await hireWithKey('sequential');
    const repeat = await hireWithKey('sequential');
    expect(repeat).toEqual(first);
    const racing = await Promise.all(Array.from({ length: 8 }, () => hireWithKey('concurrent')));
    expect(new Set(racing.map((job) => job.id)).size).toBe(1);
    // Keys are per client: another client's same key is another job.
    const other = await aFundedClient(api, { usd: '10.00' });
    const others = await hire(other, { service_id: service.id, input_data: inputs }, 'sequential');
    expect(others.id).not.toBe(first.id);

    const jobIds = [first.id, racing[0]?.id ?? '', others.id];
    expect((await jobRowsOf(service.id)).map((row) => row.id).sort()).toEqual([...jobIds].sort());
    expect((await holdsOf(jobIds)).map((hold) => [hold.status, hold.amount])).toEqual([
      ['held', '1000'],
      ['held', '1000'],
      ['held', '1000'],
    ]);
    expect(await usd(client)).toEqual({ available: '80.00', held: '20.00' });
  });

  it('payments down during the hold → the job waits in pending_hold, unseen but holding its slot; once payments is back the recovery loop funds it, and a retry with the key continues its own job', async () => {
    const { service } = await aWorkerWithService(api, { price_usd: '10.00', max_concurrent: 1 });
    const { service: otherService } = await aWorkerWithService(api, { price_usd: '10.00' });
    const fifty = () => aFundedClient(api, { usd: '50.00' });
    const [client, retrier, latecomer] = await Promise.all([fifty(), fifty(), fifty()]);
    const payments = market.stack.processes.get('payments');
    if (!payments) throw new Error('no payments process');

    await payments.kill();
    try {
      expect(await refusalOf(hire(client, { service_id: service.id, input_data: inputs }))).toMatchObject({ code: 'unavailable', details: { service: 'payments' } });
      expect((await refusalOf(hire(retrier, { service_id: otherService.id, input_data: inputs }, 'retry-me'))).code).toBe('unavailable');
      const [waiting] = await jobRowsOf(service.id);
      expect(waiting).toMatchObject({ funding_status: 'pending_hold', status: 'pending' });
      expect((await refusalOf(getJob(client, waiting?.id ?? ''))).code).toBe('not_found');
      expect((await listJobs(client)).data).toEqual([]);
      // A hire waiting for its hold may become workable any moment: its slot stays taken.
      expect(await refusalOf(hire(latecomer, { service_id: service.id, input_data: inputs }))).toMatchObject({ code: 'conflict', details: { active: 1 } });
    } finally {
      await payments.restart();
    }

    const [row] = await eventually(() => jobRowsOf(service.id), (rows) => rows[0]?.funding_status === 'funded', 30_000, 100);
    const funded = await getJob(client, row?.id ?? '');
    expect(funded).toMatchObject({ status: 'pending', price_usd: '10.00' });
    expect(funded.accept_deadline).not.toBeNull();
    expect(await usd(client)).toEqual({ available: '40.00', held: '10.00' });

    // The retry continues the job the first attempt stored, whether the recovery loop funded it first or not.
    const retried = await hire(retrier, { service_id: otherService.id, input_data: inputs }, 'retry-me');
    expect((await jobRowsOf(otherService.id)).map((job) => job.id)).toEqual([retried.id]);
    expect(await usd(retrier)).toEqual({ available: '40.00', held: '10.00' });
    expect((await holdsOf([funded.id, retried.id])).map((hold) => hold.status)).toEqual(['held', 'held']);
    // Funded once: one hire in each job's history.
    for (const [agent, jobId] of [[client, funded.id], [retrier, retried.id]] as const) {
      const history = await api('GET', `/api/jobs/${jobId}/history`, { key: agent.key });
      expect(history.body.data.map((entry: { event: string }) => entry.event)).toEqual(['hire']);
    }
  });
});
