import { describe, expect, it } from 'vitest';
import { documentedStatuses, headersOf } from './route-docs.ts';

describe('the error answers a route documents', () => {
  it('adds what every route may answer to what it declares', () => {
    expect(documentedStatuses([200], { authenticated: false, hasInput: false, hasBody: false })).toEqual([200, 429, 500, 503]);
  });

  it('adds 401 and 403 for a credential, 400 for input, 413 and 415 for a body', () => {
    expect(documentedStatuses([201, 404], { authenticated: true, hasInput: true, hasBody: true })).toEqual([201, 400, 401, 403, 404, 413, 415, 429, 500, 503]);
  });
});

describe('the headers of an answer', () => {
  const names = (status: number, rateLimited: boolean) => Object.keys(headersOf(status, rateLimited));

  it('carries the rate-limit headers on the 2xx and 4xx of a counted route, Retry-After on 429 and 503', () => {
    expect(names(200, true)).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']);
    expect(names(429, true)).toEqual(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After']);
    expect(names(503, true)).toEqual(['Retry-After']);
    expect(names(500, true)).toEqual([]);
  });

  it('carries no rate-limit header on a route the limiter does not count', () => {
    expect(names(200, false)).toEqual([]);
    expect(names(429, false)).toEqual(['Retry-After']);
  });
});
