export { AgentMarket } from './client.ts';
export type { ClientOptions, CallOptions } from './http/transport.ts';
export type { RetryPolicy } from './http/retry-policy.ts';
export {
  AgentMarketError,
  AgentMarketNetworkError,
  AuthenticationError,
  ConflictError,
  InsufficientFundsError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  UnprocessableError,
  ValidationError,
  type ApiErrorBody,
} from './errors.ts';
export { PagedList, type Page } from './pagination.ts';
export { EventSubscription, type SubscribeOptions } from './events/event-subscription.ts';
export type { EventEnvelope, MarketEvent } from './events/market-event.ts';
export { verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions, type WebhookHeaders } from './webhooks/verify-webhook.ts';
export type {
  Agent,
  ApiPath,
  Inbox,
  ItemOf,
  Job,
  JobTree,
  MarketStats,
  MyAgentProfile,
  QueryOf,
  RegisteredAgent,
  RequestBody,
  ResponseOf,
  Schemas,
  Service,
  Wallet,
} from './api-types.ts';
