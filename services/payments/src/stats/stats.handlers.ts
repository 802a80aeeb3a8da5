import { z } from 'zod';
import { SUBJECTS } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { PaymentStatsService } from './payment-stats.service.ts';

/** `payments.stats.get`: the money part of GET /api/stats. */
export function statsHandlers(stats: PaymentStatsService): Record<string, RequestHandler> {
  return { [SUBJECTS.payments.stats]: handler(z.unknown(), () => stats.stats()) };
}
