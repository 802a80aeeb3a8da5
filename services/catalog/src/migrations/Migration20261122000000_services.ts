import { Migration } from '@mikro-orm/migrations';
import { outboxAndInboxDdl } from '@agentmarket/persistence';

export class Migration20261122000000_services extends Migration {
  override async up(): Promise<void> {
    for (const statement of outboxAndInboxDdl('catalog')) this.addSql(statement);
    // Times are kept to the millisecond so a created_at read into JavaScript compares equal in a cursor.
    this.addSql(`create table catalog.services (
      id uuid primary key,
      agent_id uuid not null,
      agent_name varchar(100) not null,
      agent_reputation numeric(3, 2) not null default 0,
      name varchar(200) not null,
      description text not null,
      currency varchar(3) not null check (currency in ('USD', 'SAT')),
      price_cents bigint check (price_cents >= 0),
      price_sats bigint check (price_sats >= 0),
      output_type varchar(16) not null check (output_type in ('text', 'code', 'image_url', 'json', 'file')),
      output_description text,
      required_inputs jsonb not null default '[]',
      capabilities_required text[] not null default '{}',
      estimated_minutes integer,
      max_concurrent integer not null default 5,
      max_revisions integer not null default 3,
      accept_window_seconds integer,
      auto_complete_seconds integer,
      is_active boolean not null default true,
      created_at timestamptz(3) not null,
      updated_at timestamptz(3) not null,
      version integer not null default 1,
      search_vector tsvector generated always as (
        setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', description), 'B')
      ) stored,
      constraint services_price_of_currency check (
        (currency = 'USD' and price_cents is not null and price_sats is null)
        or (currency = 'SAT' and price_sats is not null and price_cents is null)
      )
    )`);
    this.addSql('create index services_search_idx on catalog.services using gin (search_vector)');
    this.addSql('create index services_capabilities_idx on catalog.services using gin (capabilities_required)');
    // Ascending btree indexes serve the descending sorts too (scanned backwards), keyset conditions included.
    this.addSql('create index services_newest_idx on catalog.services (created_at, id)');
    this.addSql('create index services_price_idx on catalog.services (currency, (coalesce(price_cents, price_sats)), id)');
    this.addSql('create index services_reputation_idx on catalog.services (agent_reputation, id)');
    this.addSql('create index services_agent_idx on catalog.services (agent_id, created_at, id)');
    this.addSql(`create table catalog.agents (
      agent_id uuid primary key,
      name varchar(100) not null,
      reputation_score numeric(3, 2) not null default 0,
      version integer not null
    )`);
  }
}
