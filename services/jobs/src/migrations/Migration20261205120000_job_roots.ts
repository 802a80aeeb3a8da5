import { Migration } from '@mikro-orm/migrations';

/**
 * Each job names the root of its tree, fixed at hire (a top-level job is its
 * own root): A2A's contextId is the root, which a grandchild cannot find
 * from its parent alone. Existing jobs get theirs by walking down from the
 * top-level jobs.
 */
export class Migration20261205120000_job_roots extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table jobs.jobs add column root_job_id uuid');
    this.addSql(`with recursive tree (id, root_id) as (
        select id, id from jobs.jobs where parent_job_id is null
        union all
        select child.id, tree.root_id from jobs.jobs child join tree on child.parent_job_id = tree.id
      )
      update jobs.jobs job set root_job_id = tree.root_id from tree where job.id = tree.id`);
    this.addSql('alter table jobs.jobs alter column root_job_id set not null');
    this.addSql('create index jobs_root_idx on jobs.jobs (root_job_id)');
  }
}
