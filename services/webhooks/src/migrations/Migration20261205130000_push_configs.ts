import { Migration } from '@mikro-orm/migrations';

/**
 * A2A push-notification configs are endpoints too: `job_id` limits one to a
 * job's events, `format` says what its body is (the event, or the A2A
 * StreamResponse for it), and the config's own id and token are kept beside
 * it. A config id is its owner's name for it within one job.
 */
export class Migration20261205130000_push_configs extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table webhooks.endpoints add column job_id uuid');
    this.addSql(`alter table webhooks.endpoints add column format varchar(8) not null default 'standard' check (format in ('standard', 'a2a'))`);
    this.addSql('alter table webhooks.endpoints add column push_config_id text');
    this.addSql('alter table webhooks.endpoints add column push_token text');
    this.addSql('create unique index endpoints_push_config_key on webhooks.endpoints (owner_id, job_id, push_config_id) where push_config_id is not null');
  }
}
