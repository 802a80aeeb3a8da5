import { boundedPage } from '@agentmarket/messaging';
import { decodeCursor, encodeCursor, idCursor, type Page } from '@agentmarket/contracts';

/** The lists this service pages by id (newest first): a cursor of one is refused by the other. */
export type WebhooksList = 'webhooks' | 'webhook_deliveries';

/** The id a keyset cursor of `list` points after; ids are UUID v7, so id order is creation order. */
export function cursorId(cursor: string | undefined, list: WebhooksList): string | undefined {
  if (cursor === undefined) return undefined;
  return decodeCursor(cursor, idCursor(list)).id;
}

/** One page of `list` from `limit + 1` fetched rows, bounded in bytes like every list (boundedPage). */
export function pageOf<Row extends { id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View, list: WebhooksList): Page<View> {
  return boundedPage(rows, limit, view, (last) => encodeCursor({ value: last.id, id: last.id }, list));
}
