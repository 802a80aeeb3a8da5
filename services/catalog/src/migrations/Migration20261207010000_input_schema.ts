import { Migration } from '@mikro-orm/migrations';

/** Typed inputs: the JSON Schema a hire's input_data must follow (null: any object with the required inputs). */
export class Migration20261207010000_input_schema extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table catalog.services add column input_schema jsonb');
  }
}
