import type pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { EVENT_TYPES } from '@agentmarket/contracts';
import { ormOptions, quoteIdent } from '@agentmarket/persistence';
import { checkLedger } from '@agentmarket/payments/ledger-check';

/**
 * Hires cut off between their job and their hold are finished by the jobs
 * service's recovery loop, which no drain sees: a job may still wait for
 * its hold a few seconds after the bus went quiet.
 */
const HOLD_AGREEMENT_WAIT_MS = 30_000;

const PUBLIC_TYPES = Object.entries(EVENT_TYPES).flatMap(([type, definition]) => (definition.visibility === 'public' ? [type] : []));
/** The job events that put a message in a party's inbox (every public job event is a transition). */
const NOTIFYING_TYPES = Object.entries(EVENT_TYPES).flatMap(([type, definition]) =>
  definition.visibility === 'public' && definition.aggregate === 'job' ? [type] : [],
);

/** What must hold across the whole market after any fault, whoever caused the rows. Empty when sound. */
export async function brokenInvariants(db: pg.Client, databaseUrl: string): Promise<string[]> {
  return [
    ...(await ledgerProblems(databaseUrl)),
    ...(await holdDisagreements(db)),
    ...(await activityProblems(db)),
    ...(await missingNotifications(db)),
  ];
}

/** The payments service's own ledger check (`npm run ledger:check`), on one repeatable-read snapshot. */
async function ledgerProblems(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init({
    ...ormOptions({ databaseUrl, schema: 'payments', entities: [], migrations: [], poolSize: 1 }),
    ensureDatabase: false,
  });
  try {
    return (await checkLedger(orm.em.fork())).map((problem) => `ledger: ${problem}`);
  } finally {
    await orm.close();
  }
}

/** Every funded job holds its price in escrow while it runs, and has it settled exactly once (the right way) when it ends. */
async function holdDisagreements(db: pg.Client): Promise<string[]> {
  const deadline = Date.now() + HOLD_AGREEMENT_WAIT_MS;
  for (;;) {
    const { rows } = await db.query<{ id: string; status: string; funding_status: string; hold_status: string | null; settlements: number; kind: string | null }>(`
      select j.id, j.status, j.funding_status, h.status as hold_status,
             (select count(*)::int from payments.hold_settlements s where s.hold_id = j.id) as settlements,
             (select min(kind) from payments.hold_settlements s where s.hold_id = j.id) as kind
      from jobs.jobs j left join payments.holds h on h.hold_id = j.id`);
    const wrong = rows.filter((job) => !holdAgrees(job));
    if (wrong.length === 0 || Date.now() > deadline) {
      return wrong.map((job) => `job ${job.id} (${job.status}, ${job.funding_status}) has hold ${job.hold_status ?? 'none'} settled ${job.settlements} time(s) (${job.kind ?? '-'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const RUNNING = new Set(['pending', 'in_progress', 'delivered', 'revision_requested', 'disputed']);
const REFUNDED = new Set(['cancelled', 'failed', 'expired']);

function holdAgrees(job: { status: string; funding_status: string; hold_status: string | null; settlements: number; kind: string | null }): boolean {
  if (job.funding_status === 'unfunded') return job.hold_status === null || job.hold_status === 'abandoned' || job.hold_status === 'refunded';
  if (job.funding_status !== 'funded') return false;
  if (RUNNING.has(job.status)) return job.hold_status === 'held' && job.settlements === 0;
  if (job.status === 'completed') return job.hold_status === 'released' && job.settlements === 1 && job.kind === 'release';
  if (REFUNDED.has(job.status)) return job.hold_status === 'refunded' && job.settlements === 1 && job.kind === 'refund';
  return false;
}

/** One activity row per public event of every service's outbox: none missing, none twice. */
async function activityProblems(db: pg.Client): Promise<string[]> {
  const doubled = await db.query<{ event_id: string; n: number }>('select event_id::text, count(*)::int as n from messaging.activity group by 1 having count(*) > 1');
  const { rows: schemas } = await db.query<{ schema: string }>(
    `select table_schema as schema from information_schema.tables where table_name = 'outbox' and table_type = 'BASE TABLE' order by 1`,
  );
  const events = schemas
    // quoteIdent refuses anything but a plain identifier, so the name is safe as a literal too.
    .map(({ schema }) => `select id, envelope->>'type' as type, '${schema}' as schema from ${quoteIdent(schema)}.outbox`)
    .join(' union all ');
  const missing = await db.query<{ id: string; type: string; schema: string }>(
    `select e.id::text, e.type, e.schema from (${events}) e
     where e.type = any($1) and not exists (select 1 from messaging.activity a where a.event_id = e.id)`,
    [PUBLIC_TYPES],
  );
  return [
    ...doubled.rows.map((row) => `activity: event ${row.event_id} has ${row.n} rows`),
    ...missing.rows.map((row) => `activity: ${row.type} ${row.id} (outbox of ${row.schema}) has no activity row`),
  ];
}

/** Every job transition put its automatic message in an inbox. */
async function missingNotifications(db: pg.Client): Promise<string[]> {
  const { rows } = await db.query<{ id: string; type: string }>(
    `select o.id::text, o.envelope->>'type' as type from jobs.outbox o
     where o.envelope->>'type' = any($1) and not exists (select 1 from messaging.messages m where m.source_event_id = o.id)`,
    [NOTIFYING_TYPES],
  );
  return rows.map((row) => `notification: ${row.type} ${row.id} left no inbox message`);
}
