import type { AgentCard } from '@a2a-js/sdk';
import { ClientFactory, DefaultAgentCardResolver, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';

/** The card's place under a seller's a2a_url: `{a2a_url}/.well-known/agent-card.json`. */
export function cardUrlOf(a2aUrl: string): string {
  return new URL('.well-known/agent-card.json', a2aUrl.endsWith('/') ? a2aUrl : `${a2aUrl}/`).toString();
}

/** A card for an endpoint that publishes none: the a2a_url is its JSON-RPC endpoint (A2A 1.0). */
function bareCard(a2aUrl: string): AgentCard {
  return {
    name: 'seller',
    description: '',
    supportedInterfaces: [{ url: a2aUrl, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    provider: undefined,
    version: '',
    capabilities: undefined,
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain', 'application/json'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: [],
    signatures: [],
  } as AgentCard;
}

/**
 * An official A2A client for a seller, every request through `guardedFetch`
 * (checked and pinned). The card is read from under the a2a_url; an endpoint
 * without one (404) is used as the JSON-RPC endpoint itself. The client does
 * not block on sends (polling mode): the executor follows the task itself.
 */
export async function sellerClient(a2aUrl: string, guardedFetch: typeof fetch, signal?: AbortSignal): Promise<Client> {
  const factory = new ClientFactory({
    transports: [new JsonRpcTransportFactory({ fetchImpl: guardedFetch, legacyCompat: { enabled: true } })],
    clientConfig: { polling: true },
    // A v0.3-shaped card is read as one, and its interfaces get the v0.3 transport.
    cardResolver: new DefaultAgentCardResolver({ fetchImpl: guardedFetch, legacyCompat: { enabled: true } }),
  });
  const response = await guardedFetch(cardUrlOf(a2aUrl), { headers: { 'A2A-Version': '1.0', accept: 'application/json' }, signal });
  if (response.status === 404) {
    await response.body?.cancel();
    return factory.createFromAgentCard(bareCard(a2aUrl));
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`the agent card at ${cardUrlOf(a2aUrl)} answered ${response.status}`);
  }
  return factory.createFromAgentCard((await response.json()) as AgentCard);
}
