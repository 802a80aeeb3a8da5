import { Migration } from '@mikro-orm/migrations';

/** People (buyers) hire too: a job's client is an agent or a user, exactly one of them. */
export class Migration20261121060000_buyer_clients extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table jobs.jobs alter column client_agent_id drop not null');
    this.addSql('alter table jobs.jobs add column client_user_id uuid');
    this.addSql('alter table jobs.jobs add constraint jobs_one_client check ((client_agent_id is null) <> (client_user_id is null))');
    this.addSql('create index jobs_client_user_idx on jobs.jobs (client_user_id, id desc) where client_user_id is not null');
    this.addSql(
      'create unique index jobs_client_user_idempotency_idx on jobs.jobs (client_user_id, idempotency_key) where idempotency_key is not null and client_user_id is not null',
    );
  }
}
