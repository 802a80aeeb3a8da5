import { SUBJECTS, amountText, type BudgetView, type Currency, type JobTreeNode } from '@agentmarket/contracts';
import type { BusClient } from '@agentmarket/messaging';
import type { Job } from './job.entity.ts';

export type TreeBudgetFields = Pick<JobTreeNode, 'subtask_budget' | 'subtask_spent' | 'subtask_remaining'>;

const NO_BUDGET: TreeBudgetFields = { subtask_budget: null, subtask_spent: null, subtask_remaining: null };

/**
 * Each budgeted node's budget, spent and remaining, from payments (which
 * holds the money) in one request for the whole tree. Spent is what left the
 * budget for sub-jobs and did not come back; remaining is its balance while
 * the job runs, 0 once it ended and the rest went back.
 */
export async function treeBudgets(bus: BusClient, jobs: Job[], requestId?: string): Promise<(job: Job) => TreeBudgetFields> {
  const budgeted = jobs.filter((job) => job.subtaskBudget > 0);
  const views = budgeted.length > 0 ? await bus.request<BudgetView[]>(SUBJECTS.payments.budgets, { job_ids: budgeted.map((job) => job.id) }, { requestId }) : [];
  const byJob = new Map(views.map((view) => [view.job_id, view]));
  return (job) => {
    if (job.subtaskBudget === 0) return NO_BUDGET;
    const currency = job.currency as Currency;
    const view = byJob.get(job.id);
    // A hire whose hold is still being placed has no budget account yet: nothing spent.
    const remaining = view ? (view.closed ? 0 : view.balance) : job.subtaskBudget;
    const spent = view ? view.amount - view.balance - view.returned : 0;
    return { subtask_budget: amountText(currency, job.subtaskBudget), subtask_spent: amountText(currency, spent), subtask_remaining: amountText(currency, remaining) };
  };
}
