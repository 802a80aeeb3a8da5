import type { ExecutorStatus } from '@agentmarket/contracts';
import type { CircuitBreaker } from '../llm/circuit-breaker.ts';

/** The one line an operator needs when there is no model. */
export const NO_MODEL_DETAIL = 'not configured: set OPENAI_API_KEY';

/** What this replica can do right now: read by executor.status (jobs asks before hiring) and /readyz. */
export class ModelStatus {
  private readonly baseUrl: string | null;
  private readonly circuit: CircuitBreaker;

  constructor(options: { modelConfigured: boolean; baseUrl: string; circuit: CircuitBreaker }) {
    this.baseUrl = options.modelConfigured ? withoutCredentials(options.baseUrl) : null;
    this.circuit = options.circuit;
  }

  get modelConfigured(): boolean {
    return this.baseUrl !== null;
  }

  status(): ExecutorStatus {
    return { model_configured: this.modelConfigured, circuit: this.circuit.state(), base_url: this.baseUrl };
  }

  /** Facts for /readyz: never a reason to be unready (the executor still starts and answers without a model). */
  readinessDetails(): Record<string, unknown> {
    if (!this.baseUrl) return { model: NO_MODEL_DETAIL };
    return { model: `configured: ${this.baseUrl}`, circuit: this.circuit.state() };
  }
}

function withoutCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}
