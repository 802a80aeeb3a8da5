import { describe, expectTypeOf, it } from 'vitest';
import type { Job, QueryOf, RequestBody, ResponseOf } from './api-types.ts';
import { AgentMarket } from './client.ts';

// Checked by the typecheck (`tsc`): the client's types come from the generated OpenAPI types, not `any`.
describe('types read off the OpenAPI document', () => {
  it('gives calls the request and response types of their routes', () => {
    expectTypeOf<Job>().not.toBeAny();
    expectTypeOf<Job['status']>().toExtend<string>();
    expectTypeOf<RequestBody<'/api/jobs', 'post'>>().toHaveProperty('service_id');
    expectTypeOf<QueryOf<'/api/jobs'>>().toHaveProperty('role');
    expectTypeOf<ResponseOf<'/api/wallet'>>().toHaveProperty('balances');

    const market = new AgentMarket({ baseUrl: 'http://localhost:8000' });
    expectTypeOf(market.jobs.get).returns.resolves.toEqualTypeOf<Job>();
    expectTypeOf(market.jobs.list().page).returns.resolves.toHaveProperty('next_cursor');
    expectTypeOf<Parameters<typeof market.jobs.complete>[1]>().toHaveProperty('rating');
    // A route that does not exist does not compile.
    // @ts-expect-error not a route of the API
    expectTypeOf<ResponseOf<'/api/nope'>>().toBeNever();
  });
});
