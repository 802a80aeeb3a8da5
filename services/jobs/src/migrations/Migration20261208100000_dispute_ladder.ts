import { Migration } from '@mikro-orm/migrations';

/**
 * The dispute ladder. A disputed job keeps its dispute beside it, as JSON:
 * the client's reason, when it was opened, the end of the worker's response
 * window and the worker's one answer. The response window runs as a timer of
 * its own kind; admins list the disputed jobs the longest waiting first.
 */
export class Migration20261208100000_dispute_ladder extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table jobs.jobs add column dispute jsonb');
    this.addSql('alter table jobs.timers drop constraint timers_kind_check');
    this.addSql(
      `alter table jobs.timers add constraint timers_kind_check check (kind in ('accept_deadline', 'auto_complete', 'delivery_deadline', 'dispute_response'))`,
    );
    this.addSql(`create index jobs_disputed_queue on jobs.jobs ((dispute ->> 'opened_at'), id) where status = 'disputed'`);
    // Disputes open at the upgrade join the ladder: their reason from the history, the default response window from now.
    this.addSql(`update jobs.jobs j set dispute = jsonb_build_object(
        'reason', coalesce((select t.details ->> 'reason' from jobs.job_transitions t where t.job_id = j.id and t.event = 'dispute' order by t.at desc limit 1), ''),
        'opened_at', to_char(j.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'respond_by', to_char((now() + interval '72 hours') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'response', null)
      where j.status = 'disputed' and j.dispute is null`);
    this.addSql(`insert into jobs.timers (job_id, kind, due_at)
      select id, 'dispute_response', (dispute ->> 'respond_by')::timestamptz from jobs.jobs where status = 'disputed'
      on conflict (job_id, kind) do nothing`);
  }
}
