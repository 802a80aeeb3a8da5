import { Kvm, type KV } from '@nats-io/kv';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** What is kept per key: first the claim, then the response that every repeat gets. */
export type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; claimed_at: number }
  | { state: 'done'; fingerprint: string; status: number; body: string; content_type: string };

export const IDEMPOTENCY_BUCKET = 'IDEMPOTENCY';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Idempotency records in a JetStream key-value bucket shared by every
 * gateway replica: `create` is atomic (one claim per key wins), entries
 * expire after 24 h (the bucket's TTL), and updates compare revisions.
 */
export class IdempotencyStore {
  private readonly kv: KV;

  private constructor(kv: KV) {
    this.kv = kv;
  }

  /** `timeoutMs` bounds every KV call: a slow store must not add its own 5 s to a request's deadline. */
  static async open(connection: NatsConnection, replicas: number, timeoutMs: number): Promise<IdempotencyStore> {
    const kv = await new Kvm(jetstream(connection, { timeout: timeoutMs })).create(IDEMPOTENCY_BUCKET, { ttl: DAY_MS, history: 1, replicas });
    return new IdempotencyStore(kv);
  }

  /** Claims the key; false when a record exists already. */
  async claim(key: string, record: IdempotencyRecord): Promise<boolean> {
    try {
      await this.kv.create(key, JSON.stringify(record));
      return true;
    } catch (error) {
      if (/wrong last sequence|key exists/i.test((error as Error).message)) return false;
      throw error;
    }
  }

  async read(key: string): Promise<{ record: IdempotencyRecord; revision: number } | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return { record: entry.json<IdempotencyRecord>(), revision: entry.revision };
  }

  /** Replaces a record only if nobody changed it since `revision` was read; false when someone did. */
  async replace(key: string, record: IdempotencyRecord, revision: number): Promise<boolean> {
    try {
      await this.kv.update(key, JSON.stringify(record), revision);
      return true;
    } catch {
      return false;
    }
  }

  async store(key: string, record: IdempotencyRecord): Promise<void> {
    await this.kv.put(key, JSON.stringify(record));
  }

  async release(key: string): Promise<void> {
    await this.kv.delete(key);
  }
}
