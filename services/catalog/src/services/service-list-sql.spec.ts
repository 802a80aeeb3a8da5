import { describe, expect, it } from 'vitest';
import type { ServiceListPlan } from './service-list-plan.ts';
import { serviceListSql } from './service-list-sql.ts';

const plan = (overrides: Partial<ServiceListPlan> = {}): ServiceListPlan => ({
  includeInactive: false,
  text: undefined,
  capability: undefined,
  agentId: undefined,
  currency: undefined,
  minAmount: undefined,
  maxAmount: undefined,
  sort: 'newest',
  after: undefined,
  limit: 20,
  ...overrides,
});
const placeholders = (sql: string) => sql.split('?').length - 1;

describe('serviceListSql', () => {
  it('selects active services newest first, one row beyond the page', () => {
    const { sql, params } = serviceListSql(plan());
    expect(sql).toContain('where s.is_active and s.suspended_at is null and not s.agent_suspended order by s.created_at desc, s.id desc limit ?');
    expect(sql).not.toContain('search_vector');
    expect(params).toEqual([21]);
  });

  it('binds every filter in the order of its placeholder', () => {
    const { sql, params } = serviceListSql(
      plan({ text: 'code review', capability: 'coding', agentId: 'a', currency: 'USD', minAmount: 100, maxAmount: 900, includeInactive: true, sort: 'price' }),
    );
    expect(sql).toContain("websearch_to_tsquery('english', ?) query");
    expect(sql).toContain('ts_rank(s.search_vector, query) as rank');
    expect(sql).not.toContain('is_active and');
    expect(sql).toContain(
      'where s.search_vector @@ query and s.suspended_at is null and not s.agent_suspended and s.capabilities_required @> array[?]::text[] and s.agent_id = ? and s.currency = ? and coalesce(s.price_cents, s.price_sats) >= ? and coalesce(s.price_cents, s.price_sats) <= ?',
    );
    expect(sql).toContain('order by s.currency asc, coalesce(s.price_cents, s.price_sats) asc, s.id asc');
    expect(params).toEqual(['code review', 'coding', 'a', 'USD', 100, 900, 21]);
    expect(placeholders(sql)).toBe(params.length);
  });

  it.each([
    ['newest', ['2026-11-21T10:00:00.123Z'], '(s.created_at, s.id) < (?::timestamptz, ?::uuid)'],
    ['price', ['USD', '100'], '(s.currency, coalesce(s.price_cents, s.price_sats), s.id) > (?::text, ?::bigint, ?::uuid)'],
    ['reputation', ['4.50'], '(s.agent_reputation, s.id) < (?::numeric, ?::uuid)'],
    ['relevance', ['0.5'], '(ts_rank(s.search_vector, query), s.id) < (?::real, ?::uuid)'],
  ] as const)('continues a %s page after the cursor position', (sort, key, condition) => {
    const { sql, params } = serviceListSql(plan({ sort, text: sort === 'relevance' ? 'x' : undefined, after: { key: [...key], id: 'last' } }));
    expect(sql).toContain(condition);
    expect(params.slice(-key.length - 2)).toEqual([...key, 'last', 21]);
    expect(placeholders(sql)).toBe(params.length);
  });
});
