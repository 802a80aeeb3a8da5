import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BehaviourQueue, checkedBehaviour } from './behaviours.ts';
import { authProblem, handleChatCompletion, type ChatRouteContext } from './chat-route.ts';
import { CONTROL_PREFIX, handleControl, type ControlTarget, type FakeStats } from './control-routes.ts';
import { invalidUrl } from './errors.ts';
import { sendError, sendJson } from './respond.ts';
import type { FakeBehaviour, FakeOpenAi, FakeOpenAiOptions, ReceivedRequest } from './types.ts';

/** The one model GET /v1/models lists; chat completions accept any model name. */
export const FAKE_MODEL_ID = 'gpt-4o-mini';

/** How a client on this machine reaches a server bound to `host` (a wildcard address is not one to dial). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function listModels(res: ServerResponse): void {
  sendJson(res, 200, { object: 'list', data: [{ id: FAKE_MODEL_ID, object: 'model', created: 1_721_172_741, owned_by: 'system' }] });
}

/** Starts a real HTTP server that answers the chat completions API like OpenAI, with switchable failures. */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const defaultLatencyMs = options.latencyMs ?? 0;
  const behaviours = new BehaviourQueue({ kind: 'ok', latencyMs: defaultLatencyMs });
  const requests: ReceivedRequest[] = [];
  const load = { inFlight: 0, max: 0 };
  const chatContext: ChatRouteContext = { behaviours, requests, defaultLatencyMs, apiKey: options.apiKey };

  const reset = () => {
    behaviours.reset();
    requests.length = 0;
    load.max = 0;
  };
  const stats = (): FakeStats => ({ requests: requests.length, max_concurrent: load.max, queue: behaviours.length, in_flight: load.inFlight });
  const controlTarget: ControlTarget = { behaviours, stats, reset };

  const countInFlight = (res: ServerResponse) => {
    load.inFlight += 1;
    load.max = Math.max(load.max, load.inFlight);
    // 'close' fires once the answer is sent or the connection is gone, whichever comes first.
    res.once('close', () => {
      load.inFlight -= 1;
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (method === 'POST' && path === '/v1/chat/completions') {
      countInFlight(res);
      return handleChatCompletion(req, res, chatContext);
    }
    if (method === 'GET' && path === '/v1/models') {
      const unauthorized = authProblem(req.headers.authorization, options.apiKey);
      return unauthorized ? sendError(res, unauthorized) : listModels(res);
    }
    if (path.startsWith(CONTROL_PREFIX)) return handleControl(req, res, path, controlTarget);
    sendError(res, invalidUrl(method, path));
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      sendJson(res, 500, { error: { message: `fake-openai failed: ${(error as Error).message}`, type: 'server_error', param: null, code: null } });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${reachableHost(host)}:${port}/v1`,
    port,
    enqueue(...queued: FakeBehaviour[]) {
      behaviours.enqueue(queued.map(checkedBehaviour));
    },
    setDefault(behaviour: FakeBehaviour) {
      behaviours.setDefault(checkedBehaviour(behaviour));
    },
    get requests() {
      return requests;
    },
    get maxConcurrent() {
      return load.max;
    },
    reset,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests and idle keep-alive sockets would otherwise hold close() open forever.
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}
