import { Migration } from '@mikro-orm/migrations';

/**
 * A hosted job's revisions call the model again: each call names the
 * revision it was for (0, the hire's work), and attempts are numbered per
 * revision, so the answer of one revision never stands in for the next and
 * each revision gets its own retries.
 */
export class Migration20261225100000_llm_call_revisions extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table executor.llm_calls add column revision integer not null default 0 check (revision >= 0)');
    this.addSql('alter table executor.llm_calls drop constraint llm_calls_job_id_attempt_key');
    this.addSql('alter table executor.llm_calls add constraint llm_calls_job_revision_attempt_key unique (job_id, revision, attempt)');
  }
}
