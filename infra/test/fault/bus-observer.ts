import { vi } from 'vitest';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/**
 * Watches request subjects as a plain (non-queue) subscriber: core NATS
 * hands it a copy of every request the gateway sends, while the service's
 * queue group still gets the original. So the suite knows the moment a
 * request has left the gateway for its service, without replying to it.
 */
export class BusObserver {
  private readonly connection: NatsConnection;
  private readonly subscriptions: Subscription[] = [];
  private readonly seen: { subject: string; text: string }[] = [];

  private constructor(connection: NatsConnection) {
    this.connection = connection;
  }

  static async open(natsUrl: string, subjects: string[]): Promise<BusObserver> {
    const observer = new BusObserver(await connect({ servers: natsUrl, name: 'fault-suite-observer' }));
    for (const subject of subjects) {
      observer.subscriptions.push(
        observer.connection.subscribe(subject, {
          callback: (_error, message) => {
            observer.seen.push({ subject, text: message.string() });
          },
        }),
      );
    }
    // The subscriptions must be known to the server before anything is sent that they should see.
    await observer.connection.flush();
    return observer;
  }

  /** Resolves once a request on `subject` whose body contains every one of `fragments` has gone out. */
  async waitFor(subject: string, fragments: string[], timeoutMs: number): Promise<void> {
    const matches = () => this.seen.some((entry) => entry.subject === subject && fragments.every((fragment) => entry.text.includes(fragment)));
    await vi.waitFor(
      () => {
        if (!matches()) throw new Error(`no request on ${subject} containing ${fragments.join(', ')} within ${timeoutMs} ms`);
      },
      { timeout: timeoutMs, interval: 5 },
    );
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
