import type { Page } from '@agentmarket/contracts';
import { replyBudgetBytes } from './command-scope.ts';

/**
 * One page from `limit + 1` fetched rows (the extra row only says another
 * page exists), cut short when the items' JSON would outgrow the reply
 * budget: a page may then hold fewer than `limit` items and `next_cursor`
 * continues right after the last one it holds. At least one item is kept,
 * so paging always moves forward.
 */
export function boundedPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorAfter: (row: Row) => string,
  budgetBytes: number = replyBudgetBytes(),
): Page<Item> {
  const data: Item[] = [];
  let used = 0;
  let cutShort = false;
  for (const row of rows.slice(0, limit)) {
    const item = toItem(row);
    // Measured as the reply will encode it; +1 for the comma between items.
    const bytes = Buffer.byteLength(JSON.stringify(item) ?? '') + 1;
    if (data.length > 0 && used + bytes > budgetBytes) {
      cutShort = true;
      break;
    }
    data.push(item);
    used += bytes;
  }
  const lastKept = rows[data.length - 1];
  const more = cutShort || rows.length > limit;
  return { data, next_cursor: more && lastKept !== undefined ? cursorAfter(lastKept) : null };
}
