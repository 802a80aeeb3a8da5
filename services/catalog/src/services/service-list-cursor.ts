import { AppError, CURRENCIES, UUID_PATTERN, decodeCursor, encodeCursor, type SERVICE_SORTS } from '@agentmarket/contracts';
import type { Service } from './service.entity.ts';
import { priceAmount } from './service.views.ts';

export type ServiceSort = (typeof SERVICE_SORTS)[number];

/** A keyset position: the sort key of the last row seen (one value per key column), then its id. */
export interface ListPosition {
  key: string[];
  id: string;
}

const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const WHOLE_NUMBER = /^\d{1,18}$/;
const SCORE = /^\d(\.\d{1,2})?$/;
const RANK = /^\d+(\.\d+)?(e[-+]?\d+)?$/i;

/** What each key value of a sort must look like, so a cursor from another sort is refused instead of reaching SQL. */
const KEY_CHECKS: Record<ServiceSort, ((value: string) => boolean)[]> = {
  newest: [(value) => ISO_MILLIS.test(value) && !Number.isNaN(Date.parse(value))],
  price: [(value) => (CURRENCIES as readonly string[]).includes(value), (value) => WHOLE_NUMBER.test(value)],
  reputation: [(value) => SCORE.test(value)],
  relevance: [(value) => RANK.test(value) && Number.isFinite(Number(value))],
};

/** The opaque `next_cursor` of a page: the sort's name travels with the key so it cannot be replayed under another sort. */
export function encodeListCursor(sort: ServiceSort, position: ListPosition): string {
  return encodeCursor({ value: `${sort}:${position.key.join(',')}`, id: position.id }, 'services');
}

/** The position a cursor points at; validation_failed when it is not a cursor of this sort. */
export function decodeListCursor(sort: ServiceSort, cursor: string): ListPosition {
  const { value, id } = decodeCursor(cursor, { list: 'services', value: 'text', id: 'uuid' });
  const prefix = `${sort}:`;
  if (typeof value === 'string' && value.startsWith(prefix) && UUID_PATTERN.test(id)) {
    const key = value.slice(prefix.length).split(',');
    const checks = KEY_CHECKS[sort];
    if (key.length === checks.length && checks.every((check, index) => check(key[index] ?? ''))) return { key, id };
  }
  throw new AppError('validation_failed', 'Invalid cursor', { cursor: `not a cursor of sort=${sort} returned by this API` });
}

/** The position of a listed service in a sort: what the next page starts after. `rank` is its ts_rank when searching. */
export function positionOf(sort: ServiceSort, service: Service, rank: number | undefined): ListPosition {
  const key =
    sort === 'newest'
      ? [service.createdAt.toISOString()]
      : sort === 'price'
        ? [service.currency, String(priceAmount(service))]
        : sort === 'reputation'
          ? [Number(service.agentReputation).toFixed(2)]
          : [String(rank ?? 0)];
  return { key, id: service.id };
}
