import { Migration } from '@mikro-orm/migrations';

/**
 * Tips: two transfer kinds outside escrow, both from the client's wallet —
 * `tip` to the worker and `tip_fee` to the platform — with no hold.
 */
export class Migration20261217000000_tips extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table payments.transfers drop constraint transfers_kind_check');
    this.addSql(`alter table payments.transfers add constraint transfers_kind_check
      check (kind in ('grant', 'credit', 'hold', 'release', 'fee', 'refund', 'model_cost', 'seller_model_cost', 'tip', 'tip_fee'))`);
  }
}
