import { z } from 'zod';
import { AppError } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const limitSchema = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
export const cursorSchema = z.string().min(1).max(512);

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** A keyset position: the sort value of the last row and its id. */
export interface CursorPosition {
  value: string | number;
  id: string;
}

/** The opaque cursor after `position` in the list named `list` (the name travels inside, so another list refuses it). */
export function encodeCursor(position: CursorPosition, list: string): string {
  return Buffer.from(JSON.stringify([list, position.value, position.id])).toString('base64url');
}

/** Which list a cursor belongs to, and what its sort value and id must look like. */
export interface CursorShape {
  list: string;
  value: 'uuid' | 'integer' | 'decimal' | 'text';
  id: 'uuid' | 'text';
}

/** The shape of a list that pages by id alone (UUID v7 ids sort by creation). */
export function idCursor(list: string): CursorShape {
  return { list, value: 'uuid', id: 'uuid' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d{1,18}(\.\d{1,6})?$/;
const TEXT = /^[\x20-\x7e]{1,200}$/;

function fits(kind: CursorShape['value'], value: string | number): boolean {
  if (kind === 'integer') return typeof value === 'number' ? Number.isSafeInteger(value) : /^-?\d{1,15}$/.test(value);
  if (typeof value !== 'string') return kind === 'decimal' && Number.isFinite(value);
  if (kind === 'uuid') return UUID.test(value);
  if (kind === 'decimal') return DECIMAL.test(value);
  return TEXT.test(value);
}

/**
 * The one cursor codec: every list decodes its cursors here, against its
 * name and the shape it expects, so a forged cursor, or one from another
 * list, is `validation_failed` (400) everywhere and never reaches SQL as a
 * value of the wrong type.
 */
export function decodeCursor(cursor: string, shape: CursorShape): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      parsed[0] === shape.list &&
      (typeof parsed[1] === 'string' || typeof parsed[1] === 'number') &&
      typeof parsed[2] === 'string' &&
      fits(shape.value, parsed[1]) &&
      fits(shape.id, parsed[2])
    ) {
      return { value: parsed[1], id: parsed[2] };
    }
  } catch {
    // fall through to the validation error below
  }
  throw invalidCursor('not a cursor returned by this list');
}

function invalidCursor(why: string): AppError {
  return new AppError('validation_failed', 'Invalid cursor', { cursor: why });
}

/** A list's cursors for a position of its own type (a sort key, a sequence number…), on the wire format above. */
export interface CursorCodec<Position> {
  encode(position: Position): string;
  /** The position; `validation_failed` (400) when the cursor is not one `encode` made. */
  decode(cursor: string): Position;
}

/**
 * A typed codec over `encodeCursor`/`decodeCursor`: `toCursor` flattens the
 * list's position into a value and an id, `fromCursor` rebuilds it and
 * returns undefined for what this list could never have encoded (a cursor
 * of another sort, say); `refusal` is the error detail then.
 */
export function cursorCodec<Position>(
  shape: CursorShape,
  mapping: { toCursor(position: Position): CursorPosition; fromCursor(position: CursorPosition): Position | undefined },
  refusal = 'not a cursor returned by this list',
): CursorCodec<Position> {
  return {
    encode: (position) => encodeCursor(mapping.toCursor(position), shape.list),
    decode: (cursor) => {
      const position = mapping.fromCursor(decodeCursor(cursor, shape));
      if (position === undefined) throw invalidCursor(refusal);
      return position;
    },
  };
}
