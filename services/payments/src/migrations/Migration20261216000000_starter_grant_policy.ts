import { Migration } from '@mikro-orm/migrations';

/**
 * The starter grant policy's daily counters, written in the same transaction
 * as the grants they count: money granted per day and currency (against the
 * daily budget), and grants per day and registering address.
 */
export class Migration20261216000000_starter_grant_policy extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table payments.starter_grant_budget (
      day date not null,
      currency varchar(3) not null,
      granted bigint not null check (granted >= 0),
      primary key (day, currency)
    )`);
    this.addSql(`create table payments.starter_grant_origins (
      day date not null,
      origin_ip varchar(64) not null,
      grants integer not null check (grants >= 0),
      primary key (day, origin_ip)
    )`);
  }
}
