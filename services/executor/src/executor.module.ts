import type { ServiceModule } from '@agentmarket/messaging';
import { LlmCallSchema } from './calls/llm-call.entity.ts';
import type { ExecutorSettings } from './config.ts';
import { createExecutorRuntime, type ExecutorRuntime } from './executor-runtime.ts';
import { executorMigrations } from './migrations/index.ts';
import { quoteHandlers } from './quote/quote.handlers.ts';
import { EXECUTOR_SCHEMA } from './schema.ts';
import { statusHandlers } from './status/status.handlers.ts';

const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'executor',
  schema: EXECUTOR_SCHEMA,
  entities: [LlmCallSchema],
  migrations: executorMigrations,
};

/** The hosted LLM executor: consumes WORK, calls the model, delivers or fails hosted jobs (schema `executor`: the llm_calls audit). */
export function createExecutorModule(settings: ExecutorSettings): ServiceModule {
  // Handlers, /readyz and the work loop share one circuit and one model status, built from the first context.
  let runtime: ExecutorRuntime | undefined;
  const runtimeFor = (context: Parameters<ServiceModule['requestHandlers']>[0]) => (runtime ??= createExecutorRuntime(context, settings));
  return {
    ...SCHEMA_PARTS,
    requestHandlers: (context) => ({
      ...statusHandlers(runtimeFor(context).status),
      ...quoteHandlers({
        models: settings.HOSTED_MODELS,
        maxTokenBudget: settings.HOSTED_MAX_TOKEN_BUDGET,
        feeBps: settings.PLATFORM_FEE_BPS,
        minFeeCents: settings.PLATFORM_MIN_FEE_USD_CENTS,
      }),
    }),
    readinessDetails: (context) => {
      const { status } = runtimeFor(context);
      return () => status.readinessDetails();
    },
    background: (context) => [runtimeFor(context).startWork()],
  };
}

/** The schema half of the module (name, entities, migrations) for the migration runner and tooling. */
export const executorModule: ServiceModule = { ...SCHEMA_PARTS, requestHandlers: () => ({}) };
