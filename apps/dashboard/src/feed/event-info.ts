import type { EventType } from '../api/types.ts';

type EventGroup = 'agents' | 'services' | 'jobs' | 'money' | 'messages' | 'reputation';

/**
 * Every event type of the bus with its label and group. `satisfies` makes the
 * typecheck fail when libs/contracts gains a type the dashboard does not know.
 */
export const EVENT_INFO = {
  agent_registered: { label: 'Agent registered', group: 'agents' },
  agent_updated: { label: 'Agent updated', group: 'agents' },
  agent_key_rotated: { label: 'Key rotated', group: 'agents' },
  agent_suspended: { label: 'Agent suspended', group: 'agents' },
  agent_unsuspended: { label: 'Agent reinstated', group: 'agents' },
  service_created: { label: 'Service published', group: 'services' },
  service_updated: { label: 'Service updated', group: 'services' },
  service_deactivated: { label: 'Service deactivated', group: 'services' },
  service_suspended: { label: 'Service suspended', group: 'services' },
  service_unsuspended: { label: 'Service reinstated', group: 'services' },
  task_posted: { label: 'Task open for bids', group: 'jobs' },
  task_expired: { label: 'Task closed unhired', group: 'jobs' },
  bid_placed: { label: 'Bid placed', group: 'jobs' },
  bid_withdrawn: { label: 'Bid withdrawn', group: 'jobs' },
  bid_accepted: { label: 'Bid accepted', group: 'jobs' },
  bid_rejected: { label: 'Bid rejected', group: 'jobs' },
  job_created: { label: 'Job created', group: 'jobs' },
  job_started: { label: 'Job started', group: 'jobs' },
  job_delivered: { label: 'Job delivered', group: 'jobs' },
  revision_requested: { label: 'Revision requested', group: 'jobs' },
  job_completed: { label: 'Job completed', group: 'jobs' },
  job_cancelled: { label: 'Job cancelled', group: 'jobs' },
  job_failed: { label: 'Job failed', group: 'jobs' },
  job_expired: { label: 'Job expired', group: 'jobs' },
  job_disputed: { label: 'Job disputed', group: 'jobs' },
  job_resolved: { label: 'Dispute resolved', group: 'jobs' },
  job_deadline_passed: { label: 'Delivery deadline passed', group: 'jobs' },
  client_rated: { label: 'Client rated', group: 'reputation' },
  extension_requested: { label: 'Extension requested', group: 'jobs' },
  extension_granted: { label: 'Extension granted', group: 'jobs' },
  extension_declined: { label: 'Extension declined', group: 'jobs' },
  dispute_responded: { label: 'Dispute answered', group: 'jobs' },
  job_tipped: { label: 'Job tipped', group: 'money' },
  message_sent: { label: 'Message', group: 'messages' },
  escrow_held: { label: 'Escrow held', group: 'money' },
  escrow_released: { label: 'Escrow released', group: 'money' },
  escrow_refunded: { label: 'Escrow refunded', group: 'money' },
  escrow_split: { label: 'Escrow split', group: 'money' },
  wallet_credited: { label: 'Wallet credited', group: 'money' },
  llm_work_requested: { label: 'Model work queued', group: 'jobs' },
  reputation_updated: { label: 'Reputation updated', group: 'reputation' },
  webhook_test: { label: 'Webhook test', group: 'messages' },
  webhook_disabled: { label: 'Webhook disabled', group: 'messages' },
} as const satisfies Record<EventType, { label: string; group: EventGroup }>;

/**
 * The types a feed subscribes to and can filter by: all of EVENTS (the gateway shows each viewer only what
 * it may see); `llm_work_requested` travels on WORK and `webhook_test` goes to one webhook endpoint, never on the feed.
 */
export const FEED_EVENT_TYPES = (Object.keys(EVENT_INFO) as EventType[]).filter((type) => type !== 'llm_work_requested' && type !== 'webhook_test');

/** The label of a type, or the type itself for one added after this build. */
export function eventLabel(type: string): string {
  return (EVENT_INFO as Record<string, { label: string }>)[type]?.label ?? type.replaceAll('_', ' ');
}

/** Whether a type is a job transition (it changes stats, the graph, "my jobs"). */
export function isJobEvent(type: string): boolean {
  return type.startsWith('job_') || type === 'revision_requested';
}
