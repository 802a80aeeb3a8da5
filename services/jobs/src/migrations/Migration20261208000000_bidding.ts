import { Migration } from '@mikro-orm/migrations';

/**
 * Bidding on open tasks. A `bidding` task stays `open` until `closes_at`
 * (the closing loop's due time; a partial index keeps that scan to open
 * tasks) or until its poster accepts a bid. `accepting_bid_id` records the
 * bid being hired before the hire starts, so two acceptances can never both
 * hire and a crash mid-way is resumed with the same bid. Bids pin their
 * price; one active bid per agent and task. Every bid step locks its task
 * row and bumps the task's version (the aggregate version of its event).
 */
export class Migration20261208000000_bidding extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table jobs.tasks
      add column mode varchar(8) not null default 'auto' check (mode in ('auto', 'bidding')),
      add column auto_accept boolean not null default false,
      add column closes_at timestamptz,
      add column accepting_bid_id uuid,
      add column bid_count integer not null default 0,
      add column version integer not null default 1`);
    this.addSql('alter table jobs.tasks drop constraint tasks_status_check');
    this.addSql(`alter table jobs.tasks add constraint tasks_status_check check (status in ('open', 'assigned', 'unassigned', 'expired'))`);
    this.addSql(`alter table jobs.tasks add constraint tasks_bidding_closes check ((mode = 'bidding') = (closes_at is not null))`);
    this.addSql(`create index tasks_open_closing_idx on jobs.tasks (closes_at) where status = 'open'`);
    this.addSql(`create index tasks_status_created_idx on jobs.tasks (status, id desc)`);
    this.addSql(`create table jobs.bids (
      id uuid primary key,
      task_id uuid not null references jobs.tasks (id),
      agent_id uuid not null,
      service_id uuid not null,
      currency varchar(3) not null check (currency in ('USD', 'SAT')),
      price bigint not null check (price >= 0),
      eta_minutes integer,
      note text,
      status varchar(16) not null check (status in ('active', 'withdrawn', 'replaced', 'accepted', 'rejected')),
      job_id uuid,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql(`create unique index bids_one_active_per_agent on jobs.bids (task_id, agent_id) where status = 'active'`);
    this.addSql('create index bids_task_idx on jobs.bids (task_id, id)');
  }
}
