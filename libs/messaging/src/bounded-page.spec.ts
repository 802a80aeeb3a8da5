import { describe, expect, it } from 'vitest';
import { boundedPage } from './bounded-page.ts';

const rows = (count: number, size: number) => Array.from({ length: count }, (_, i) => ({ id: String(i), text: 'x'.repeat(size) }));
const cursor = (row: { id: string }) => `after:${row.id}`;

describe('boundedPage', () => {
  it('gives `limit` items and a cursor when more rows exist and they fit', () => {
    const page = boundedPage(rows(11, 10), 10, (row) => row, cursor, 10_000);
    expect(page.data).toHaveLength(10);
    expect(page.next_cursor).toBe('after:9');
  });

  it('has no cursor on the last page', () => {
    expect(boundedPage(rows(3, 10), 10, (row) => row, cursor, 10_000)).toMatchObject({ next_cursor: null });
  });

  it('cuts a page of large items to the byte budget and continues after the last one kept', () => {
    const page = boundedPage(rows(5, 400), 10, (row) => row, cursor, 1000);
    expect(page.data.map((item) => item.id)).toEqual(['0', '1']);
    expect(page.next_cursor).toBe('after:1');
    expect(Buffer.byteLength(JSON.stringify(page.data))).toBeLessThanOrEqual(1000);
  });

  it('keeps one item even when it alone is over the budget, so paging moves on', () => {
    const page = boundedPage(rows(2, 5000), 10, (row) => row, cursor, 1000);
    expect(page.data).toHaveLength(1);
    expect(page.next_cursor).toBe('after:0');
  });
});
