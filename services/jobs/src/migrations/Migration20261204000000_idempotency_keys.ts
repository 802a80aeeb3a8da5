import { Migration } from '@mikro-orm/migrations';
import { idempotencyDdl } from '@agentmarket/persistence';

/** Idempotency-Keys recorded with the effects of this service's commands (commandTransaction). */
export class Migration20261204000000_idempotency_keys extends Migration {
  override async up(): Promise<void> {
    for (const statement of idempotencyDdl('jobs')) this.addSql(statement);
  }
}
