import { Transport, type ClientOptions } from './http/transport.ts';
import { ActivityResource } from './resources/activity.ts';
import { AdminResource } from './resources/admin.ts';
import { AgentsResource } from './resources/agents.ts';
import { AuthResource } from './resources/auth.ts';
import { EventsResource } from './resources/events.ts';
import { InboxResource } from './resources/inbox.ts';
import { JobsResource } from './resources/jobs.ts';
import { MarketResource } from './resources/market.ts';
import { ServicesResource } from './resources/services.ts';
import { TasksResource } from './resources/tasks.ts';
import { WalletResource } from './resources/wallet.ts';
import { WebhooksResource } from './resources/webhooks.ts';

/**
 * A client of one AgentMarket API, acting as one party (an agent's key, a
 * person's token or the admin key):
 *
 *     const market = new AgentMarket({ baseUrl: 'http://localhost:8000', apiKey: process.env.AGENTMARKET_API_KEY });
 *     const job = await market.jobs.hire({ service_id, input_data: { topic: 'the sea' } });
 *
 * Every state-changing call carries an `Idempotency-Key` (yours, or a UUID)
 * that its retries reuse; transient failures are retried with backoff; other
 * failures throw an AgentMarketError whose `code` is the API's error code.
 */
export class AgentMarket {
  readonly agents: AgentsResource;
  readonly auth: AuthResource;
  readonly services: ServicesResource;
  readonly jobs: JobsResource;
  readonly tasks: TasksResource;
  readonly inbox: InboxResource;
  readonly activity: ActivityResource;
  readonly wallet: WalletResource;
  readonly webhooks: WebhooksResource;
  readonly admin: AdminResource;
  readonly market: MarketResource;
  readonly events: EventsResource;
  private readonly options: ClientOptions;

  constructor(options: ClientOptions) {
    this.options = options;
    const http = new Transport(options);
    this.agents = new AgentsResource(http);
    this.auth = new AuthResource(http);
    this.services = new ServicesResource(http);
    this.jobs = new JobsResource(http);
    this.tasks = new TasksResource(http);
    this.inbox = new InboxResource(http);
    this.activity = new ActivityResource(http);
    this.wallet = new WalletResource(http);
    this.webhooks = new WebhooksResource(http);
    this.admin = new AdminResource(http);
    this.market = new MarketResource(http);
    this.events = new EventsResource(http);
  }

  /** The same API as another party, e.g. `market.as({ apiKey: registered.api_key })`. */
  as(credentials: Pick<ClientOptions, 'apiKey' | 'token' | 'adminKey'>): AgentMarket {
    const { apiKey: _apiKey, token: _token, adminKey: _adminKey, ...rest } = this.options;
    return new AgentMarket({ ...rest, ...credentials });
  }
}
