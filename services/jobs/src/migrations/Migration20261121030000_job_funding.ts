import { Migration } from '@mikro-orm/migrations';

/**
 * A job becomes workable only once its price is held in escrow: until the
 * payments service confirms the hold it is `pending_hold` (invisible, no
 * events), then `funded`, or `unfunded` when the client could not pay.
 */
export class Migration20261121030000_job_funding extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table jobs.jobs add column funding_status varchar(16) not null default 'funded' check (funding_status in ('pending_hold', 'funded', 'unfunded'))`,
    );
    this.addSql('alter table jobs.jobs add column idempotency_key varchar(200)');
    this.addSql('create unique index jobs_client_idempotency_idx on jobs.jobs (client_agent_id, idempotency_key) where idempotency_key is not null');
    this.addSql(`create index jobs_pending_hold_idx on jobs.jobs (created_at) where funding_status = 'pending_hold'`);
    this.addSql('drop index jobs.jobs_service_active_idx');
    this.addSql(
      `create index jobs_service_active_idx on jobs.jobs (service_id) where funding_status <> 'unfunded' and status in ('pending', 'in_progress', 'delivered', 'revision_requested', 'disputed')`,
    );
  }
}
