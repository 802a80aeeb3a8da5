import { decodeCursor, encodeCursor, idCursor, type Page } from '@agentmarket/contracts';
import { boundedPage } from './bounded-page.ts';

/**
 * Keyset paging by id, newest first, for the lists a service pages by its
 * UUID v7 ids (id order is creation order). `list` names the list in the
 * cursor, so a cursor of one list is refused by another.
 */
export function cursorId(cursor: string | undefined, list: string): string | undefined {
  if (cursor === undefined) return undefined;
  return decodeCursor(cursor, idCursor(list)).id;
}

/** One page of `list` from `limit + 1` fetched rows, bounded in bytes like every list (boundedPage). */
export function idPageOf<Row extends { id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View, list: string): Page<View> {
  return boundedPage(rows, limit, view, (last) => encodeCursor({ value: last.id, id: last.id }, list));
}
