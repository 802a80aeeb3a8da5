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
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
        }
      }
    } catch {
      // aborted or dropped by the server
    }
  }

  private parse(block: string): void {
    const event: SseEvent = { id: undefined, event: undefined, data: undefined };
    let isComment = true;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments.push(line.slice(1).trim());
        continue;
      }
      isComment = false;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') event.data = JSON.parse(value);
    }
    if (!isComment) this.events.push(event);
  }

  // Deadlines, not delays: generous, since two test stacks share two cores and an event crosses the outbox, the bus and the gateway.
  async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 15_000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline) throw new Error(`SSE condition not met in ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => [e.id, e.event]))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.events;
  }

  async waitForComment(text: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.comments.includes(text)) {
      if (Date.now() > deadline) throw new Error(`no SSE comment "${text}" in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Resolves when the server ended the stream. */
  get ended(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  close(): void {
    this.controller.abort();
  }
}
