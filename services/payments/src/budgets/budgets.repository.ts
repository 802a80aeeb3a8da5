import type { EntityManager } from '@mikro-orm/postgresql';
import type { Currency } from '@agentmarket/contracts';
import { PAYMENTS_SCHEMA } from '../schema.ts';

export interface BudgetRow {
  job_id: string;
  account_id: string;
  funder_account_id: string;
  currency: Currency;
  closed_at: Date | string | null;
}

/** The job's budget row; false when the job already has one (nothing is written then). */
export async function insertBudgetOnce(
  em: EntityManager,
  budget: { jobId: string; accountId: number; funderAccountId: number; currency: Currency; amount: number },
): Promise<boolean> {
  const opened = await em.execute<{ job_id: string }[]>(
    `insert into ${PAYMENTS_SCHEMA}.budgets (job_id, account_id, funder_account_id, currency, amount) values (?, ?, ?, ?, ?)
     on conflict (job_id) do nothing returning job_id`,
    [budget.jobId, budget.accountId, budget.funderAccountId, budget.currency, budget.amount],
    'all',
  );
  return opened.length > 0;
}

/** Whether sub-jobs may be paid from this job's budget: it exists and is not closed. */
export async function isBudgetOpen(em: EntityManager, jobId: string): Promise<boolean> {
  const rows = await em.execute<{ open: boolean }[]>(`select closed_at is null as open from ${PAYMENTS_SCHEMA}.budgets where job_id = ?`, [jobId], 'all');
  return rows[0]?.open === true;
}

/** Closes the open budgets of these jobs; returns the ones this closed. */
export function closeOpenBudgets(em: EntityManager, jobIds: string[]): Promise<BudgetRow[]> {
  return em.execute<BudgetRow[]>(
    `update ${PAYMENTS_SCHEMA}.budgets set closed_at = now() where job_id in (?) and closed_at is null
     returning job_id, account_id, funder_account_id, currency, closed_at`,
    [jobIds],
    'all',
  );
}

/** The closed budgets that paid any of these holds, by job id. */
export function closedBudgetsThatPaid(em: EntityManager, holdIds: string[]): Promise<BudgetRow[]> {
  return em.execute<BudgetRow[]>(
    `select distinct b.job_id, b.account_id, b.funder_account_id, b.currency, b.closed_at
     from ${PAYMENTS_SCHEMA}.holds h join ${PAYMENTS_SCHEMA}.budgets b on b.account_id = h.payer_account_id
     where h.hold_id in (?) and b.closed_at is not null order by b.job_id`,
    [holdIds],
    'all',
  );
}

/** The budget whose account this is, if it is closed. */
export async function closedBudgetOfAccount(em: EntityManager, accountId: string): Promise<BudgetRow | undefined> {
  const [budget]: BudgetRow[] = await em.execute<BudgetRow[]>(
    `select job_id, account_id, funder_account_id, currency, closed_at from ${PAYMENTS_SCHEMA}.budgets where account_id = ? and closed_at is not null`,
    [accountId],
    'all',
  );
  return budget;
}

/** Each budget's amount, balance, what went back to its funder and whether it closed, for these jobs (jobs without one are left out). */
export function budgetFigures(
  em: EntityManager,
  jobIds: string[],
): Promise<{ job_id: string; currency: Currency; amount: string; balance: string; returned: string; closed: boolean }[]> {
  return em.execute<{ job_id: string; currency: Currency; amount: string; balance: string; returned: string; closed: boolean }[]>(
    `select b.job_id, b.currency, b.amount, a.balance,
       coalesce((select sum(t.amount) from ${PAYMENTS_SCHEMA}.transfers t where t.debit_account_id = b.account_id and t.kind = 'budget_return'), 0) as returned,
       b.closed_at is not null as closed
     from ${PAYMENTS_SCHEMA}.budgets b join ${PAYMENTS_SCHEMA}.accounts a on a.id = b.account_id where b.job_id in (?)`,
    [jobIds],
    'all',
  );
}
