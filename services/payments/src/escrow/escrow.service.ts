import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError, type BudgetView, type HoldView, type ModelCostView, type PlaceHoldCommand, type RecordModelCostCommand } from '@agentmarket/contracts';
import { lookup } from '../ledger/account-directory.ts';
import { ESCROW, budgetKey, ownerKeyOf } from '../ledger/owner-key.ts';
import { budgetsOf, closeBudgets, openBudget, sweepClosedBudgetsOf } from '../budgets/subtask-budgets.ts';
import { isBudgetOpen } from '../budgets/budgets.repository.ts';
import { escrowHeldEvent } from './escrow-events.ts';
import { toHoldView } from './escrow.views.ts';
import { fenceHold, findHold, lockHoldStatus } from './holds.repository.ts';
import { placeHoldRow, type HoldPlacement } from './hold-placement.repository.ts';
import { raiseModelCost } from './model-costs.repository.ts';
import { settleHolds, type SettlementContext, type SettlementRequest } from './settle-holds.ts';

/** Escrow: holds placed at hire, abandoned by a hire that gave up, settled when the job ends. Each public method owns its transaction (a hold is one atomic statement). */
export class EscrowService {
  private readonly orm: MikroORM;
  private readonly context: SettlementContext;

  constructor(orm: MikroORM, context: SettlementContext) {
    this.orm = orm;
    this.context = context;
  }

  /**
   * Moves a job's price from the payer into escrow, once per hold id: a
   * repeat returns the hold as it is now; an abandoned id is a `conflict`;
   * a payer who cannot pay gets `insufficient_funds` and nothing is written.
   */
  async placeHold(command: PlaceHoldCommand): Promise<HoldView> {
    const holdId = command.hold_id.toLowerCase();
    const fromBudget = command.funded_by_job_id?.toLowerCase();
    const payerKey = fromBudget ? budgetKey(fromBudget) : ownerKeyOf(command.payer);
    const payeeAgentId = command.payee_agent_id.toLowerCase();
    // No transaction for a plain hold: the accounts are known after warm-up (no query), and the hold is one atomic statement (hold-placement.repository.ts).
    const em = this.orm.em.fork();
    if (fromBudget && !(await isBudgetOpen(em, fromBudget))) {
      const earlier = await findHold(em, holdId);
      if (earlier && earlier.status !== 'abandoned') return toHoldView(earlier);
      throw budgetExhausted(fromBudget, command);
    }
    const ids = await this.context.accounts.ids(em, [
      { ownerKey: payerKey, currency: command.currency },
      { ownerKey: ESCROW, currency: command.currency },
    ]);
    const payerAccountId = lookup(ids, { ownerKey: payerKey, currency: command.currency });
    const hold = { holdId, payerKey, payeeAgentId, currency: command.currency, amount: command.amount };
    const placement = {
      holdId,
      payerAccountId,
      escrowAccountId: lookup(ids, { ownerKey: ESCROW, currency: command.currency }),
      payeeAgentId,
      currency: command.currency,
      amount: command.amount,
      event: escrowHeldEvent(hold),
    };
    const evaluator = command.evaluator;
    let placed: boolean;
    try {
      // A job with a subtask budget or an evaluator holds its price, funds its budget and holds the evaluator's fee together, or none of them.
      placed =
        command.budget || evaluator
          ? await em.transactional(async (tx) => {
              if (!(await placeHoldRow(tx, placement))) return false;
              if (evaluator) await this.placeEvaluatorFee(tx, placement, payerKey, evaluator);
              if (command.budget) await openBudget(tx, this.context.accounts, { jobId: holdId, currency: command.currency, funderAccountId: payerAccountId, amount: command.budget });
              return true;
            })
          : await placeHoldRow(em, placement);
    } catch (error) {
      if (fromBudget && error instanceof AppError && error.code === 'insufficient_funds') throw budgetExhausted(fromBudget, command);
      throw error;
    }
    if (!placed) return existingHold(em, holdId);
    return { hold_id: holdId, status: 'held', currency: command.currency, amount: command.amount };
  }

