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

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.value, position.id])).toString('base64url');
}

/** What a cursor's sort value and id must look like for the list that reads it. */
export interface CursorShape {
  value: 'uuid' | 'integer' | 'decimal' | 'text';
  id: 'uuid' | 'text';
}

/** Most lists page by id alone (UUID v7 ids sort by creation). */
export const ID_CURSOR: CursorShape = { value: 'uuid', id: 'uuid' };

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
 * The one cursor codec: every list decodes its cursors here, against the
 * shape it expects, so a forged or foreign cursor is `validation_failed`
 * (400) everywhere and never reaches SQL as a value of the wrong type.
 */
export function decodeCursor(cursor: string, shape: CursorShape = ID_CURSOR): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string' &&
      fits(shape.value, parsed[0]) &&
      fits(shape.id, parsed[1])
    ) {
      return { value: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the validation error below
  }
  throw new AppError('validation_failed', 'Invalid cursor', { cursor: 'not a cursor returned by this list' });
}
