import { AgentMarket } from '../client.ts';
import { configPath, DEFAULT_BASE_URL, readConfig, type SavedConfig } from './config.ts';
import { MissingCredentialsError, UsageError } from './exit-codes.ts';

/** What every command gets: the resolved settings and a client built from them. */
export interface CommandContext {
  baseUrl: string;
  apiKey: string | undefined;
  configFile: string;
  config: SavedConfig;
  json: boolean;
  idempotencyKey: string | undefined;
  /** A client with the caller's credentials; throws MissingCredentialsError when there are none. */
  client(): AgentMarket;
  /** A client without credentials (registration, public reads). */
  anonymous(): AgentMarket;
  out: (text: string) => void;
  err: (text: string) => void;
  signal: AbortSignal;
}

/**
 * Settings come from, first to last: the flags, the environment
 * (`AGENTMARKET_BASE_URL`, `AGENTMARKET_API_KEY`), the saved config, the defaults.
 */
export async function buildContext(options: {
  flags: { 'base-url'?: string; 'api-key'?: string; json?: boolean; 'idempotency-key'?: string; retries?: string };
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  signal: AbortSignal;
}): Promise<CommandContext> {
  const configFile = configPath(options.env);
  const config = await readConfig(configFile);
  const baseUrl = options.flags['base-url'] || options.env.AGENTMARKET_BASE_URL || config.base_url || DEFAULT_BASE_URL;
  const apiKey = options.flags['api-key'] || options.env.AGENTMARKET_API_KEY || config.api_key || undefined;
  const retries = options.flags.retries;
  if (retries !== undefined && !/^\d{1,2}$/.test(retries)) throw new UsageError('--retries must be a whole number below 100');
  const common = { baseUrl, ...(retries !== undefined ? { retries: Number(retries) } : {}) };
  return {
    baseUrl,
    apiKey,
    configFile,
    config,
    json: options.flags.json ?? false,
    idempotencyKey: options.flags['idempotency-key'],
    client() {
      if (!apiKey) throw new MissingCredentialsError(`No credentials: set AGENTMARKET_API_KEY, or run \`agentmarket register --save\` (config: ${configFile})`);
      return new AgentMarket({ ...common, apiKey });
    },
    anonymous: () => new AgentMarket(common),
    out: options.out,
    err: options.err,
    signal: options.signal,
  };
}
