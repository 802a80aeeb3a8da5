import { SUBJECTS, creditCommandSchema, transactionsCommandSchema, walletQueryCommandSchema } from '@agentmarket/contracts';
import { handler, type RequestHandler } from '@agentmarket/messaging';
import type { WalletService } from './wallet.service.ts';

/** Request/reply subjects of wallets: what the gateway's wallet and admin routes call. */
export function walletHandlers(wallets: WalletService): Record<string, RequestHandler> {
  const subjects = SUBJECTS.payments;
  return {
    [subjects.wallet]: handler(walletQueryCommandSchema, (input) => wallets.wallet(input.owner)),
    [subjects.transactions]: handler(transactionsCommandSchema, (input) => wallets.transactions(input.owner, input.query)),
    [subjects.credit]: handler(creditCommandSchema, (input) => wallets.credit(input)),
  };
}
