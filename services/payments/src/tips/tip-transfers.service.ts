import type { MikroORM } from '@mikro-orm/postgresql';
import { AppError, type Currency, type TipTransferView, type TransferTipCommand } from '@agentmarket/contracts';
import { lookup, type AccountDirectory } from '../ledger/account-directory.ts';
import { PLATFORM, agentKey, ownerKeyOf } from '../ledger/owner-key.ts';
import { postTransfers } from '../ledger/transfers.repository.ts';
import { platformFee } from '../escrow/settlement-math.ts';

/** Transfer ids of one tip: derived from the tip's id, so a repeated request cannot post twice. */
export const tipTransferId = (kind: 'tip' | 'tip_fee', tipId: string) => `${kind}:${tipId}`;

export interface TipFeePolicy {
  feeBps: number;
  /** The smallest fee per currency (minor units), as on a job's payout. */
  minFee: Partial<Record<Currency, number>>;
}

/**
 * A tip straight from the payer's wallet to the worker's, the platform's
 * fee taken off exactly as on a job's payout (settlement-math.ts). No
 * escrow: the job has ended, the money moves at once. Jobs decides who may
 * tip which job; this only moves the money, once per tip id.
 */
export class TipTransfers {
  private readonly orm: MikroORM;
  private readonly accounts: AccountDirectory;
  private readonly policy: TipFeePolicy;

  constructor(orm: MikroORM, accounts: AccountDirectory, policy: TipFeePolicy) {
    this.orm = orm;
    this.accounts = accounts;
    this.policy = policy;
  }

  async transfer(command: TransferTipCommand): Promise<TipTransferView> {
    const tipId = command.tip_id.toLowerCase();
    const minFee = this.policy.minFee[command.currency] ?? 0;
    const fee = platformFee(command.amount, this.policy.feeBps, minFee);
    const workerAmount = command.amount - fee;
    // A tip the fee would swallow whole pays the worker nothing: refused rather than taken.
    if (workerAmount <= 0) {
      throw new AppError('validation_failed', 'This tip is not above the platform’s minimum fee: the worker would receive nothing', {
        reason: 'tip_below_minimum_fee',
        currency: command.currency,
        min_fee: minFee,
      });
    }
    const payerKey = ownerKeyOf(command.payer);
    const workerKey = agentKey(command.payee_agent_id);
    await this.orm.em.fork().transactional(async (em) => {
      const refs = [payerKey, workerKey, PLATFORM].map((ownerKey) => ({ ownerKey, currency: command.currency }));
      const ids = await this.accounts.ids(em, refs);
      const account = (ownerKey: string) => lookup(ids, { ownerKey, currency: command.currency });
      const legs = [
        { id: tipTransferId('tip', tipId), creditAccountId: account(workerKey), amount: workerAmount, kind: 'tip' as const },
        { id: tipTransferId('tip_fee', tipId), creditAccountId: account(PLATFORM), amount: fee, kind: 'tip_fee' as const },
      ].filter((leg) => leg.amount > 0);
      // A repeated tip id inserts nothing and moves nothing; a payer who cannot cover it gets insufficient_funds and nothing is written.
      await postTransfers(
        em,
        legs.map((leg) => ({ ...leg, debitAccountId: account(payerKey), currency: command.currency, holdId: null })),
      );
    });
    return { tip_id: tipId, currency: command.currency, amount: command.amount, worker_amount: workerAmount, fee_amount: fee };
  }
}
