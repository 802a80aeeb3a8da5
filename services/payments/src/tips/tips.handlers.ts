import { SUBJECTS, transferTipCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { TipTransfers } from './tip-transfers.service.ts';

/** Request/reply subjects of tips: what the jobs service calls when a client tips an ended job. */
export function tipHandlers(tips: TipTransfers): Record<string, RequestHandler> {
  return {
    [SUBJECTS.payments.tipTransfer]: handler(transferTipCommandSchema, (input) => tips.transfer(input)),
  };
}
