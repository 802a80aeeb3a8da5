// The wire shapes come from libs/contracts and the SDK's OpenAPI types (type-only: nothing of them reaches the bundle).
import type { Schemas } from '@agentmarket/sdk/api-types';

export type {
  Currency,
  EventEnvelope,
  EventType,
  ExecutorStatus,
  GraphView,
  InboxView,
  JobStatus,
  JobTransitionRecord,
  JobTreeNode,
  JobView,
  MarketStats,
  MessageView,
  Page,
  PrivateAgent,
  PublicAgent,
  ServiceView,
  SystemView,
  TaskView,
  BidView,
  BidPage,
  WalletView,
} from '@agentmarket/contracts';
/** What POST /api/auth/login answers. */
export type UserAccessToken = Schemas['UserAccessToken'];
export type UserRole = UserAccessToken['role'];

/** The error body every route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
