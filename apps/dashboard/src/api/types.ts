// The wire shapes come from libs/contracts and libs/auth (type-only: nothing of them reaches the bundle).
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
export type { UserAccessToken, UserRole } from '@agentmarket/auth';

/** The error body every route answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
