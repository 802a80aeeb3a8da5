import { describe, expect, it } from 'vitest';
import { AppError, listServicesQuerySchema, type ListServicesQuery } from '@agentmarket/contracts';
import { encodeListCursor } from './service-list-cursor.ts';
import { planServiceList } from './service-list-plan.ts';

const query = (fields: Record<string, string> = {}): ListServicesQuery => listServicesQuerySchema.parse(fields);
const failure = (fields: Record<string, string>) => {
  try {
    planServiceList(query(fields));
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a validation failure');
};

describe('planServiceList', () => {
  it('lists active services, newest first, 20 a page by default', () => {
    expect(planServiceList(query())).toMatchObject({ includeInactive: false, sort: 'newest', limit: 20, currency: undefined, after: undefined });
  });

  it('ranks by relevance by default when searching, and allows another sort', () => {
    expect(planServiceList(query({ q: 'review' })).sort).toBe('relevance');
    expect(planServiceList(query({ q: 'review', sort: 'price' })).sort).toBe('price');
  });

  it('refuses relevance without a search', () => {
    expect(failure({ sort: 'relevance' })).toEqual({ code: 'validation_failed', details: { sort: 'sort=relevance needs q' } });
  });

  it('reads price bounds as USD when no currency is given, and restricts to USD', () => {
    expect(planServiceList(query({ min_price: '5.5', max_price: '10' }))).toMatchObject({ currency: 'USD', minAmount: 550, maxAmount: 1000 });
  });

  it('reads price bounds in satoshis for currency=SAT', () => {
    expect(planServiceList(query({ currency: 'SAT', min_price: '1000' }))).toMatchObject({ currency: 'SAT', minAmount: 1000, maxAmount: undefined });
  });

  it('refuses a decimal satoshi bound, naming each field', () => {
    expect(failure({ currency: 'SAT', min_price: '10.5', max_price: '20.00' })).toEqual({
      code: 'validation_failed',
      details: { min_price: 'satoshi amounts are whole numbers', max_price: 'satoshi amounts are whole numbers' },
    });
  });

  it('restricts to a currency without bounds', () => {
    expect(planServiceList(query({ currency: 'SAT' }))).toMatchObject({ currency: 'SAT', minAmount: undefined });
  });

  it('passes the filters through', () => {
    const agentId = '019a0000-0000-7000-8000-0000000000aa';
    expect(planServiceList(query({ capability: 'coding', agent_id: agentId, include_inactive: 'true', limit: '5' }))).toMatchObject({
      capability: 'coding',
      agentId,
      includeInactive: true,
      limit: 5,
    });
  });

  it('decodes a cursor of the same sort and refuses one of another sort', () => {
    const id = '019a0000-0000-7000-8000-000000000001';
    const cursor = encodeListCursor('price', { key: ['USD', '100'], id });
    expect(planServiceList(query({ sort: 'price', cursor })).after).toEqual({ key: ['USD', '100'], id });
    expect(failure({ cursor }).code).toBe('validation_failed');
  });
});
