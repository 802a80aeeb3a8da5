import { EventSubscription, type SubscribeOptions } from '../events/event-subscription.ts';
import { Resource } from './resource.ts';

/** The live feed (Server-Sent Events). */
export class EventsResource extends Resource {
  /**
   * Every event this client may see, as they happen, across reconnects:
   *
   *     for await (const event of client.events.subscribe({ types: ['job_created'], signal })) …
   */
  subscribe(options: SubscribeOptions = {}): EventSubscription {
    return new EventSubscription(this.http, options);
  }
}