  /** The evaluator's fee: a hold of its own from the same payer, whose payee is the evaluator. Its id fenced (a hire that gave up) fails the whole placement. */
  private async placeEvaluatorFee(em: EntityManager, job: HoldPlacement, payerKey: string, evaluator: NonNullable<PlaceHoldCommand['evaluator']>): Promise<void> {
    const holdId = evaluator.hold_id.toLowerCase();
    const payeeAgentId = evaluator.agent_id.toLowerCase();
    const fee = { holdId, payerKey, payeeAgentId, currency: job.currency, amount: evaluator.amount };
    const placed = await placeHoldRow(em, { ...job, holdId, payeeAgentId, amount: evaluator.amount, event: escrowHeldEvent(fee) });
    if (!placed) throw new AppError('conflict', 'The evaluator fee’s hold was abandoned: the hire it belonged to gave up', { hold_id: holdId });
  }

  /**
   * Gives up a hold a job will never use: a `held` hold is refunded; an id
   * with no hold yet is fenced (an `abandoned` row), so a late `placeHold`
   * fails; a hold already settled is returned as it is.
   */
  async abandon(holdId: string): Promise<HoldView> {
    const id = holdId.toLowerCase();
    return this.orm.em.fork().transactional(async (em) => {
      if (await fenceHold(em, id)) return { hold_id: id, status: 'abandoned', currency: 'USD', amount: 0 };
      const holds = await settleHolds(em, this.context, [{ holdId: id, outcome: { kind: 'refund' } }]);
      // A hire that gave up never uses its budget: it goes back; a refund into a parent's budget that closed meanwhile follows it.
      await closeBudgets(em, [id]);
      await sweepClosedBudgetsOf(em, [id]);
      const row = holds.get(id);
      if (!row) throw new Error(`Hold ${id} vanished`);
      return toHoldView(row);
    });
  }

  /**
   * Records a hosted job's model cost so far (the executor's running total
   * for the job, so a repeat changes nothing and an older figure never
   * lowers a newer one). Taken with the hold's lock, so it either lands
   * before the settlement, which then charges it, or after: a cost reported
   * for a hold already settled is kept for the record but not charged.
   */
  async recordModelCost(command: RecordModelCostCommand): Promise<ModelCostView> {
    const holdId = command.hold_id.toLowerCase();
    const seller = command.seller_agent_id.toLowerCase();
    return this.orm.em.fork().transactional(async (em) => {
      const hold = await lockHoldStatus(em, holdId);
      if (!hold || hold.status === 'abandoned') throw new AppError('not_found', 'No escrow hold exists for this job', { hold_id: holdId });
      if (hold.payee_agent_id !== seller) throw new AppError('conflict', 'The seller is not the payee of this hold', { hold_id: holdId });
      const stored = await raiseModelCost(em, { holdId, sellerAgentId: seller, costMicroUsd: command.cost_micro_usd });
      return { hold_id: holdId, cost_micro_usd: Number(stored ?? command.cost_micro_usd), chargeable: hold.status === 'held' };
    });
  }

  /**
   * Settles holds inside a transaction the caller owns (a consumer's, with
   * its inbox row): the jobs ended, so their subtask budgets close and return
   * what is left; a refund paid back into a budget that is already closed
   * follows it to the funder.
   */
  async settleWithin(em: EntityManager, requests: SettlementRequest[]): Promise<void> {
    await settleHolds(em, this.context, requests);
    const holdIds = requests.map((request) => request.holdId);
    await closeBudgets(em, holdIds);
    await sweepClosedBudgetsOf(em, holdIds);
  }

  async budgets(jobIds: string[]): Promise<BudgetView[]> {
    return budgetsOf(this.orm.em.fork(), jobIds);
  }
}

async function existingHold(em: EntityManager, holdId: string): Promise<HoldView> {
  const row = await findHold(em, holdId);
  if (!row) throw new Error(`Hold ${holdId} vanished`);
  if (row.status === 'abandoned') throw new AppError('conflict', 'This hold was abandoned: the hire it belonged to gave up', { hold_id: holdId });
  return toHoldView(row);
}

function budgetExhausted(parentJobId: string, command: PlaceHoldCommand): AppError {
  return new AppError('budget_exhausted', 'The parent job’s subtask budget cannot cover this hire', {
    parent_job_id: parentJobId,
    currency: command.currency,
    amount: command.amount + (command.budget ?? 0),
  });
}
