/** One page of a list route: `{data: [...], next_cursor}` (a null cursor: the last page). */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * A list call. Iterate it to get every item across pages, following
 * `next_cursor` (a page may hold fewer items than `limit`: pages are bounded
 * in bytes too, so only a null cursor means the end):
 *
 *     for await (const job of client.jobs.list({ role: 'worker' })) …
 *
 * or ask for a single page with `page()` (the cursor given in the query, or the first).
 */
export class PagedList<T> implements AsyncIterable<T> {
  private readonly fetchPage: (cursor: string | undefined) => Promise<Page<T>>;
  private readonly startCursor: string | undefined;

  constructor(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, startCursor?: string) {
    this.fetchPage = fetchPage;
    this.startCursor = startCursor;
  }

  /** One page: the one at `cursor`, else the one the list was asked for. */
  page(cursor: string | undefined = this.startCursor): Promise<Page<T>> {
    return this.fetchPage(cursor);
  }

  /** Every page in turn. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor = this.startCursor;
    const seen = new Set<string>();
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      if (!page.next_cursor) return;
      // A server bug that hands back a cursor twice would loop forever: stop instead.
      if (seen.has(page.next_cursor)) throw new Error(`AgentMarket: the API returned cursor ${page.next_cursor} twice`);
      seen.add(page.next_cursor);
      cursor = page.next_cursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item, up to `max` (a guard against collecting an unbounded list into memory). */
  async toArray(max = 10_000): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) {
      items.push(item);
      if (items.length >= max) break;
    }
    return items;
  }
}
