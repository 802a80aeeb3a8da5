import type { QueryOf } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** The platform activity log (`agent_id`, `job_id` filter); iterate for every page. */
export class ActivityResource extends Resource {
  list(query: QueryOf<'/api/activity'> = {} as QueryOf<'/api/activity'>, options?: CallOptions) {
    return this.paged('/api/activity', query, undefined, options);
  }
}
