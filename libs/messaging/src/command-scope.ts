import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/** The Idempotency-Key of the command being handled, as the owning service keeps it. */
export interface IdempotencyClaim {
  /** sha256 of the scoped key: what the record is looked up by (the key itself is never stored). */
  keyHash: string;
  /** sha256 of the subject and the command's bytes: a reuse of the key for another command is refused. */
  requestHash: string;
  /** Seals the stored reply: only a caller holding the key can read it back (replies may carry an API key). */
  sealKey: Buffer;
  /** Set once a use case recorded the key with its effect (see commandTransaction). */
  recorded: boolean;
}

/** What the responder knows about the request it is handling, for the code below it. */
export interface CommandScope {
  subject: string;
  /** Epoch ms after which the caller no longer waits; undefined when the caller sent no timeout. */
  deadline: number | undefined;
  idempotency: IdempotencyClaim | undefined;
  /** The most bytes a reply may take on this connection (max_payload less the envelope's room). */
  replyBudgetBytes: number;
  /** Called when a keyed command is answered from its record (for the metrics). */
  onReplay?: () => void;
}

const storage = new AsyncLocalStorage<CommandScope>();

export function runInCommandScope<T>(scope: CommandScope, work: () => Promise<T>): Promise<T> {
  return storage.run(scope, work);
}

/** The scope of the request being handled, if any (undefined in consumers and background loops). */
export function currentCommand(): CommandScope | undefined {
  return storage.getStore();
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** `keyDigest`: the header's sha256 of the scoped key; the record keeps only a hash of it. */
export function idempotencyClaimFor(keyDigest: string, subject: string, commandBytes: Uint8Array): IdempotencyClaim {
  return {
    keyHash: sha256('key\n', keyDigest).toString('hex'),
    requestHash: sha256(subject, '\n', commandBytes).toString('hex'),
    sealKey: sha256('seal\n', keyDigest),
    recorded: false,
  };
}

/** Reply budget when no request is being handled: NATS's default max_payload less room for the envelope. */
export const DEFAULT_REPLY_BUDGET_BYTES = 1024 * 1024 - 16 * 1024;

/** The reply budget of the current request (a list handler pages by it). */
export function replyBudgetBytes(): number {
  return currentCommand()?.replyBudgetBytes ?? DEFAULT_REPLY_BUDGET_BYTES;
}

/** Milliseconds left before the current request's caller gives up, if it said. */
export function remainingMs(): number | undefined {
  const deadline = currentCommand()?.deadline;
  return deadline === undefined ? undefined : deadline - Date.now();
}

/**
 * For a saga that keys its first row with the Idempotency-Key itself (a
 * hire, a task): the key is recorded, just not by commandTransaction, so the
 * responder does not warn that the command went unprotected.
 */
export function markKeyRecordedByUseCase(): void {
  const claim = currentCommand()?.idempotency;
  if (claim) claim.recorded = true;
}
