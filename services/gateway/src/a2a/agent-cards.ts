import type { AgentCard, AgentExtension, AgentInterface, AgentSkill, SecurityRequirement, SecurityScheme } from '@a2a-js/sdk';
import type { PublicAgent, ServiceView } from '@agentmarket/contracts';

export const A2A_PROTOCOL_VERSION = '1.0';
/** v0.3 method names are answered too (the SDK's compatibility layer). */
export const A2A_LEGACY_PROTOCOL_VERSION = '0.3';
const MARKET_VERSION = '0.1.0';
const INPUT_MODES = ['application/json', 'text/plain'];
/**
 * An A2A skill has no field for a schema of its input, so a card whose
 * services declare input_schema carries them in this extension's params,
 * keyed by skill id (= service id). Optional: a client that ignores it still
 * hires, and is told what was wrong (invalid_inputs) when its input_data
 * does not follow the schema.
 */
export const INPUT_SCHEMAS_EXTENSION_URI = 'urn:agentmarket:a2a:input-schemas:v1';

const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  agentKey: {
    scheme: {
      $case: 'apiKeySecurityScheme',
      value: { location: 'header', name: 'X-Agent-Key', description: 'The agent API key returned at registration (POST /api/agents).' },
    },
  },
  bearer: {
    scheme: {
      $case: 'httpAuthSecurityScheme',
      value: { scheme: 'Bearer', bearerFormat: 'JWT', description: 'An agent token (POST /api/auth/token) or a buyer token (POST /api/auth/login).' },
    },
  },
};
// Either scheme is enough.
const SECURITY_REQUIREMENTS: SecurityRequirement[] = [{ schemes: { agentKey: { list: [] } } }, { schemes: { bearer: { list: [] } } }];

function jsonRpcInterfaces(url: string): AgentInterface[] {
  return [A2A_PROTOCOL_VERSION, A2A_LEGACY_PROTOCOL_VERSION].map((protocolVersion) => ({ url, protocolBinding: 'JSONRPC', protocolVersion, tenant: '' }));
}

function priceOf(service: ServiceView): string {
  return service.price_usd !== null && service.price_usd !== undefined ? `${service.price_usd} USD` : `${service.price_sats} SAT`;
}

function skillOf(service: ServiceView): AgentSkill {
  const inputs = service.required_inputs.map((input) => input.name).join(', ');
  const schema = service.input_schema ? ' input_data must follow the skill’s JSON Schema (this card’s input-schemas extension, or GET /api/services/{id}).' : '';
  return {
    id: service.id,
    name: service.name,
    description: `${service.description}\n\nPrice: ${priceOf(service)}, held in escrow at hire. Output: ${service.output_type}.${inputs ? ` Required inputs: ${inputs}.` : ''} Hire with a data part {"service_id": "${service.id}", "input_data": {…}}.${schema}`,
    tags: service.capabilities_required,
    examples: [],
    inputModes: INPUT_MODES,
    outputModes: [service.output_type === 'text' ? 'text/plain' : 'application/json'],
    securityRequirements: [],
  };
}

/** The input-schemas extension of a card whose services declare schemas; none when no service does. */
function inputSchemasExtension(services: readonly ServiceView[]): AgentExtension[] {
  const schemas = Object.fromEntries(services.filter((service) => service.input_schema).map((service) => [service.id, service.input_schema]));
  if (Object.keys(schemas).length === 0) return [];
  return [
    {
      uri: INPUT_SCHEMAS_EXTENSION_URI,
      description: 'params.schemas maps a skill id to the JSON Schema (draft 2020-12) that input_data must follow when hiring it.',
      required: false,
      params: { schemas },
    },
  ];
}

function card(fields: { name: string; description: string; url: string; baseUrl: string; skills: AgentSkill[]; extensions?: AgentExtension[] }): AgentCard {
  return {
    name: fields.name,
    description: fields.description,
    supportedInterfaces: jsonRpcInterfaces(fields.url),
    provider: { organization: 'AgentMarket', url: fields.baseUrl },
    version: MARKET_VERSION,
    documentationUrl: `${fields.baseUrl}/docs`,
    capabilities: { streaming: true, pushNotifications: true, extensions: fields.extensions ?? [], extendedAgentCard: false },
    securitySchemes: SECURITY_SCHEMES,
    securityRequirements: SECURITY_REQUIREMENTS,
    defaultInputModes: INPUT_MODES,
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: fields.skills,
    signatures: [],
  };
}

/** The card of an agent with active services: its skills are the services, hired through its JSON-RPC endpoint. */
export function agentCard(agent: PublicAgent, services: readonly ServiceView[], baseUrl: string): AgentCard {
  return card({
    name: agent.name,
    description: agent.description || `An agent on AgentMarket (reputation ${agent.reputation_score}, ${agent.jobs_completed} jobs completed).`,
    url: `${baseUrl}/a2a/agents/${agent.id}`,
    baseUrl,
    skills: services.map(skillOf),
    extensions: inputSchemasExtension(services),
  });
}

const MARKET_SKILLS: AgentSkill[] = [
  {
    id: 'search',
    name: 'Find an agent for a job',
    description: 'Search the catalog (GET /api/services?q=…), then hire a service through its agent’s card at /a2a/agents/{agent_id}/.well-known/agent-card.json.',
    tags: ['search', 'catalog'],
    examples: ['Find a service that summarises PDF reports for under 5 USD'],
    inputModes: INPUT_MODES,
    outputModes: ['application/json'],
    securityRequirements: [],
  },
  {
    id: 'open-tasks',
    name: 'Post an open task',
    description: 'Post a task with a budget (POST /api/tasks): the coordinator scores the services that fit and hires the best, with escrow.',
    tags: ['tasks', 'coordinator'],
    examples: ['Translate this text to French, budget 3 USD'],
    inputModes: INPUT_MODES,
    outputModes: ['application/json'],
    securityRequirements: [],
  },
];

/** The market's own card: what it offers, and where each agent's card is. */
export function marketCard(baseUrl: string): AgentCard {
  return card({
      name: 'AgentMarket',
      description: 'A marketplace where AI agents publish fixed-price services and hire each other, with escrow, revisions, disputes and reputation. Every agent with active services has its own card at /a2a/agents/{agent_id}/.well-known/agent-card.json.',
      url: `${baseUrl}/a2a/agents`,
      baseUrl,
      skills: MARKET_SKILLS,
  });
}
