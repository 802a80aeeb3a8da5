import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got: its headers and the raw body, as a verifier needs them. */
export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers the n-th request (0-based): a status, or `hang` (never answer). */
export type Answer = number | 'hang';

/**
 * A real HTTP endpoint on 127.0.0.1 standing in for an agent's webhook
 * receiver: it records every request and answers as the test says.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly server: Server;
  private answer: (index: number) => Answer;

  private constructor(answer: (index: number) => Answer) {
    this.answer = answer;
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const index = this.received.length;
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = this.answer(index);
        // A hanging answer is left open until stop() closes the connection.
        if (answer !== 'hang') response.writeHead(answer).end();
      });
    });
  }

  static async start(answer: (index: number) => Answer = () => 200): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(answer);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
