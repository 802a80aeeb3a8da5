import type { RequestBody } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** Open tasks: the coordinator picks the best service within the budget and hires it. */
export class TasksResource extends Resource {
  post(body: RequestBody<'/api/tasks', 'post'>, options?: CallOptions) {
    return this.call('post', '/api/tasks', { body }, options);
  }

  /** One of my tasks: its current job, assignment and attempts. */
  get(id: string, options?: CallOptions) {
    return this.call('get', '/api/tasks/{id}', { params: { id } }, options);
  }
}
