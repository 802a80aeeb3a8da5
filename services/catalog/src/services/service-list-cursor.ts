import { CURRENCIES, SERVICE_SORTS, cursorCodec, type CursorCodec, type CursorShape } from '@agentmarket/contracts';
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

/** Every sort's cursors live in one list; the key is text so a cursor of another list or of no sort is refused first. */
const SERVICES_LIST: CursorShape = { list: 'services', value: 'text', id: 'uuid' };

/** The sort's name travels with the key so that a cursor cannot be replayed under another sort. */
function sortCodec(sort: ServiceSort): CursorCodec<ListPosition> {
  const prefix = `${sort}:`;
  const checks = KEY_CHECKS[sort];
  return cursorCodec<ListPosition>(
    SERVICES_LIST,
    {
      toCursor: ({ key, id }) => ({ value: `${prefix}${key.join(',')}`, id }),
      fromCursor: ({ value, id }) => {
        if (typeof value !== 'string' || !value.startsWith(prefix)) return undefined;
        const key = value.slice(prefix.length).split(',');
        return key.length === checks.length && checks.every((check, index) => check(key[index] ?? '')) ? { key, id } : undefined;
      },
    },
    `not a cursor of sort=${sort} returned by this API`,
  );
}

const CODECS = Object.fromEntries(SERVICE_SORTS.map((sort) => [sort, sortCodec(sort)])) as Record<ServiceSort, CursorCodec<ListPosition>>;

/** The opaque `next_cursor` of a page. */
export function encodeListCursor(sort: ServiceSort, position: ListPosition): string {
  return CODECS[sort].encode(position);
}

/** The position a cursor points at; validation_failed when it is not a cursor of this sort. */
export function decodeListCursor(sort: ServiceSort, cursor: string): ListPosition {
  return CODECS[sort].decode(cursor);
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
