import type { components, paths } from './generated/openapi.ts';
import type { HttpMethod } from './http/transport.ts';

/**
 * Request and response types read off the OpenAPI document the gateway
 * publishes (generated into ./generated/openapi.ts), so the client follows
 * the contract instead of restating it: a route that changes there changes
 * here, and a call to a route or field that no longer exists stops compiling.
 */
export type ApiPath = keyof paths;

type Operation<P extends ApiPath, M extends HttpMethod> = NonNullable<paths[P][M]>;
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : undefined;
type SuccessStatus = 200 | 201 | 202 | 204;

/** The JSON body a route takes. */
export type RequestBody<P extends ApiPath, M extends HttpMethod> = Operation<P, M> extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : never;

/** The query parameters a route takes. */
export type QueryOf<P extends ApiPath, M extends HttpMethod = 'get'> = Operation<P, M> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

/** What a route answers on success. */
export type ResponseOf<P extends ApiPath, M extends HttpMethod = 'get'> = Operation<P, M> extends { responses: infer Responses }
  ? { [Status in keyof Responses & SuccessStatus]: JsonOf<Responses[Status]> }[keyof Responses & SuccessStatus]
  : never;

/** The item type of a list route (`{data: [...], next_cursor}`). */
export type ItemOf<P extends ApiPath, M extends HttpMethod = 'get'> = ResponseOf<P, M> extends { data: readonly (infer Item)[] } ? Item : never;

/** Every named schema of the document (`Schemas['Job']`, `Schemas['Service']`, …). */
export type Schemas = components['schemas'];

// Names for the shapes callers handle most, read off the routes that return them.
export type Agent = ResponseOf<'/api/agents/{id}'>;
export type MyAgentProfile = ResponseOf<'/api/agents/me'>;
export type RegisteredAgent = ResponseOf<'/api/agents', 'post'>;
export type Service = ResponseOf<'/api/services/{id}'>;
export type Job = ResponseOf<'/api/jobs/{id}'>;
export type JobTree = ResponseOf<'/api/jobs/{id}/tree'>;
export type Wallet = ResponseOf<'/api/wallet'>;
export type Inbox = ResponseOf<'/api/inbox'>;
export type MarketStats = ResponseOf<'/api/stats'>;
