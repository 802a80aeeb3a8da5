import { createParser } from 'eventsource-parser';

export interface FeedEvent {
  id: string;
  type: string;
  aggregateId: string;
}

/** Listens to the public SSE feed from now on and keeps what it sees. */
export async function openFeed(url: string): Promise<{ events: FeedEvent[]; close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`GET ${url}: ${response.status}`);
  const events: FeedEvent[] = [];
  let ready: () => void = () => {};
  const connected = new Promise<void>((resolve) => (ready = resolve));
  const parser = createParser({
    // The gateway comments "connected" once this stream is registered for live events.
    onComment: (text) => {
      if (text.trim() === 'connected') ready();
    },
    onEvent: (message) => {
      if (message.data) events.push({ id: message.id ?? '', type: message.event ?? '', aggregateId: (JSON.parse(message.data) as { aggregate_id: string }).aggregate_id });
    },
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // aborted by close()
    }
  })();
  await connected;
  return { events, close: () => controller.abort() };
}
