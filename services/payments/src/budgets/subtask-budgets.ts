import type { EntityManager } from '@mikro-orm/postgresql';
import { uuidv7, type BudgetView, type Currency } from '@agentmarket/contracts';
import { lookup, type AccountDirectory } from '../ledger/account-directory.ts';
import { budgetKey } from '../ledger/owner-key.ts';
import { postTransfers } from '../ledger/transfers.ts';

interface BudgetRow {
  job_id: string;
  account_id: string;
  funder_account_id: string;
  currency: Currency;
  closed_at: Date | string | null;
}

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
  const opened = await em.execute<{ job_id: string }[]>(
    `insert into payments.budgets (job_id, account_id, funder_account_id, currency, amount) values (?, ?, ?, ?, ?)
     on conflict (job_id) do nothing returning job_id`,
    [budget.jobId, accountId, budget.funderAccountId, budget.currency, budget.amount],
    'all',
  );
  if (opened.length === 0) return;
  await postTransfers(em, [
    { id: `budget:${budget.jobId}`, debitAccountId: budget.funderAccountId, creditAccountId: accountId, currency: budget.currency, amount: budget.amount, kind: 'budget', holdId: null },
  ]);
}

/** Whether sub-jobs may be paid from this job's budget: it exists and is not closed. */
export async function isBudgetOpen(em: EntityManager, jobId: string): Promise<boolean> {
  const rows = await em.execute<{ open: boolean }[]>('select closed_at is null as open from payments.budgets where job_id = ?', [jobId], 'all');
  return rows[0]?.open === true;
}

/** Closes the budgets of jobs that ended: each returns what is left to its funder. A budget already closed is left alone. */
export async function closeBudgets(em: EntityManager, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  const closing = await em.execute<BudgetRow[]>(
    `update payments.budgets set closed_at = now() where job_id in (?) and closed_at is null
     returning job_id, account_id, funder_account_id, currency, closed_at`,
    [[...new Set(jobIds.map((id) => id.toLowerCase()))]],
    'all',
  );
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
  const closed = await em.execute<BudgetRow[]>(
    `select distinct b.job_id, b.account_id, b.funder_account_id, b.currency, b.closed_at
     from payments.holds h join payments.budgets b on b.account_id = h.payer_account_id
     where h.hold_id in (?) and b.closed_at is not null order by b.job_id`,
    [holdIds.map((id) => id.toLowerCase())],
    'all',
  );
  for (const budget of closed) await sweep(em, budget);
}

/** Moves a closed budget's whole balance to its funder, under the account's row lock, then does the same for a closed funder. */
async function sweep(em: EntityManager, budget: BudgetRow): Promise<void> {
  let current: BudgetRow | undefined = budget;
  while (current) {
    const [account]: { balance: string }[] = await em.execute<{ balance: string }[]>('select balance from payments.accounts where id = ? for update', [current.account_id], 'all');
    const balance: number = Number(account?.balance ?? 0);
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
    const [funder]: BudgetRow[] = await em.execute<BudgetRow[]>(
      'select job_id, account_id, funder_account_id, currency, closed_at from payments.budgets where account_id = ? and closed_at is not null',
      [current.funder_account_id],
      'all',
    );
    current = balance > 0 ? funder : undefined;
  }
}

/** The budgets of these jobs (jobs without one are left out), for the tree view. */
export async function budgetsOf(em: EntityManager, jobIds: string[]): Promise<BudgetView[]> {
  if (jobIds.length === 0) return [];
  const rows = await em.execute<{ job_id: string; currency: Currency; amount: string; balance: string; returned: string; closed: boolean }[]>(
    `select b.job_id, b.currency, b.amount, a.balance,
       coalesce((select sum(t.amount) from payments.transfers t where t.debit_account_id = b.account_id and t.kind = 'budget_return'), 0) as returned,
       b.closed_at is not null as closed
     from payments.budgets b join payments.accounts a on a.id = b.account_id where b.job_id in (?)`,
    [jobIds.map((id) => id.toLowerCase())],
    'all',
  );
  return rows.map((row) => ({ job_id: row.job_id, currency: row.currency, amount: Number(row.amount), balance: Number(row.balance), returned: Number(row.returned), closed: row.closed }));
}
