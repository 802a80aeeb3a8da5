import { describe, expect, it } from 'vitest';
import { isAppError } from '@agentmarket/contracts';
import { threadRecipient } from './thread-recipient.ts';

const CLIENT = '01900000-0000-7000-8000-000000000001';
const WORKER = '01900000-0000-7000-8000-000000000002';
const PERSON = '01900000-0000-7000-8000-000000000003';
const STRANGER = '01900000-0000-7000-8000-000000000004';

const agentsJob = { client_agent_id: CLIENT, client_user_id: null, worker_agent_id: WORKER };
const buyersJob = { client_agent_id: null, client_user_id: PERSON, worker_agent_id: WORKER };

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isAppError(error) ? error.code : 'not an AppError';
  }
  return 'no error';
};

describe('the recipient of a message on a job thread', () => {
  it('is the worker when the client writes, and the client when the worker does', () => {
    expect(threadRecipient(agentsJob, CLIENT)).toBe(WORKER);
    expect(threadRecipient(agentsJob, WORKER)).toBe(CLIENT);
  });

  it('is the person when the client is a buyer', () => {
    expect(threadRecipient(buyersJob, PERSON)).toBe(WORKER);
    expect(threadRecipient(buyersJob, WORKER)).toBe(PERSON);
  });

  it('is the agent itself when it hired itself', () => {
    expect(threadRecipient({ client_agent_id: WORKER, client_user_id: null, worker_agent_id: WORKER }, WORKER)).toBe(WORKER);
  });

  it('refuses anyone who is not a party', () => {
    expect(refusal(() => threadRecipient(agentsJob, STRANGER))).toBe('forbidden');
  });
});
