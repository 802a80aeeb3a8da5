import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7, type BudgetView, type Currency } from '@agentmarket/contracts';
import { lookup, type AccountDirectory } from '../ledger/account-directory.ts';
import { budgetKey } from '../ledger/owner-key.ts';
import { lockedAccountBalance } from '../ledger/accounts.repository.ts';
import { postTransfers } from '../ledger/transfers.repository.ts';
import { budgetFigures, closeOpenBudgets, closedBudgetOfAccount, closedBudgetsThatPaid, insertBudgetOnce, type BudgetRow } from './budgets.repository.ts';

/**
 * Opens a job's subtask budget: its account, and the `budget` transfer from
 * the funder (the same payer as the job's hold), inside the caller's
 * transaction. Once per job: a repeat finds the row and moves nothing. A
 * funder who cannot pay violates its balance CHECK, and the transaction
 * (with the hold) rolls back whole.
 */
export async function openBudget(
  em: EntityManager,
  accounts: AccountDirectory,
  budget: { jobId: string; currency: Currency; funderAccountId: number; amount: number },
): Promise<void> {
  const ref = { ownerKey: budgetKey(budget.jobId), currency: budget.currency };
  const accountId = lookup(await accounts.ids(em, [ref]), ref);
  if (!(await insertBudgetOnce(em, { ...budget, accountId }))) return;
  await postTransfers(em, [
    { id: `budget:${budget.jobId}`, debitAccountId: budget.funderAccountId, creditAccountId: accountId, currency: budget.currency, amount: budget.amount, kind: 'budget', holdId: null },
  ]);
}

/** Closes the budgets of jobs that ended: each returns what is left to its funder. A budget already closed is left alone. */
export async function closeBudgets(em: EntityManager, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const closing = await closeOpenBudgets(em, [...new Set(jobIds.map((id) => id.toLowerCase()))]);
  for (const budget of closing.toSorted((a, b) => a.job_id.localeCompare(b.job_id))) await sweep(em, budget);
}

/**
 * Money that reached a closed budget after it closed (a sub-job refunded
 * later) follows the budget's own return: to its funder, and on up while
 * the funder is itself a closed budget. `holdIds` are holds just settled;
 * those paid from a budget are the ones to look at.
 */
export async function sweepClosedBudgetsOf(em: EntityManager, holdIds: string[]): Promise<void> {
  if (holdIds.length === 0) return;
  const closed = await closedBudgetsThatPaid(em, holdIds.map((id) => id.toLowerCase()));
  for (const budget of closed) await sweep(em, budget);
}

/** Moves a closed budget's whole balance to its funder, under the account's row lock, then does the same for a closed funder. */
async function sweep(em: EntityManager, budget: BudgetRow): Promise<void> {
  let current: BudgetRow | undefined = budget;
  while (current) {
    const balance: number = Number((await lockedAccountBalance(em, current.account_id)) ?? 0);
    if (balance > 0) {
      await postTransfers(em, [
        {
          id: `budget_return:${current.job_id}:${uuidv7()}`,
          debitAccountId: Number(current.account_id),
          creditAccountId: Number(current.funder_account_id),
          currency: current.currency,
          amount: balance,
          kind: 'budget_return',
          holdId: null,
        },
      ]);
    }
    const funder = await closedBudgetOfAccount(em, current.funder_account_id);
    current = balance > 0 ? funder : undefined;
  }
}

/** The budgets of these jobs (jobs without one are left out), for the tree view. */
export async function budgetsOf(em: EntityManager, jobIds: string[]): Promise<BudgetView[]> {
  if (jobIds.length === 0) return [];
  const rows = await budgetFigures(em, jobIds.map((id) => id.toLowerCase()));
  return rows.map((row) => ({ job_id: row.job_id, currency: row.currency, amount: Number(row.amount), balance: Number(row.balance), returned: Number(row.returned), closed: row.closed }));
}
