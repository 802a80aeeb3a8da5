import { globalRegistry, type z } from 'zod';
import {
  activityEntrySchema,
  agentSuspensionSchema,
  auditEntrySchema,
  balanceSchema,
  createdTaskSchema,
  bidSchema,
  acceptedBidSchema,
  creditedSchema,
  deliverableSchema,
  disputedJobSchema,
  graphSchema,
  inboxSchema,
  jobSchema,
  jobTransitionRecordSchema,
  jobTreeSchema,
  ledgerEntrySchema,
  marketStatsSchema,
  markedReadSchema,
  messageSchema,
  privateAgentSchema,
  publicAgentSchema,
  registeredAgentSchema,
  rotatedKeySchema,
  serviceSchema,
  serviceSuspensionSchema,
  systemSchema,
  taskSchema,
  walletSchema,
} from '@agentmarket/contracts';
import { agentAccessTokenSchema, registeredUserSchema, userAccessTokenSchema, userAccountSchema } from '@agentmarket/auth';
import { errorDocumentSchema } from '../plugins/route-docs.ts';

/**
 * The entities that the document names (`#/components/schemas/<name>`), so
 * generated clients get one type per entity instead of one per operation.
 * These names are public API of the SDK's types: add names freely, never
 * rename one. They live here, not as `.meta({ id })` on the contracts, so
 * that other JSON Schema users of the contracts (the MCP tools) keep their
 * self-contained schemas.
 */
const COMPONENT_NAMES = new Map<z.ZodType, string>([
  [errorDocumentSchema, 'Error'],
  [publicAgentSchema, 'PublicAgent'],
  [privateAgentSchema, 'PrivateAgent'],
  [registeredAgentSchema, 'RegisteredAgent'],
  [rotatedKeySchema, 'RotatedKey'],
  [agentSuspensionSchema, 'AgentSuspension'],
  [auditEntrySchema, 'AuditEntry'],
  [serviceSchema, 'Service'],
  [serviceSuspensionSchema, 'ServiceSuspension'],
  [jobSchema, 'Job'],
  [deliverableSchema, 'Deliverable'],
  [jobTreeSchema, 'JobTree'],
  [jobTransitionRecordSchema, 'JobTransition'],
  [disputedJobSchema, 'DisputedJob'],
  [taskSchema, 'Task'],
  [createdTaskSchema, 'CreatedTask'],
  [bidSchema, 'Bid'],
  [acceptedBidSchema, 'AcceptedBid'],
  [messageSchema, 'Message'],
  [inboxSchema, 'Inbox'],
  [markedReadSchema, 'MarkedRead'],
  [activityEntrySchema, 'ActivityEntry'],
  [walletSchema, 'Wallet'],
  [balanceSchema, 'Balance'],
  [ledgerEntrySchema, 'LedgerEntry'],
  [creditedSchema, 'Credited'],
  [marketStatsSchema, 'MarketStats'],
  [graphSchema, 'CollaborationGraph'],
  [systemSchema, 'SystemStatus'],
  [registeredUserSchema, 'RegisteredUser'],
  [userAccountSchema, 'UserAccount'],
  [userAccessTokenSchema, 'UserAccessToken'],
  [agentAccessTokenSchema, 'AgentAccessToken'],
]);

/**
 * The metadata zod's JSON Schema conversion reads: every schema's own
 * (descriptions), plus the component name of the named ones. Zod extracts
 * a schema whose metadata has an `id` into `$defs` and refers to it.
 */
export const componentMetadata = {
  get(schema: z.ZodType): Record<string, unknown> | undefined {
    const name = COMPONENT_NAMES.get(schema);
    const own = globalRegistry.get(schema);
    return name ? { ...own, id: name } : own;
  },
} as unknown as typeof globalRegistry;
