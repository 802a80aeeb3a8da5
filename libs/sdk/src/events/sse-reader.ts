import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';

/**
 * The messages of one SSE response body. When nothing at all arrives for
 * `idleTimeoutMs` (the server sends a heartbeat comment every 15 s or
 * sooner), the connection is taken for dead and `onIdle` is called, so that
 * a half-open TCP connection does not hang the subscription forever.
 */
export async function* sseMessages(
  body: ReadableStream<Uint8Array>,
  options: { idleTimeoutMs: number; onIdle: () => void; onRetry?: (ms: number) => void },
): AsyncGenerator<EventSourceMessage, void, undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(options.onIdle, options.idleTimeoutMs);
  };
  const activity = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      touch();
      controller.enqueue(chunk);
    },
  });
  const reader = body
    .pipeThrough(activity)
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream({ onRetry: options.onRetry }))
    .getReader();
  touch();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}
