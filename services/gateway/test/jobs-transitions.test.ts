import { beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  hireService,
  jobAction,
  publishService,
  registerAgent,
  useTestStack,
  type TestAgent,
} from '@agentmarket/testing';

const market = useTestStack({ envFor: { jobs: { TIMER_POLL_MS: '100' } } });
const { api } = market;
let client: TestAgent;
let worker: TestAgent;

beforeAll(async () => {
  [client, worker] = await Promise.all([registerAgent(api, 'Client'), registerAgent(api, 'Worker')]);
});

/** Every action an agent can send, who sends it, a valid body, and the machine event it becomes. */
const ACTIONS = {
  start: { by: 'worker', body: undefined, event: 'start' },
  deliver: { by: 'worker', body: { artifact_type: 'text', content: 'done' }, event: 'deliver' },
  'request-revision': { by: 'client', body: { feedback: 'more' }, event: 'request_revision' },
  complete: { by: 'client', body: { rating: 4 }, event: 'complete' },
  cancel: { by: 'client', body: {}, event: 'cancel' },
  fail: { by: 'worker', body: { reason: 'cannot' }, event: 'fail' },
  dispute: { by: 'client', body: { reason: 'wrong' }, event: 'dispute' },
} as const;
type Action = keyof typeof ACTIONS;

/** How to reach each state, and which agent actions it accepts (API.md's diagram). */
const STATES: Record<string, { path: Action[]; accepts: Action[] }> = {
  pending: { path: [], accepts: ['start', 'cancel'] },
  in_progress: { path: ['start'], accepts: ['deliver', 'fail'] },
  delivered: { path: ['start', 'deliver'], accepts: ['request-revision', 'complete', 'dispute'] },
  revision_requested: { path: ['start', 'deliver', 'request-revision'], accepts: ['deliver', 'fail'] },
  completed: { path: ['start', 'deliver', 'complete'], accepts: [] },
  cancelled: { path: ['cancel'], accepts: [] },
  failed: { path: ['start', 'fail'], accepts: [] },
  disputed: { path: ['start', 'deliver', 'dispute'], accepts: [] },
};

async function act(jobId: string, action: Action) {
  const spec = ACTIONS[action];
  return jobAction(api, spec.by === 'client' ? client : worker, jobId, action, spec.body);
}

async function jobIn(state: string): Promise<string> {
  const service = await publishService(api, worker, { name: `for ${state}` });
  const job = await hireService(api, client, service.id);
  for (const step of STATES[state]?.path ?? []) expect((await act(job.id, step)).status, `${state}: ${step}`).toBe(200);
  return job.id;
}

async function expectRefusedEverywhere(jobId: string, state: string, accepts: Action[]) {
  for (const action of Object.keys(ACTIONS) as Action[]) {
    if (accepts.includes(action)) continue;
    const response = await act(jobId, action);
    expect(response.status, `${action} from ${state}`).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'invalid_transition', details: { from: state, event: ACTIONS[action].event } });
  }
  expect((await api('GET', `/api/jobs/${jobId}`, { key: client.key })).body.status).toBe(state);
}

describe('illegal transitions', () => {
  it('every action a state does not accept is 409 invalid_transition with from and event, and changes nothing', async () => {
    const jobs = await Promise.all(Object.keys(STATES).map(async (state) => [state, await jobIn(state)] as const));
    for (const [state, jobId] of jobs) await expectRefusedEverywhere(jobId, state, STATES[state]?.accepts ?? []);
  });

  it('an expired job accepts nothing, and the revision cap turns into 409', async () => {
    const quick = await publishService(api, worker, { name: 'expires fast', accept_window_seconds: 1 });
    const job = await hireService(api, client, quick.id);
    await eventually(
      () => api('GET', `/api/jobs/${job.id}`, { key: client.key }),
      (response) => response.body.status === 'expired',
    );
    await expectRefusedEverywhere(job.id, 'expired', []);

    const capped = await publishService(api, worker, { name: 'one revision', max_revisions: 1 });
    const revised = await hireService(api, client, capped.id);
    for (const step of ['start', 'deliver', 'request-revision', 'deliver'] as Action[]) expect((await act(revised.id, step)).status).toBe(200);
    const over = await act(revised.id, 'request-revision');
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'invalid_transition', details: { from: 'delivered', event: 'request_revision' } });
  });
});

