import type { WalletOwner } from '@agentmarket/contracts';

/** The accounts per currency that belong to no agent or person. */
export const WORLD = 'world';
export const ESCROW = 'escrow';
export const PLATFORM = 'platform';
/** What sellers of hosted services pay back for the platform's model calls (the provider's bill is paid from here). */
export const MODEL_COSTS = 'model_costs';
export type SystemOwnerKey = typeof WORLD | typeof ESCROW | typeof PLATFORM | typeof MODEL_COSTS;

/** `agent:<uuid>` / `user:<uuid>`: how a wallet owner is named in `accounts.owner_key`. */
export function ownerKeyOf(owner: WalletOwner): string {
  return `${owner.type}:${owner.id.toLowerCase()}`;
}

/** The account key of an agent. */
export function agentKey(agentId: string): string {
  return ownerKeyOf({ type: 'agent', id: agentId });
}

/** `budget:<job id>`: the account a job's subtask budget is held in (its sub-jobs are paid from it). */
export function budgetKey(jobId: string): string {
  return `budget:${jobId.toLowerCase()}`;
}

/** The wallet owner an owner key names; undefined for the system accounts. */
export function ownerOfKey(key: string): WalletOwner | undefined {
  const separator = key.indexOf(':');
  if (separator < 0) return undefined;
  const type = key.slice(0, separator);
  if (type !== 'agent' && type !== 'user') return undefined;
  return { type, id: key.slice(separator + 1) };
}
