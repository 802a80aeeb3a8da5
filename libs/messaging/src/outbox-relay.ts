import type { JetStreamClient } from '@nats-io/jetstream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { executePrepared, onOutboxCommitted, quoteIdent } from '@agentmarket/persistence';
import type { Logger, ProcessMetrics } from '@agentmarket/observability';
import { encodeJson } from './connection.ts';

export interface OutboxRelayOptions {
  orm: MikroORM;
  schema: string;
  jetstream: JetStreamClient;
  logger: Logger;
  metrics: ProcessMetrics;
  batchSize?: number;
  /** How often to check whether the safety poll is due. */
  pollIntervalMs?: number;
  /**
   * How often to look for unsent rows with no wake: rows this process commits
   * wake the relay (outbox-wake.ts), so polling only finds what another
   * process left behind (a replica that crashed between commit and publish)
   * or wrote without a relay. Polling every second on every replica of every
   * service would cost a claiming transaction each time, idle or not.
   */
  safetyPollMs?: number;
  publishTimeoutMs?: number;
}

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  envelope: unknown;
}

export interface OutboxRelay {
  /** Publishes everything pending now; resolves when the outbox is empty or publishing failed (then it backs off). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Publishes committed outbox rows to JetStream with `Nats-Msg-Id` = event id
 * (so a re-publish after a crash between publish and mark is dropped by the
 * server's duplicate window); they are claimed and marked sent by one
 * statement in the transaction that publishes them (FOR UPDATE SKIP LOCKED,
 * so several replicas can relay the same schema), committed once every
 * publish is acknowledged.
 * While NATS is down the rows simply wait; the relay retries with backoff.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 200;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const safetyPollMs = Math.max(pollIntervalMs, options.safetyPollMs ?? 10_000);
  const table = `${quoteIdent(options.schema)}.outbox`;
  const logger = options.logger.child({ component: 'outbox-relay', schema: options.schema });
  let stopped = false;
  let running: Promise<void> | undefined;
  let rerun = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  // Set while a failed pass waits out its backoff: polls and wakes then do not start another pass
  // (that would hammer a broken NATS and keep flush() from ever resolving); the retry timer does.
  let backingOff = false;

  // Claims and marks a batch in one statement: should publishing fail, the transaction rolls back and the rows are unsent again.
  const claimBatch = `update ${table} set published_at = now()
    where seq in (select seq from ${table} where published_at is null order by seq limit ? for update skip locked)
    returning seq, id, subject, envelope`;

  const publishBatch = async (): Promise<number> => {
    const em = options.orm.em.fork();
    return em.transactional(async (tx) => {
      const rows = await executePrepared<OutboxRow>(tx, claimBatch, [batchSize]);
      if (rows.length === 0) return 0;
      // RETURNING keeps no order: commit order is seq order.
      rows.sort((a, b) => compareSeq(a.seq, b.seq));
      // Sent in order on one connection; the acks are awaited together.
      await Promise.all(
        rows.map((row) =>
          options.jetstream.publish(row.subject, encodeJson(row.envelope), {
            msgID: row.id,
            timeout: options.publishTimeoutMs ?? 5000,
          }),
        ),
      );
      return rows.length;
    });
  };

  let lastPassAt = 0;
  const drain = async () => {
    lastPassAt = Date.now();
    try {
      let published: number;
      do {
        published = await publishBatch();
        if (published > 0) options.metrics.outboxPublished.inc({ schema: options.schema }, published);
      } while (published === batchSize && !stopped);
      if (failures > 0) logger.info('outbox publishing recovered');
      failures = 0;
    } catch (error) {
      failures += 1;
      const delay = Math.min(250 * 2 ** Math.min(failures, 5), 5000);
      if (failures === 1 || failures % 20 === 0) {
        logger.warn({ err: error, failures, retry_ms: delay }, 'outbox publish failed; events stay queued');
      }
      if (!stopped) {
        clearTimeout(retryTimer);
        backingOff = true;
        retryTimer = setTimeout(() => {
          backingOff = false;
          void wake();
        }, delay);
      }
    }
  };

  /** Runs one drain at a time; a wake during a drain schedules exactly one more. */
  function wake(): Promise<void> {
    if (stopped || backingOff) return Promise.resolve();
    if (running) {
      rerun = true;
      return running;
    }
    running = drain().finally(() => {
      running = undefined;
      if (rerun && !stopped && !backingOff) {
        rerun = false;
        void wake();
      }
    });
    return running;
  }

  const stopWaking = onOutboxCommitted(() => void wake());
  const poll = setInterval(() => {
    if (Date.now() - lastPassAt >= safetyPollMs) void wake();
  }, pollIntervalMs);
  const stopSampling = options.metrics.samplers.add(outboxSampler(options, table));
  void wake();

  return {
    async flush() {
      await wake();
      while (running) await running;
    },
    async stop() {
      stopped = true;
      stopSampling();
      clearInterval(poll);
      clearTimeout(retryTimer);
      stopWaking();
      await running;
    },
  };
}

/** Orders bigserial values as Postgres does (they arrive as decimal text). */
function compareSeq(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Counts the rows not yet relayed and the age of the oldest, at each
 * scrape: the partial index on unpublished rows keeps it a short scan
 * however large the published history grows.
 */
function outboxSampler(options: OutboxRelayOptions, table: string): () => Promise<void> {
  const labels = { schema: options.schema };
  return async () => {
    const [row] = await options.orm.em
      .fork()
      .getConnection()
      .execute<{ unsent: string; oldest_seconds: number | null }[]>(
        `select count(*) as unsent, extract(epoch from now() - min(created_at))::float8 as oldest_seconds from ${table} where published_at is null`,
      );
    options.metrics.outboxBacklog.set(labels, Number(row?.unsent ?? 0));
    options.metrics.outboxOldestUnsentSeconds.set(labels, Math.max(0, row?.oldest_seconds ?? 0));
  };
}
