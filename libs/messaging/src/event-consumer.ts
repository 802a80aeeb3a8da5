import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { parseEventData, type ConsumerDeclaration, type EventEnvelope } from '@agentmarket/contracts';
import { claimInboxEntries } from '@agentmarket/persistence';
import type { HandleOutcome } from './consumer-runner.ts';
import type { ConsumerSpec } from './service-runtime.ts';
import { outlivedItsInboxRow } from './inbox-retention.ts';

/** One event this consumer acts on: its envelope (payload checked against the contract) and what it asks of the consumer. */
export interface PreparedEvent<T> {
  envelope: EventEnvelope;
  change: T;
}

interface ConsumerBasics<T> {
  declaration: ConsumerDeclaration;
  /** The event types acted on; any other is acknowledged untouched, without a transaction. */
  reads: readonly string[];
  /**
   * What one event asks of this consumer, read from its checked envelope, or
   * undefined when it changes nothing (acknowledged without a transaction).
   * Runs before any transaction; an AppError thrown here marks the event as
   * one no retry can fix (dead letter). Default: the envelope itself.
   */
  prepare?(envelope: EventEnvelope): T | undefined;
}

/** Effects kept once per event by the inbox: one transaction and one inbox statement per batch. */
export interface TransactionalConsumer<T> extends ConsumerBasics<T> {
  orm: MikroORM;
  /** The service's schema, whose `inbox` table records the events applied. */
  schema: string;
  /**
   * Optional, before the transaction: reads what the batch's events need (one
   * query for the batch, e.g. who subscribes to them) and returns those that
   * change something, their `change` completed. None left: the batch is
   * acknowledged without a transaction or an inbox row, as nothing happened
   * that a redelivery could repeat.
   */
  select?(events: PreparedEvent<T>[]): Promise<PreparedEvent<T>[]>;
  /** Applies the events not seen before, in stream order, inside the batch's transaction. */
  apply(em: EntityManager, events: PreparedEvent<T>[]): Promise<void>;
}

/** Effects that are idempotent by themselves (a repeat changes nothing): no inbox, no enclosing transaction. */
export interface IdempotentConsumer<T> extends ConsumerBasics<T> {
  applyIdempotently(events: PreparedEvent<T>[]): Promise<void>;
}

/**
 * The one way a service consumes events. The runner (consumer-runner.ts)
 * owns envelope parsing, batching and settling; this owns the rest: the
 * payload is checked against its contract schema (parseEventData), events
 * that change nothing are acknowledged without touching the database, and
 * the others are applied in one transaction whose single inbox statement
 * drops the ones applied before. A batch that fails is settled event by
 * event by the runner, through the same path with one event.
 */
export function eventConsumer<T = EventEnvelope>(definition: TransactionalConsumer<T> | IdempotentConsumer<T>): ConsumerSpec {
  const reads = new Set(definition.reads);
  const prepare = definition.prepare ?? ((envelope: EventEnvelope) => envelope as T);

  const prepareAll = (envelopes: EventEnvelope[]): PreparedEvent<T>[] => {
    const prepared: PreparedEvent<T>[] = [];
    for (const raw of envelopes) {
      if (!reads.has(raw.type)) continue;
      const envelope = { ...raw, data: parseEventData(raw.type, raw.data) };
      const change = prepare(envelope);
      if (change !== undefined) prepared.push({ envelope, change });
    }
    return prepared;
  };

  /** Applies the events; resolves to how many of them the inbox knew already (0 where no inbox is kept). */
  const applyAll = async (envelopes: EventEnvelope[]): Promise<number> => {
    let events = prepareAll(envelopes);
    if (events.length === 0) return 0;
    if ('applyIdempotently' in definition) {
      await definition.applyIdempotently(events);
      return 0;
    }
    if (definition.select) {
      events = await definition.select(events);
      if (events.length === 0) return 0;
    }
    // An event older than inbox rows are kept was applied before a restore brought it back (inbox-retention.ts).
    const current = events.filter((event) => !outlivedItsInboxRow(event.envelope));
    if (current.length === 0) return events.length;
    return definition.orm.em.fork().transactional(async (em) => {
      const claimed = await claimInboxEntries(em, definition.schema, definition.declaration.durable, [...new Set(current.map((event) => event.envelope.id))]);
      const fresh = current.filter((event) => claimed.delete(event.envelope.id));
      if (fresh.length > 0) await definition.apply(em, fresh);
      return events.length - fresh.length;
    });
  };

  return {
    declaration: definition.declaration,
    handle: async (envelope): Promise<HandleOutcome> => ((await applyAll([envelope])) > 0 ? 'duplicate' : 'applied'),
    handleBatch: (envelopes) => applyAll(envelopes),
  };
}
