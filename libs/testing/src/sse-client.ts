import { createParser } from 'eventsource-parser';
import { vi } from 'vitest';

export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: any;
}

/**
 * Reads an SSE stream over fetch (so it can send headers such as
 * X-Agent-Key and Last-Event-ID) and keeps every event it receives.
 */
export class SseTestClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  private readonly controller = new AbortController();
  private done: Promise<void> | undefined;
  status = 0;

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseTestClient> {
    const client = new SseTestClient();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: client.controller.signal });
    client.status = response.status;
    if (!response.body) throw new Error(`no SSE body (status ${response.status})`);
    client.done = client.read(response.body);
    // The server comments "connected" once the client is registered for live events.
    await client.waitForComment('connected');
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createParser({
      onEvent: (message) => this.events.push({ id: message.id, event: message.event, data: JSON.parse(message.data) }),
      onComment: (text) => this.comments.push(text.trim()),
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // aborted or dropped by the server
    }
  }

  // Deadlines, not delays: generous, since two test stacks share two cores and an event crosses the outbox, the bus and the gateway.
  async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 15_000): Promise<SseEvent[]> {
    return vi.waitFor(
      () => {
        if (!predicate(this.events)) throw new Error(`SSE condition not met in ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => [e.id, e.event]))}`);
        return this.events;
      },
      { timeout: timeoutMs, interval: 20 },
    );
  }

  async waitForComment(text: string, timeoutMs = 15_000): Promise<void> {
    await vi.waitFor(
      () => {
        if (!this.comments.includes(text)) throw new Error(`no SSE comment "${text}" in ${timeoutMs} ms`);
      },
      { timeout: timeoutMs, interval: 10 },
    );
  }

  /** Resolves when the server ended the stream. */
  get ended(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  close(): void {
    this.controller.abort();
  }
}
