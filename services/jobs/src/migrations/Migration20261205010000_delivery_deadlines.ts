import { Migration } from '@mikro-orm/migrations';

/**
 * Delivery deadlines: each job keeps the delivery window it was hired with
 * (the service's estimate × the platform factor, never below the floor), and
 * a started job its current deadline, announced by a `delivery_deadline` timer.
 * Jobs hired before this get the window of the default settings (3 × the
 * estimate, at least 24 h), and those already started a deadline from now on,
 * so no escrow stays locked without one.
 */
export class Migration20261205010000_delivery_deadlines extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table jobs.jobs add column delivery_window_seconds integer');
    this.addSql('update jobs.jobs set delivery_window_seconds = greatest(coalesce(estimated_minutes, 0) * 60 * 3, 86400)');
    this.addSql('alter table jobs.jobs alter column delivery_window_seconds set not null');
    this.addSql('alter table jobs.jobs add column delivery_deadline timestamptz');
    this.addSql('alter table jobs.timers drop constraint timers_kind_check');
    this.addSql(`alter table jobs.timers add constraint timers_kind_check check (kind in ('accept_deadline', 'auto_complete', 'delivery_deadline'))`);
    this.addSql(`update jobs.jobs set delivery_deadline = now() + make_interval(secs => delivery_window_seconds)
      where status in ('in_progress', 'revision_requested')`);
    this.addSql(`insert into jobs.timers (job_id, kind, due_at)
      select id, 'delivery_deadline', delivery_deadline from jobs.jobs where delivery_deadline is not null
      on conflict (job_id, kind) do nothing`);
  }
}
