import type { ServiceModule } from '@agentmarket/messaging';
import { LlmCallSchema } from './calls/llm-call.entity.ts';
import type { ExecutorSettings } from './config.ts';
import { createExecutorRuntime, type ExecutorRuntime } from './executor-runtime.ts';
import { executorMigrations } from './migrations/index.ts';
import { statusHandlers } from './status/status.handlers.ts';

const SCHEMA_PARTS: Pick<ServiceModule, 'name' | 'schema' | 'entities' | 'migrations'> = {
  name: 'executor',
  schema: 'executor',
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
    requestHandlers: (context) => statusHandlers(runtimeFor(context).status),
    readinessDetails: (context) => {
      const { status } = runtimeFor(context);
      return () => status.readinessDetails();
    },
    background: (context) => [runtimeFor(context).startWork()],
  };
}

/** The schema half of the module (name, entities, migrations) for the migration runner and tooling. */
export const executorModule: ServiceModule = { ...SCHEMA_PARTS, requestHandlers: () => ({}) };
