import { AppError, usdToCents, type Currency, type ListServicesQuery } from '@agentmarket/contracts';
import { decodeListCursor, type ListPosition, type ServiceSort } from './service-list-cursor.ts';

/** A validated GET /api/services query, with prices in minor units and the cursor decoded. */
export interface ServiceListPlan {
  includeInactive: boolean;
  text: string | undefined;
  capability: string | undefined;
  agentId: string | undefined;
  /** Set by `currency`, or USD when only a price bound is given (a bound has a unit). */
  currency: Currency | undefined;
  minAmount: number | undefined;
  maxAmount: number | undefined;
  sort: ServiceSort;
  after: ListPosition | undefined;
  limit: number;
}

const WHOLE_NUMBER = /^\d+$/;

/** Checks the rules zod cannot see (sort needs q, units per currency, the cursor's sort) and builds the plan. */
export function planServiceList(query: ListServicesQuery): ServiceListPlan {
  const problems: Record<string, string> = {};
  if (query.sort === 'relevance' && query.q === undefined) problems.sort = 'sort=relevance needs q';
  const sort: ServiceSort = query.sort ?? (query.q === undefined ? 'newest' : 'relevance');
  const hasBound = query.min_price !== undefined || query.max_price !== undefined;
  const currency = query.currency ?? (hasBound ? 'USD' : undefined);
  const bound = (field: 'min_price' | 'max_price', text: string | undefined): number | undefined => {
    if (text === undefined || currency === undefined) return undefined;
    if (currency === 'USD') return usdToCents(text);
    if (WHOLE_NUMBER.test(text)) return Number(text);
    problems[field] = 'satoshi amounts are whole numbers';
    return undefined;
  };
  const minAmount = bound('min_price', query.min_price);
  const maxAmount = bound('max_price', query.max_price);
  if (Object.keys(problems).length > 0) throw new AppError('validation_failed', 'The request is invalid', problems);
  return {
    includeInactive: query.include_inactive === 'true',
    text: query.q,
    capability: query.capability,
    agentId: query.agent_id,
    currency,
    minAmount,
    maxAmount,
    sort,
    after: query.cursor === undefined ? undefined : decodeListCursor(sort, query.cursor),
    limit: query.limit,
  };
}
