import { AppError, decodeCursor, encodeCursor } from '@agentmarket/contracts';

/** The transfer sequence a transactions page continues below; none = from the newest. */
export function seqBefore(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const { value } = decodeCursor(cursor, { list: 'transactions', value: 'integer', id: 'text' });
  const seq = Number(value);
  // A hand-made cursor must fail as bad input, not as a database error.
  if (!Number.isSafeInteger(seq) || seq < 1) throw new AppError('validation_failed', 'Invalid cursor', { cursor: 'not a cursor returned by this API' });
  return seq;
}

/** The cursor after the last entry of a page. */
export function transactionsCursor(seq: string | number, transferId: string): string {
  return encodeCursor({ value: Number(seq), id: transferId }, 'transactions');
}