describe('concurrency and structure', () => {
  it('50 concurrent starts of one job: exactly one 200, the rest 409', async () => {
    const service = await publishService(api, worker, { name: 'contended' });
    const job = await hireService(api, client, service.id);
    const responses = await Promise.all(Array.from({ length: 50 }, () => jobAction(api, worker, job.id, 'start')));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    const history = await api('GET', `/api/jobs/${job.id}/history`, { key: worker.key });
    expect(history.body.data.filter((t: { event: string }) => t.event === 'start')).toHaveLength(1);
  });

  it('max_concurrent: concurrent hires never overshoot the service’s limit', async () => {
    const service = await publishService(api, worker, { name: 'limited', max_concurrent: 3 });
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => api('POST', '/api/jobs', { key: client.key, body: { service_id: service.id, input_data: { text: 'x' } } })),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    expect(responses.filter((response) => response.status === 409).every((r) => r.body.error.code === 'conflict')).toBe(true);
    const inactive = await publishService(api, worker, { name: 'retired' });
    expect((await api('DELETE', `/api/services/${inactive.id}`, { key: worker.key })).body.is_active).toBe(false);
    const refused = await api('POST', '/api/jobs', { key: client.key, body: { service_id: inactive.id, input_data: { text: 'x' } } });
    expect(refused.status).toBe(409);
  });

  it('a task tree of depth 3: each worker subcontracts, the root shows every descendant', async () => {
    const [a, b, c, d] = await Promise.all(['A', 'B', 'C', 'D'].map((name) => registerAgent(api, `Tree ${name}`)));
    if (!a || !b || !c || !d) throw new Error('agents missing');
    const [serviceB, serviceC, serviceD] = await Promise.all([b, c, d].map((owner) => publishService(api, owner, { name: 'sub' })));
    const root = await hireService(api, a, serviceB?.id ?? '');
    const child = await hireService(api, b, serviceC?.id ?? '', { parent_job_id: root.id });
    const sibling = await hireService(api, b, serviceD?.id ?? '', { parent_job_id: root.id });
    const grandchild = await hireService(api, c, serviceD?.id ?? '', { parent_job_id: child.id });
    const outsider = await api('POST', '/api/jobs', { key: d.key, body: { service_id: serviceC?.id, input_data: { text: 'x' }, parent_job_id: root.id } });
    expect(outsider.status).toBe(404);

    const tree = await api('GET', `/api/jobs/${root.id}/tree`, { key: a.key });
    expect(tree.status).toBe(200);
    expect(tree.body.job.id).toBe(root.id);
    expect(tree.body.job).not.toHaveProperty('input_data');
    const childIds = tree.body.children.map((node: { job: { id: string } }) => node.job.id).sort();
    expect(childIds).toEqual([child.id, sibling.id].sort());
    const childNode = tree.body.children.find((node: { job: { id: string } }) => node.job.id === child.id);
    expect(childNode.children.map((node: { job: { id: string } }) => node.job.id)).toEqual([grandchild.id]);
    expect(childNode.children[0].children).toEqual([]);
    const subtree = await api('GET', `/api/jobs/${child.id}/tree`, { key: c.key });
    expect(subtree.body.children).toHaveLength(1);
  });

  it('lists my jobs by role and status with cursor pages', async () => {
    const hirer = await registerAgent(api, 'Lister');
    const service = await publishService(api, worker, { name: 'listed', max_concurrent: 10 });
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await hireService(api, hirer, service.id));
    await jobAction(api, worker, created[0]?.id ?? '', 'start');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await api(
        'GET',
        `/api/jobs?role=client&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { key: hirer.key },
      );
      seen.push(...page.body.data.map((job) => job.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(created.map((job) => job.id).reverse());
    const started = await api('GET', '/api/jobs?role=client&status=in_progress', { key: hirer.key });
    expect(started.body.data.map((job: { id: string }) => job.id)).toEqual([created[0]?.id]);
    expect((await api('GET', '/api/jobs?role=worker', { key: hirer.key })).body.data).toEqual([]);
  });
});
