import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AppError } from '@agentmarket/contracts';
import { quoteIdent } from '@agentmarket/persistence';
import { currentCommand, type IdempotencyClaim } from './command-scope.ts';
import { openReply, sealReply } from './sealed-reply.ts';

/** Thrown inside the transaction to roll it back when the key was used before; carries the first reply. */
class EarlierReply {
  readonly reply: unknown;
  constructor(reply: unknown) {
    this.reply = reply;
  }
}

/** What a keyed command that answered with a secret records instead of its reply: a marker and the reply's non-secret part. */
interface SecretIssuedMarker {
  secret_issued: true;
  public_part: Record<string, unknown>;
}

const isSecretMarker = (reply: unknown): reply is SecretIssuedMarker =>
  typeof reply === 'object' && reply !== null && (reply as Record<string, unknown>).secret_issued === true;

export interface CommandTransactionOptions<T> {
  /**
   * `work` writes with one statement (after its reads), atomic on its own
   * and checked against what it read: without an Idempotency-Key it then
   * needs no transaction (two round trips fewer). With a key it still runs
   * in one, beside the key's claim and record.
   */
  singleWrite?: boolean;
  /**
   * For a reply that carries a secret (a new API key): the record keeps a
   * marker and `publicPart` of the reply, never the secret, and a retry with
   * the same key after success gets `alreadyIssued(publicPart)` instead of
   * the secret a second time. Nothing is re-issued.
   */
  secretReply?: { publicPart: (reply: T) => Record<string, unknown>; alreadyIssued: (publicPart: Record<string, unknown>) => Error };
}

/**
 * One use case, one transaction — and, when the command carries an
 * Idempotency-Key, the key recorded in that same transaction with the reply
 * `work` returns. A retry (after a timeout, a lost reply, a crash of the
 * gateway or of this service) finds the record and gets the first reply;
 * nothing is applied twice. A concurrent duplicate waits on the record's
 * row lock and then gets the reply too. The same key with another command
 * is `idempotency_key_reused`. Without a key it is a plain transaction.
 *
 * `work` must return the whole reply the handler sends: that is what a retry receives.
 */
export async function commandTransaction<T>(
  orm: MikroORM,
  schema: string,
  work: (em: EntityManager) => Promise<T>,
  options: CommandTransactionOptions<T> = {},
): Promise<T> {
  const scope = currentCommand();
  const claim = scope?.idempotency;
  if (!scope || !claim) return options.singleWrite ? work(orm.em.fork()) : orm.em.fork().transactional(work);
  try {
    const reply = await orm.em.fork().transactional(async (em) => {
      await claimKey(em, schema, scope.subject, claim);
      const result = await work(em);
      const recorded: unknown = options.secretReply ? ({ secret_issued: true, public_part: options.secretReply.publicPart(result) } satisfies SecretIssuedMarker) : result;
      await em.execute(`update ${quoteIdent(schema)}.idempotency_keys set sealed_reply = ? where key_hash = ?`, [sealReply(recorded, claim.sealKey), claim.keyHash], 'run');
      return result;
    });
    claim.recorded = true;
    return reply;
  } catch (error) {
    if (!(error instanceof EarlierReply)) throw error;
    claim.recorded = true;
    // The first attempt issued a secret: it was shown once and is not stored, so say so rather than answer without it.
    if (isSecretMarker(error.reply)) {
      throw options.secretReply?.alreadyIssued(error.reply.public_part) ?? new AppError('conflict', 'This command was already applied', error.reply.public_part);
    }
    scope.onReplay?.();
    return error.reply as T;
  }
}

/** Inserts the key's row, or (when it exists) throws the first reply; a concurrent twin blocks here until the first commits. */
async function claimKey(em: EntityManager, schema: string, subject: string, claim: IdempotencyClaim): Promise<void> {
  const table = `${quoteIdent(schema)}.idempotency_keys`;
  const inserted = await em.execute<{ key_hash: string }[]>(
    `insert into ${table} (key_hash, subject, request_hash) values (?, ?, ?) on conflict do nothing returning key_hash`,
    [claim.keyHash, subject, claim.requestHash],
    'all',
  );
  if (inserted.length === 1) return;
  const [earlier] = await em.execute<{ request_hash: string; sealed_reply: Buffer | null }[]>(
    `select request_hash, sealed_reply from ${table} where key_hash = ?`,
    [claim.keyHash],
    'all',
  );
  if (!earlier || earlier.request_hash !== claim.requestHash) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used with another request', {});
  }
  throw new EarlierReply(earlier.sealed_reply ? openReply(earlier.sealed_reply, claim.sealKey) : null);
}

/** Forgets keys older than `olderThanHours` (API.md: a key is remembered for 24 h). Returns how many went. */
export async function pruneIdempotencyKeys(orm: MikroORM, schema: string, olderThanHours: number): Promise<number> {
  const result = await orm.em
    .fork()
    .execute(`delete from ${quoteIdent(schema)}.idempotency_keys where created_at < now() - make_interval(hours => ?)`, [olderThanHours], 'run');
  return (result as { affectedRows?: number }).affectedRows ?? 0;
}
