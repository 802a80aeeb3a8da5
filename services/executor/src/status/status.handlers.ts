import { SUBJECTS } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import { z } from 'zod';
import type { ModelStatus } from './model-status.ts';

/** Request/reply subjects of the executor. */
export function statusHandlers(status: ModelStatus): Record<string, RequestHandler> {
  return {
    /** Whether hosted services can be hired now (model configured) and how the provider is doing (circuit). */
    [SUBJECTS.executor.status]: handler(z.unknown(), async () => status.status()),
  };
}
