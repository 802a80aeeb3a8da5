import { hireService, jobAction, publishService, type ApiClient } from '@agentmarket/testing';
import type { FailureLog } from './failure-log.ts';
import type { Fixtures } from './fixtures.ts';

/** Just under the 64 KiB body limit once wrapped in a hire or a delivery. */
const BULK = 'x'.repeat(60_000);

/**
 * Twenty jobs whose inputs are 60 KB each (a page of them is ~1.2 MB) and one
 * job delivered 60 KB at a time until the market refuses more (640 KiB of
 * deliverables a job, so its view stays under 1 MB). NATS carries
 * 1 MB per message by default: a reply that is not bounded in bytes cannot
 * cross the bus, and a valid request gets a 5xx. Only the valid sweep runs
 * after this; the hostile one needs the row counts to stand still.
 * Every answer that is not 2xx goes into `log` (the setup goes on past it).
 */
export async function addBulkyRows(api: ApiClient, fixtures: Fixtures, log: FailureLog): Promise<void> {
  const { worker, client } = fixtures.agents;
  const note = (request: string, response: { status: number; body: unknown }) => {
    if (response.status < 300) return true;
    const kind = response.status >= 500 ? 'server error' : 'valid request refused';
    const route = request.split(' (')[0]?.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '{id}') ?? request;
    const body = JSON.stringify(response.body).slice(0, 300);
    log.add({ signature: `${route} | bulky-rows | ${response.status} | ${kind}`, operation: route, note: 'reading or writing 60 KB rows', request, status: response.status, body, problems: [{ kind, detail: `status ${response.status}` }] });
    return false;
  };
  const service = await publishService(api, worker, { name: 'Bulk', price_usd: '0.01', max_concurrent: 1000, max_revisions: 20 });
  const jobs: string[] = [];
  for (let index = 0; index < 20; index++) jobs.push((await hireService(api, client, service.id, { input_data: { text: BULK } })).id);
  const [job] = jobs;
  if (!job) return;
  note(`POST /api/jobs/${job}/start`, await jobAction(api, worker, job, 'start'));
  for (let version = 1; version <= 18; version++) {
    const delivered = await jobAction(api, worker, job, 'deliver', { artifact_type: 'text', content: BULK });
    // A job holds at most 640 KiB of deliverables (so it always reads back in one reply): the 11th is refused, whole.
    if (delivered.status === 413 && (delivered.body as { error?: { code?: string } }).error?.code === 'payload_too_large' && version > 10) break;
    note(`POST /api/jobs/${job}/deliver (version ${version}, 60 KB content)`, delivered);
    if (version === 18) break;
    // A revision request after a failed delivery tells whether that delivery was stored anyway.
    const revised = await jobAction(api, client, job, 'request-revision', { feedback: `version ${version + 1}, please` });
    if (!note(`POST /api/jobs/${job}/request-revision (after delivery ${version}, answered ${delivered.status})`, revised) && delivered.status >= 300) break;
  }
  // The reads that carry the bulk: each must answer (bounded, paged), not fail on the bus.
  const reads: [string, string][] = [
    [`/api/jobs/${job}`, client.key],
    [`/api/jobs/${job}/history`, client.key],
    ['/api/jobs?limit=100', client.key],
    ['/api/jobs?role=worker&limit=100', worker.key],
    ['/api/inbox?limit=100', worker.key],
    ['/api/activity?limit=100', client.key],
  ];
  for (const [path, key] of reads) note(`GET ${path}`, await api('GET', path, { key }));
  fixtures.ids.services.push(service.id);
  fixtures.ids.jobs.push(job);
}
