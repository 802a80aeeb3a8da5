import { describe, expect, it } from 'vitest';
import { PagedList, type Page } from './pagination.ts';

const pages: Record<string, Page<number>> = {
  start: { data: [1, 2], next_cursor: 'b' },
  b: { data: [], next_cursor: 'c' },
  c: { data: [3], next_cursor: null },
};

describe('PagedList', () => {
  it('follows next_cursor through short and empty pages until it is null', async () => {
    const asked: (string | undefined)[] = [];
    const list = new PagedList<number>(async (cursor) => {
      asked.push(cursor);
      return pages[cursor ?? 'start']!;
    });
    const items: number[] = [];
    for await (const item of list) items.push(item);
    expect(items).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, 'b', 'c']);
    expect(await list.page()).toEqual(pages.start);
    expect(await list.toArray(2)).toEqual([1, 2]);
  });

  it('starts at the cursor it was given', async () => {
    const list = new PagedList<number>(async (cursor) => pages[cursor ?? 'start']!, 'c');
    expect(await list.toArray()).toEqual([3]);
  });

  it('stops with an error instead of looping on a repeated cursor', async () => {
    const list = new PagedList<number>(async () => ({ data: [1], next_cursor: 'same' }));
    await expect(list.toArray()).rejects.toThrow(/twice/);
  });
});
