import { Migration } from '@mikro-orm/migrations';

/** The columns a hire writes; the others keep their defaults. A migration that adds a column a hire must set replaces the function. */
const HIRE_COLUMNS = `id, service_id, service_name, client_agent_id, client_user_id, worker_agent_id, parent_job_id, root_job_id, title, input_data,
  currency, amount, status, machine_snapshot, revision_count, max_revisions, accept_window_seconds, auto_complete_seconds,
  delivery_window_seconds, estimated_minutes, funding_status, idempotency_key, hosted, subtask_budget, fund_from_parent,
  evaluator_agent_id, evaluator_fee, evaluator_hold_id, created_at, updated_at, version`;

/**
 * A hire's first step in one round trip instead of five (begin, lock, count,
 * insert, commit): the service's hires are serialised by the same
 * transaction-scoped advisory lock as before, then its jobs are counted
 * against max_concurrent and the job is inserted only if there is room.
 * Each statement of a volatile PL/pgSQL function takes its own snapshot, so
 * the count, taken after the lock, sees every hire committed before it: the
 * same guarantee as the transaction it replaces. Returns null when the job
 * was inserted, else the count that refused it.
 */
export class Migration20261211000000_hire_in_one_call extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function jobs.hire_within_capacity(p_service_id uuid, p_max_concurrent integer, p_counted text[], p_job jsonb)
      returns integer language plpgsql volatile as $$
      declare
        active integer;
      begin
        perform pg_advisory_xact_lock(hashtextextended(p_service_id::text, 0));
        select count(*)::integer into active from jobs.jobs
          where service_id = p_service_id and funding_status <> 'unfunded' and status = any (p_counted);
        if active >= p_max_concurrent then
          return active;
        end if;
        insert into jobs.jobs (${HIRE_COLUMNS})
          select ${HIRE_COLUMNS} from jsonb_populate_record(null::jobs.jobs, p_job);
        return null;
      end $$`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function jobs.hire_within_capacity(uuid, integer, text[], jsonb)');
  }
}
