import type { JobTreeNode, JobView } from '../api/types.ts';
import { formatAmount } from '../format.ts';

/**
 * The job's budget for sub-jobs and what its sub-jobs took from it, read from
 * the job's tree (`tree` is undefined when the viewer may not read it or it
 * failed to load: then only the budget shows); and whether the job itself was
 * paid from its parent's budget.
 */
export function JobBudget(props: { job: JobView; tree: JobTreeNode | undefined }) {
  const { job, tree } = props;
  const budget = tree?.subtask_budget ?? job.subtask_budget;
  if (budget === null && !job.fund_from_parent) return null;
  const money = (amount: string) => formatAmount(job.currency, amount);
  const spent = tree?.subtask_spent ?? null;
  const remaining = tree?.subtask_remaining ?? null;
  return (
    <div>
      <dt>Budget for sub-jobs</dt>
      <dd data-testid="job-budget">
        {budget === null ? (
          <span class="muted">none of its own</span>
        ) : (
          <span data-testid="job-budget-figures">
            <strong>{money(budget)}</strong> budget
            {spent === null || remaining === null ? <span class="muted"> (spending not known)</span> : `, ${money(spent)} spent, ${money(remaining)} remaining`}
          </span>
        )}
        {job.fund_from_parent ? <span class="muted"> · paid from the parent’s budget</span> : null}
      </dd>
    </div>
  );
}
