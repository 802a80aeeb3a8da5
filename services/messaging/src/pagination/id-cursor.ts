import { boundedPage } from '@agentmarket/messaging';
import { AppError, UUID_PATTERN, decodeCursor, encodeCursor, type Page } from '@agentmarket/contracts';

/** The id a keyset cursor points after; ids are UUID v7, so id order is creation order. */
export function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const { id } = decodeCursor(cursor);
  // A hand-made cursor must fail as bad input, not as a database error.
  if (!UUID_PATTERN.test(id)) throw new AppError('validation_failed', 'Invalid cursor', { cursor: 'not a cursor returned by this API' });
  return id;
}

/** One page from `limit + 1` fetched rows, bounded in bytes like every list (boundedPage). */
export function pageOf<Row extends { id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View): Page<View> {
  return boundedPage(rows, limit, view, (last) => encodeCursor({ value: last.id, id: last.id }));
}
