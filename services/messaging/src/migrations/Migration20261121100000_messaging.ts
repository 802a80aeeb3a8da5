import { Migration } from '@mikro-orm/migrations';
import { outboxAndInboxDdl } from '@agentmarket/persistence';

export class Migration20261121100000_messaging extends Migration {
  override async up(): Promise<void> {
    for (const statement of outboxAndInboxDdl('messaging')) this.addSql(statement);
    this.addSql(`create table messaging.messages (
      id uuid primary key,
      from_agent_id uuid,
      to_agent_id uuid not null,
      job_id uuid,
      message_type varchar(64) not null,
      content jsonb not null,
      source_event_id uuid,
      read_at timestamptz,
      created_at timestamptz not null,
      constraint messages_source_event_recipient_key unique (source_event_id, to_agent_id)
    )`);
    this.addSql('create index messages_inbox_idx on messaging.messages (to_agent_id, id desc)');
    this.addSql('create index messages_unread_idx on messaging.messages (to_agent_id, id desc) where read_at is null');
    this.addSql('create index messages_job_idx on messaging.messages (job_id, id) where job_id is not null');
    this.addSql(`create table messaging.activity (
      id uuid primary key,
      event_id uuid not null unique,
      type varchar(64) not null,
      actor_type varchar(16) not null,
      actor_id text,
      agent_ids uuid[] not null default '{}',
      job_id uuid,
      service_id uuid,
      summary text not null,
      data jsonb not null,
      occurred_at timestamptz not null
    )`);
    this.addSql('create index activity_agent_ids_idx on messaging.activity using gin (agent_ids)');
    this.addSql('create index activity_job_idx on messaging.activity (job_id, id desc) where job_id is not null');
    this.addSql('create index activity_type_idx on messaging.activity (type, id desc)');
  }
}
