import { describe, expect, it } from 'vitest';
import { AppError, encodeCursor, uuidv7 } from '@agentmarket/contracts';
import { cursorId, idPageOf } from './id-page.ts';

const rows = Array.from({ length: 5 }, () => ({ id: uuidv7() }));

describe('id cursors', () => {
  it('pages rows and points the cursor after the last row shown', () => {
    const page = idPageOf(rows.slice(0, 3), 2, (row) => row.id, 'inbox');
    expect(page.data).toEqual([rows[0]?.id, rows[1]?.id]);
    expect(cursorId(page.next_cursor ?? undefined, 'inbox')).toBe(rows[1]?.id);
    expect(idPageOf(rows.slice(0, 2), 2, (row) => row.id, 'inbox').next_cursor).toBeNull();
    expect(idPageOf([], 2, (row: { id: string }) => row.id, 'inbox')).toEqual({ data: [], next_cursor: null });
  });

  it('accepts no cursor, and refuses one that does not hold an id', () => {
    expect(cursorId(undefined, 'inbox')).toBeUndefined();
    expect(() => cursorId('garbage', 'inbox')).toThrow(AppError);
    expect(() => cursorId(encodeCursor({ value: 1, id: "x'; drop table" }, 'inbox'), 'inbox')).toThrow(AppError);
  });
});
