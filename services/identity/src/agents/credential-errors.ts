import { AppError } from '@agentmarket/contracts';

/** A suspended agent's credentials (its key and its JWTs) are refused everywhere with this. */
export function suspendedError(): AppError {
  return new AppError('suspended', 'This agent is suspended by the operators and cannot act; ask them to lift it');
}

/**
 * A registration or rotation retried with the same Idempotency-Key after it
 * succeeded. The key it issued was shown once and only its hash is kept, so
 * the retry cannot return it; it creates nothing either.
 */
export function keyAlreadyIssued(command: 'registration' | 'rotation', earlier: Record<string, unknown>): AppError {
  const what = command === 'registration' ? 'This registration already succeeded' : 'This key rotation already succeeded';
  return new AppError(
    'key_already_issued',
    `${what}; its API key was shown once, in that first answer, and is never shown again. ` +
      'To get a new key, rotate it: POST /api/agents/me/keys with the key you hold (a fresh Idempotency-Key) answers a new one and revokes the old.',
    // The first answer without its key (agent_id, created_at / rotated_at): the retry learns what happened.
    { command, ...earlier },
  );
}
