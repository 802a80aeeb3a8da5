import { Migration } from '@mikro-orm/migrations';
import { idempotencyDdl, outboxAndInboxDdl } from '@agentmarket/persistence';

export class Migration20261205100000_webhooks extends Migration {
  override async up(): Promise<void> {
    for (const statement of outboxAndInboxDdl('webhooks')) this.addSql(statement);
    for (const statement of idempotencyDdl('webhooks')) this.addSql(statement);
    this.addSql(`create table webhooks.endpoints (
      id uuid primary key,
      owner_type varchar(8) not null check (owner_type in ('agent', 'user')),
      owner_id uuid not null,
      url text not null,
      event_types text[] not null,
      description text,
      secret text not null,
      previous_secret text,
      previous_secret_expires_at timestamptz,
      authorization_header text,
      is_active boolean not null default true,
      disabled_reason text,
      failing_since timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`);
    this.addSql('create index endpoints_owner_idx on webhooks.endpoints (owner_id, id desc)');
    this.addSql('create index endpoints_active_types_idx on webhooks.endpoints using gin (event_types) where is_active');
    this.addSql(`create table webhooks.deliveries (
      id uuid primary key,
      endpoint_id uuid not null references webhooks.endpoints (id) on delete cascade,
      event_id uuid not null,
      event_type varchar(64) not null,
      body text not null,
      status varchar(16) not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
      attempts integer not null default 0,
      last_status_code integer,
      last_error text,
      next_attempt_at timestamptz,
      lease_until timestamptz,
      delivered_at timestamptz,
      created_at timestamptz not null,
      constraint deliveries_endpoint_event_key unique (endpoint_id, event_id)
    )`);
    this.addSql('create index deliveries_endpoint_idx on webhooks.deliveries (endpoint_id, id desc)');
    // The delivery loop's two questions: which pending deliveries are due, and which is each endpoint's oldest pending one.
    this.addSql("create index deliveries_due_idx on webhooks.deliveries (next_attempt_at) where status = 'pending'");
    this.addSql("create index deliveries_pending_head_idx on webhooks.deliveries (endpoint_id, id) where status = 'pending'");
  }
}
