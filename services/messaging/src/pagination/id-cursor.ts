import { AppError, UUID_PATTERN, decodeCursor, encodeCursor, type Page } from '@agentmarket/contracts';

/** The id a keyset cursor points after; ids are UUID v7, so id order is creation order. */
export function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const { id } = decodeCursor(cursor);
  // A hand-made cursor must fail as bad input, not as a database error.
  if (!UUID_PATTERN.test(id)) throw new AppError('validation_failed', 'Invalid cursor', { cursor: 'not a cursor returned by this API' });
  return id;
}

/** One page from `limit + 1` fetched rows: the extra row only says that another page exists. */
export function pageOf<Row extends { id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View): Page<View> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(view),
    next_cursor: rows.length > limit && last ? encodeCursor({ value: last.id, id: last.id }) : null,
  };
}
