import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../llm/circuit-breaker.ts';
import { ModelStatus, NO_MODEL_DETAIL } from './model-status.ts';

const circuit = () => new CircuitBreaker({ failureThreshold: 1, openMs: 1000 });

describe('the model status', () => {
  it('says there is no model, and how to configure one, when the API key is empty', () => {
    const status = new ModelStatus({ modelConfigured: false, baseUrl: 'https://api.openai.com/v1', circuit: circuit() });
    expect(status.status()).toEqual({ model_configured: false, circuit: 'closed', base_url: null });
    expect(status.readinessDetails()).toEqual({ model: NO_MODEL_DETAIL });
  });

  it('shows the provider without credentials and the circuit', () => {
    const breaker = circuit();
    const status = new ModelStatus({ modelConfigured: true, baseUrl: 'http://user:secret@127.0.0.1:11434/v1/', circuit: breaker });
    expect(status.status()).toEqual({ model_configured: true, circuit: 'closed', base_url: 'http://127.0.0.1:11434/v1' });
    breaker.recordFailure(false);
    expect(status.readinessDetails()).toEqual({ model: 'configured: http://127.0.0.1:11434/v1', circuit: 'open' });
  });
});
