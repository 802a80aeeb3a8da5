import { Kvm, type KV } from '@nats-io/kv';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';

/** How often a conflicting increment (another replica wrote the key meanwhile) is retried before giving up. */
const MAX_ATTEMPTS = 16;

/**
 * Fixed-window request counters shared by every gateway replica: one
 * JetStream KV bucket per limit (a fixed name, so the bus permissions can
 * name it), whose TTL is that limit's window (a key outlives its window by at
 * most one more window, then the bucket forgets it). A key is
 * `<counter>.<window start>`; an increment reads the count and
 * writes it back with the revision it read (create for a new key), so two
 * replicas incrementing at once never lose one: the loser retries.
 */
export class SharedWindowCounters {
  private readonly kv: KV;

  private constructor(kv: KV) {
    this.kv = kv;
  }

  /**
   * `timeoutMs` bounds every KV call, so a slow bus cannot hold requests at the door for the JetStream default.
   * A bucket made under another window gets this window's TTL: the client library keeps an existing bucket as it is.
   */
  static async open(
    connection: NatsConnection,
    options: { bucket: string; windowMs: number; replicas: number; timeoutMs: number },
  ): Promise<SharedWindowCounters> {
    const ttlMs = Math.ceil(options.windowMs / 1000) * 1000;
    const kv = await new Kvm(jetstream(connection, { timeout: options.timeoutMs })).create(options.bucket, { ttl: ttlMs, history: 1, replicas: options.replicas });
    const manager = await jetstreamManager(connection, { timeout: options.timeoutMs });
    const stream = `KV_${options.bucket}`;
    const { config } = await manager.streams.info(stream);
    if (config.max_age !== nanos(ttlMs)) await manager.streams.update(stream, { max_age: nanos(ttlMs) });
    return new SharedWindowCounters(kv);
  }

  /**
   * Adds up to `wanted` to the key's count without passing `limit`;
   * answers how much was added (0 once the limit is reached) and the count after.
   */
  async add(key: string, wanted: number, limit: number): Promise<{ granted: number; total: number }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await this.kv.get(key);
      const live = entry !== null && entry.operation === 'PUT';
      const current = live ? Number(entry.string()) || 0 : 0;
      const granted = Math.max(0, Math.min(wanted, limit - current));
      if (granted === 0) return { granted: 0, total: current };
      try {
        if (live) await this.kv.update(key, String(current + granted), entry.revision);
        else await this.kv.create(key, String(current + granted));
        return { granted, total: current + granted };
      } catch (error) {
        if (!/wrong last sequence|key exists/i.test((error as Error).message)) throw error;
      }
    }
    throw new Error(`rate-limit counter ${key}: too much contention`);
  }
}
