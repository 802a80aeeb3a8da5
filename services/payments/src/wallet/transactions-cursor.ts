import { cursorCodec } from '@agentmarket/contracts';

/** Where a transactions page ends: the last entry's transfer sequence, and its transfer id as the cursor's id. */
interface LedgerPosition {
  seq: number;
  transferId: string;
}

const TRANSACTIONS = cursorCodec<LedgerPosition>(
  { list: 'transactions', value: 'integer', id: 'text' },
  {
    toCursor: ({ seq, transferId }) => ({ value: seq, id: transferId }),
    // A hand-made cursor must fail as bad input, not as a database error.
    fromCursor: ({ value, id }) => {
      const seq = Number(value);
      return Number.isSafeInteger(seq) && seq >= 1 ? { seq, transferId: id } : undefined;
    },
  },
  'not a cursor returned by this API',
);

/** The transfer sequence a transactions page continues below; none = from the newest. */
export function seqBefore(cursor: string | undefined): number | undefined {
  return cursor === undefined ? undefined : TRANSACTIONS.decode(cursor).seq;
}

/** The cursor after the last entry of a page. */
export function transactionsCursor(seq: string | number, transferId: string): string {
  return TRANSACTIONS.encode({ seq: Number(seq), transferId });
}
