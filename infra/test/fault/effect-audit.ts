import type pg from 'pg';
import { isSuccess } from './answer-log.ts';
import type { EffectClaim, EffectStep } from './effect-claim.ts';

export interface EffectFindings {
  /** The same Idempotency-Key produced more than one effect. */
  duplicates: string[];
  /** The client saw a 2xx, and the effect (or the money or row that must follow it) is missing. */
  lost: string[];
}

/** Rows found per marker: the ids of the effects one request made. */
type RowsByMarker = Map<string, string[]>;

/**
 * Checks every claim of one scenario against the database. Rows are found by
 * the marker the request wrote into them, so a duplicate shows even where
 * no service keeps an idempotency record. Run it after the market drained.
 */
export async function auditEffects(db: pg.Client, claims: EffectClaim[]): Promise<EffectFindings> {
  const findings: EffectFindings = { duplicates: [], lost: [] };
  const markers = (step: EffectStep) => claims.filter((claim) => claim.step === step).map((claim) => claim.marker);
  const rowsOf: Record<'register' | 'publish' | 'hire' | 'message', RowsByMarker> = {
    register: await rowsByMarker(db, 'select name as marker, id::text from identity.agents where name = any($1)', markers('register')),
    publish: await rowsByMarker(db, 'select name as marker, id::text from catalog.services where name = any($1)', markers('publish')),
    // Every job counts towards a duplicate; only a funded one is the job a 201 promised (others carry their funding status in the id).
    hire: await rowsByMarker(
      db,
      `select input_data->>'text' as marker, id::text || case when funding_status = 'funded' then '' else ' (' || funding_status || ')' end as id
       from jobs.jobs where input_data->>'text' = any($1)`,
      markers('hire'),
    ),
    message: await rowsByMarker(
      db,
      `select content->>'message' as marker, id::text from messaging.messages where message_type = 'direct_message' and content->>'message' = any($1)`,
      markers('message'),
    ),
  };
  const transitions = await transitionCounts(db, claims);
  const transfers = await existingTransfers(db, claims);

  for (const claim of claims) {
    const what = `${claim.step} ${claim.idempotencyKey} (answered ${claim.final}${claim.retried ? ' after a retry' : ''})`;
    const succeeded = isSuccess(claim.final === 'gave-up' ? 0 : claim.final);
    if (claim.step === 'start' || claim.step === 'deliver' || claim.step === 'complete') {
      if (!claim.jobId) continue;
      const count = transitions.get(`${claim.jobId} ${claim.step}`) ?? 0;
      if (count > 1) findings.duplicates.push(`${what}: job ${claim.jobId} went through '${claim.step}' ${count} times`);
      if (succeeded && count === 0) findings.lost.push(`${what}: job ${claim.jobId} has no '${claim.step}' transition`);
      if (succeeded && claim.step === 'complete' && !transfers.has(`release:${claim.jobId}`)) findings.lost.push(`${what}: job ${claim.jobId} was never paid out`);
      continue;
    }
    const rows = rowsOf[claim.step].get(claim.marker) ?? [];
    if (rows.length > 1) findings.duplicates.push(`${what}: ${rows.length} rows (${rows.join(', ')})`);
    if (succeeded && !rows.includes(String(claim.answeredId))) findings.lost.push(`${what}: ${claim.answeredId} is not in the database (found: ${rows.join(', ') || 'nothing'})`);
    if (succeeded && claim.step === 'register' && !transfers.has(`grant:${claim.answeredId}:USD`)) findings.lost.push(`${what}: agent ${claim.answeredId} never got its starter grant`);
    if (succeeded && claim.step === 'hire' && !transfers.has(`hold:${claim.answeredId}`)) findings.lost.push(`${what}: job ${claim.answeredId} has no hold transfer`);
  }
  return findings;
}

async function rowsByMarker(db: pg.Client, query: string, markers: string[]): Promise<RowsByMarker> {
  const found: RowsByMarker = new Map();
  if (markers.length === 0) return found;
  const { rows } = await db.query<{ marker: string; id: string }>(query, [markers]);
  for (const row of rows) found.set(row.marker, [...(found.get(row.marker) ?? []), row.id]);
  return found;
}

/** How many times each job went through each event, keyed `<job id> <event>`. */
async function transitionCounts(db: pg.Client, claims: EffectClaim[]): Promise<Map<string, number>> {
  const jobIds = [...new Set(claims.flatMap((claim) => (claim.jobId ? [claim.jobId] : [])))];
  const counts = new Map<string, number>();
  if (jobIds.length === 0) return counts;
  const { rows } = await db.query<{ job_id: string; event: string; n: number }>(
    'select job_id::text, event, count(*)::int as n from jobs.job_transitions where job_id = any($1::uuid[]) group by 1, 2',
    [jobIds],
  );
  for (const row of rows) counts.set(`${row.job_id} ${row.event}`, row.n);
  return counts;
}

/** The ids of the transfers the claims' effects must have caused: grants, holds, releases. */
async function existingTransfers(db: pg.Client, claims: EffectClaim[]): Promise<Set<string>> {
  const expected = claims.flatMap((claim) => {
    if (claim.step === 'register' && claim.answeredId) return [`grant:${claim.answeredId}:USD`];
    if (claim.step === 'hire' && claim.answeredId) return [`hold:${claim.answeredId}`];
    if (claim.step === 'complete' && claim.jobId) return [`release:${claim.jobId}`];
    return [];
  });
  if (expected.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>('select id from payments.transfers where id = any($1)', [expected]);
  return new Set(rows.map((row) => row.id));
}
