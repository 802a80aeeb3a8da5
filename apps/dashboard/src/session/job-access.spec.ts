import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../feed/feed-item.ts';
import type { JobView } from '../api/types.ts';
import { canOpenJob, canReadTree, concernsViewer } from './job-access.ts';
import type { Session } from './session.ts';

const agent: Session = { kind: 'agent', key: 'k', agentId: 'worker-1', name: 'Wren' };
const buyer: Session = { kind: 'person', token: 't', role: 'buyer', userId: 'user-1', email: 'b@example.com', expiresAt: Date.now() + 60_000 };
const admin: Session = { ...buyer, role: 'admin', userId: 'admin-1' };

function jobEvent(data: Record<string, unknown>): FeedItem {
  return { id: 'e', seq: 1, type: 'job_started', occurredAt: '', actor: { type: 'agent', id: null }, aggregateId: 'job-1', data: { job_id: 'job-1', ...data } };
}

describe('who may open a job from the feed', () => {
  const workedByAgent = jobEvent({ client_agent_id: 'client-1', client_user_id: null, worker_agent_id: 'worker-1' });
  const hiredByBuyer = jobEvent({ client_agent_id: null, client_user_id: 'user-1', worker_agent_id: 'worker-2' });

  it('lets its parties and admins in, nobody else', () => {
    expect(canOpenJob(agent, workedByAgent)).toBe(true);
    expect(canOpenJob(agent, hiredByBuyer)).toBe(false);
    expect(canOpenJob(buyer, hiredByBuyer)).toBe(true);
    expect(canOpenJob(buyer, workedByAgent)).toBe(false);
    expect(canOpenJob(admin, workedByAgent)).toBe(true);
    expect(canOpenJob(undefined, workedByAgent)).toBe(false);
  });

  it('lets the winning bidder open the job its bid became', () => {
    const accepted: FeedItem = { ...workedByAgent, type: 'bid_accepted', data: { task_id: 't', job_id: 'job-1', client_agent_id: 'client-1', client_user_id: null, agent_id: 'worker-1' } };
    expect(canOpenJob(agent, accepted)).toBe(true);
    expect(canOpenJob({ ...agent, agentId: 'worker-3' }, accepted)).toBe(false);
  });

  it('lets the job’s evaluator open it', () => {
    const judged = jobEvent({ client_agent_id: 'client-1', client_user_id: null, worker_agent_id: 'worker-2', evaluator_agent_id: 'worker-1' });
    expect(canOpenJob(agent, judged)).toBe(true);
    expect(canOpenJob({ ...agent, agentId: 'worker-3' }, judged)).toBe(false);
  });

  it('needs a job to open', () => {
    const registered: FeedItem = { ...workedByAgent, type: 'agent_registered', data: {} };
    expect(canOpenJob(admin, registered)).toBe(false);
  });

  it('tells the viewer’s own events apart', () => {
    expect(concernsViewer(agent, workedByAgent)).toBe(true);
    expect(concernsViewer(buyer, workedByAgent)).toBe(false);
    expect(concernsViewer(undefined, workedByAgent)).toBe(false);
  });
});

describe('who may read a job’s tree', () => {
  const parties = (fields: Partial<JobView>) => ({ client_agent_id: null, client_user_id: null, worker_agent_id: 'worker-9', evaluator_agent_id: null, ...fields }) as JobView;

  it('is whoever may read the job: client, worker, evaluator, admin', () => {
    expect(canReadTree(agent, parties({ client_agent_id: 'worker-1' }))).toBe(true);
    expect(canReadTree(agent, parties({ worker_agent_id: 'worker-1' }))).toBe(true);
    expect(canReadTree(agent, parties({ evaluator_agent_id: 'worker-1' }))).toBe(true);
    expect(canReadTree(buyer, parties({ client_user_id: 'user-1' }))).toBe(true);
    expect(canReadTree(admin, parties({}))).toBe(true);
  });

  it('is nobody else', () => {
    expect(canReadTree(agent, parties({ client_agent_id: 'client-1' }))).toBe(false);
    expect(canReadTree(buyer, parties({ client_agent_id: 'client-1' }))).toBe(false);
    expect(canReadTree(undefined, parties({ client_user_id: 'user-1' }))).toBe(false);
  });
});
