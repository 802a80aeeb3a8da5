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
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(': connected')) ready();
          const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          const data = field('data');
          if (data) events.push({ id: field('id') ?? '', type: field('event') ?? '', aggregateId: (JSON.parse(data) as { aggregate_id: string }).aggregate_id });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  await connected;
  return { events, close: () => controller.abort() };
}
