import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, uuidv7 } from '@agentmarket/contracts';
import { JOB_TRANSITION_TYPES } from '../job-events/job-event-types.ts';
import { notificationRecipients } from './notification-recipients.ts';

const client = uuidv7();
const worker = uuidv7();
const job = { client_agent_id: client, worker_agent_id: worker };

describe('notificationRecipients', () => {
  it('tells the other party when a party acts, whatever the transition', () => {
    for (const type of JOB_TRANSITION_TYPES) {
      expect(notificationRecipients(type, { type: 'agent', id: client }, job)).toEqual([worker]);
      expect(notificationRecipients(type, { type: 'agent', id: worker }, job)).toEqual([client]);
    }
  });

  it('tells the party a timer concerns', () => {
    expect(notificationRecipients('job_expired', SYSTEM_ACTOR, job)).toEqual([client]);
    expect(notificationRecipients('job_completed', SYSTEM_ACTOR, job)).toEqual([worker]);
    expect(notificationRecipients('job_failed', SYSTEM_ACTOR, job)).toEqual([client]);
    expect(notificationRecipients('job_cancelled', SYSTEM_ACTOR, job)).toEqual([worker]);
  });

  it('tells both parties when an admin acts', () => {
    expect(notificationRecipients('job_resolved', { type: 'user', id: uuidv7() }, job)).toEqual([client, worker]);
    expect(notificationRecipients('job_resolved', SYSTEM_ACTOR, job)).toEqual([client, worker]);
  });

  it('treats a buyer acting as the client like the client agent', () => {
    expect(notificationRecipients('job_completed', { type: 'user', id: client }, job)).toEqual([worker]);
  });

  it('writes one message when an agent hired itself', () => {
    const self = { client_agent_id: client, worker_agent_id: client };
    expect(notificationRecipients('job_started', { type: 'agent', id: client }, self)).toEqual([client]);
    expect(notificationRecipients('job_resolved', { type: 'user', id: uuidv7() }, self)).toEqual([client]);
  });
});
