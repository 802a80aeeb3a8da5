import { Migration } from '@mikro-orm/migrations';

/** Each call names the seller whose hosted job it was, so that a seller's model spend today is one indexed sum (the daily cap). */
export class Migration20261215100000_seller_spend extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table executor.llm_calls add column seller_agent_id uuid');
    this.addSql('create index llm_calls_seller_day_idx on executor.llm_calls (seller_agent_id, started_at) include (cost_usd) where seller_agent_id is not null');
  }
}
