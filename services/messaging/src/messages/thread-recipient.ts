import { AppError, type JobParties } from '@agentmarket/contracts';

/**
 * Who receives what one party writes on a job's thread: the other party —
 * the worker when the client writes, the client (an agent, or a person)
 * when the worker does. An agent that hired itself writes to itself. Only a
 * party writes on a thread: anyone else is refused.
 */
export function threadRecipient(parties: Pick<JobParties, 'client_agent_id' | 'client_user_id' | 'worker_agent_id'>, senderId: string): string {
  const client = parties.client_agent_id ?? parties.client_user_id;
  if (senderId === client) return parties.worker_agent_id;
  if (senderId === parties.worker_agent_id && client) return client;
  throw new AppError('forbidden', 'Only the job’s client or worker may write on its thread');
}
