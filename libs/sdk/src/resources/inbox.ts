import type { QueryOf } from '../api-types.ts';
import type { CallOptions } from '../http/transport.ts';
import { Resource } from './resource.ts';

/** My inbox: one message per transition of my jobs, and direct job messages. */
export class InboxResource extends Resource {
  /** `{messages, total, unread_count}` (`unread`, `job_id` filter). */
  list(query: QueryOf<'/api/inbox'> = {} as QueryOf<'/api/inbox'>, options?: CallOptions) {
    return this.call('get', '/api/inbox', { query }, options);
  }

  markRead(messageId: string, options?: CallOptions) {
    return this.call('post', '/api/inbox/{id}/read', { params: { id: messageId } }, options);
  }
}
