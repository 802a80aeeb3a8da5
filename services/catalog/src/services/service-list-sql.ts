import { CATALOG_SCHEMA } from '../schema.ts';
import type { ServiceListPlan } from './service-list-plan.ts';
import type { ServiceSort } from './service-list-cursor.ts';
import { SERVICE_COLUMN_NAMES } from './service-row.ts';

const SERVICE_COLUMNS = SERVICE_COLUMN_NAMES.map((column) => `s.${column}`).join(', ');

const RANK = 'ts_rank(s.search_vector, query)';
const PRICE = 'coalesce(s.price_cents, s.price_sats)';

interface SortOrder {
  /** Key expressions with the type a cursor value is cast to; the id always follows as the tie-breaker. */
  keys: { expression: string; type: string }[];
  direction: 'asc' | 'desc';
}

/** Each sort matches an index of the migration: (created_at, id), (currency, price, id), (agent_reputation, id). */
const SORT_ORDERS: Record<ServiceSort, SortOrder> = {
  newest: { keys: [{ expression: 's.created_at', type: 'timestamptz' }], direction: 'desc' },
  price: {
    keys: [
      { expression: 's.currency', type: 'text' },
      { expression: PRICE, type: 'bigint' },
    ],
    direction: 'asc',
  },
  reputation: { keys: [{ expression: 's.agent_reputation', type: 'numeric' }], direction: 'desc' },
  relevance: { keys: [{ expression: RANK, type: 'real' }], direction: 'desc' },
};

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * One statement for one page: filters, keyset condition and order, with
 * limit + 1 rows so the caller knows whether another page follows. The
 * search query is a FROM item so its text is bound once.
 */
export function serviceListSql(plan: ServiceListPlan): SqlQuery {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const order = SORT_ORDERS[plan.sort];
  const searching = plan.text !== undefined;
  let from = `${CATALOG_SCHEMA}.services s`;
  if (searching) {
    from += ", websearch_to_tsquery('english', ?) query";
    params.push(plan.text);
    conditions.push('s.search_vector @@ query');
  }
  if (!plan.includeInactive) conditions.push('s.is_active');
  // Suspended services (or services of a suspended agent) are out of every list, include_inactive or not.
  conditions.push('s.suspended_at is null and not s.agent_suspended');
  if (plan.capability !== undefined) {
    conditions.push('s.capabilities_required @> array[?]::text[]');
    params.push(plan.capability);
  }
  if (plan.agentId !== undefined) {
    conditions.push('s.agent_id = ?');
    params.push(plan.agentId);
  }
  if (plan.currency !== undefined) {
    conditions.push('s.currency = ?');
    params.push(plan.currency);
  }
  if (plan.minAmount !== undefined) {
    conditions.push(`${PRICE} >= ?`);
    params.push(plan.minAmount);
  }
  if (plan.maxAmount !== undefined) {
    conditions.push(`${PRICE} <= ?`);
    params.push(plan.maxAmount);
  }
  if (plan.after) {
    // Every key of a sort runs in the same direction, so one row comparison is the whole keyset condition.
    const left = [...order.keys.map((key) => key.expression), 's.id'].join(', ');
    const right = [...order.keys.map((key) => `?::${key.type}`), '?::uuid'].join(', ');
    conditions.push(`(${left}) ${order.direction === 'desc' ? '<' : '>'} (${right})`);
    params.push(...plan.after.key, plan.after.id);
  }
  const orderBy = [...order.keys.map((key) => key.expression), 's.id'].map((expression) => `${expression} ${order.direction}`).join(', ');
  params.push(plan.limit + 1);
  const sql = [
    `select ${SERVICE_COLUMNS}${searching ? `, ${RANK} as rank` : ''}`,
    `from ${from}`,
    conditions.length > 0 ? `where ${conditions.join(' and ')}` : '',
    `order by ${orderBy}`,
    'limit ?',
  ]
    .filter((line) => line !== '')
    .join(' ');
  return { sql, params };
}
