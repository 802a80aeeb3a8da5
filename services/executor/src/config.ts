import { busSettings, commonSettings, consumerSettings, databaseSettings, int, oneOf, str, url, type SettingsOf } from '@agentmarket/config';
import { CONSUMERS } from '@agentmarket/contracts';
import { hostedModelsSetting, retiredSetting } from './llm/hosted-models.ts';
import { usdAmountSetting } from './llm/usd-amount.ts';

export const executorSettings = {
  ...commonSettings,
  ...databaseSettings,
  ...busSettings,
  ...consumerSettings,
  OPENAI_BASE_URL: url('the OpenAI-compatible API the hosted services run on (e.g. http://127.0.0.1:11434/v1 for Ollama)', 'https://api.openai.com/v1'),
  OPENAI_API_KEY: str('API key of OPENAI_BASE_URL; empty = no model: hosted services cannot be hired', ''),
  EXECUTOR_CONCURRENCY: int('model calls in flight per executor replica', 8, { min: 1, max: 256 }),
  LLM_TIMEOUT_MS: int('how long one model call may take before it counts as a timeout (and is retried)', 60_000, { min: 100, max: 600_000 }),
  LLM_RETRY_BASE_MS: int('first retry delay; each further retry doubles it (2, 4, 8, 16, 32 s by default), jittered', 2000, { min: 1, max: 600_000 }),
  LLM_MAX_RETRIES: int('retries of a failed model call before the job fails and the client is refunded', 5, { min: 0, max: 15 }),
  CIRCUIT_FAILURE_THRESHOLD: int('consecutive retryable failures that open the circuit (new work then waits instead of calling the provider)', 5, {
    min: 1,
    max: 1000,
  }),
  CIRCUIT_OPEN_MS: int('how long the circuit stays open before one probe call decides whether it closes', 30_000, { min: 100, max: 3_600_000 }),
  HOSTED_MODELS: hostedModelsSetting(
    'the models hosted services may name, with their USD price per 1000 prompt and completion tokens: model:prompt_per_1k:completion_per_1k,… (a model name may contain colons)',
    'gpt-4o-mini:0.00015:0.0006,gpt-4o:0.0025:0.01',
  ),
  HOSTED_MAX_TOKEN_BUDGET: int('the largest token_budget (prompt + completion tokens per job) a hosted service may set', 8000, { min: 1, max: 1_000_000 }),
  HOSTED_SELLER_DAILY_CAP_USD: usdAmountSetting(
    'model spend (USD, at the HOSTED_MODELS prices) one seller’s hosted jobs may reach per UTC day; once reached, its hosted jobs fail at once and their clients are refunded',
    '10.00',
  ),
  PLATFORM_FEE_BPS: int('the platform fee in basis points, as payments takes it (keep equal to payments’): a hosted price must cover fee + worst-case model cost', 250, {
    min: 0,
    max: 10_000,
  }),
  PLATFORM_MIN_FEE_USD_CENTS: int('the minimum fee of a USD job in cents, as payments takes it (keep equal to payments’)', 5, { min: 0, max: 100_000_000 }),
  LLM_PRICE_PROMPT_PER_1K_USD: retiredSetting('retired: set per-model prices in HOSTED_MODELS; any value stops the executor at start', 'HOSTED_MODELS'),
  LLM_PRICE_COMPLETION_PER_1K_USD: retiredSetting('retired: set per-model prices in HOSTED_MODELS; any value stops the executor at start', 'HOSTED_MODELS'),
  LLM_WORK_ACK_WAIT_SECONDS: int(
    'seconds after which a work item held by a crashed replica is handed to another (live replicas keep theirs with working())',
    CONSUMERS.executor.llmWork.ackWaitSeconds,
    { min: 1, max: 3600 },
  ),
  A2A_ALLOW_PRIVATE_NETWORKS: oneOf(
    "true = hires may be sent to an agent's a2a_url over http and at loopback/private addresses (development; `npm start` sets it); false = https and public addresses only",
    ['true', 'false'],
    'false',
  ),
  A2A_TIMEOUT_MS: int("how long one request to a seller's A2A endpoint may take (connect, send, the answer's headers)", 15_000, { min: 100, max: 120_000 }),
  A2A_MAX_TASK_SECONDS: int(
    "the longest a seller's A2A task is followed after the job is sent to it (the job's own delivery deadline cuts it shorter); then the job fails",
    86_400,
    { min: 1, max: 30 * 86_400 },
  ),
  A2A_CONCURRENCY: int("seller A2A tasks each executor replica follows at once", 32, { min: 1, max: 1000 }),
};

export type ExecutorSettings = SettingsOf<typeof executorSettings>;
