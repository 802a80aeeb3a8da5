import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.ts';

function breaker(failureThreshold = 3, openMs = 30_000) {
  const clock = { now: 1_000_000 };
  const circuit = new CircuitBreaker({ failureThreshold, openMs, now: () => clock.now });
  return { circuit, clock };
}

describe('the circuit breaker', () => {
  it('lets every call through while closed', () => {
    const { circuit } = breaker();
    expect(circuit.state()).toBe('closed');
    expect(circuit.admit()).toEqual({ allowed: true, probe: false });
    expect(circuit.admit()).toEqual({ allowed: true, probe: false });
    expect(circuit.waitMs()).toBe(0);
  });

  it('opens after the threshold of consecutive retryable failures', () => {
    const { circuit } = breaker(3);
    circuit.recordFailure(false);
    circuit.recordFailure(false);
    expect(circuit.state()).toBe('closed');
    circuit.recordFailure(false);
    expect(circuit.state()).toBe('open');
  });

  it('counts only consecutive failures: an answer in between resets the count', () => {
    const { circuit } = breaker(3);
    circuit.recordFailure(false);
    circuit.recordFailure(false);
    circuit.recordAnswer();
    circuit.recordFailure(false);
    circuit.recordFailure(false);
    expect(circuit.state()).toBe('closed');
  });

  it('refuses calls while open and says how long to wait', () => {
    const { circuit, clock } = breaker(1, 30_000);
    circuit.recordFailure(false);
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 30_000 });
    clock.now += 10_000;
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 20_000 });
    expect(circuit.waitMs()).toBe(20_000);
  });

  it('late failures of calls made before it opened do not extend the open period', () => {
    const { circuit, clock } = breaker(1, 30_000);
    circuit.recordFailure(false);
    clock.now += 10_000;
    circuit.recordFailure(false);
    expect(circuit.waitMs()).toBe(20_000);
  });

  it('lets exactly one probe through once the open period is over', () => {
    const { circuit, clock } = breaker(1, 30_000);
    circuit.recordFailure(false);
    clock.now += 30_000;
    expect(circuit.state()).toBe('half_open');
    expect(circuit.admit()).toEqual({ allowed: true, probe: true });
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 1000 });
    expect(circuit.state()).toBe('half_open');
  });

  it('closes when the probe succeeds', () => {
    const { circuit, clock } = breaker(1, 30_000);
    circuit.recordFailure(false);
    clock.now += 30_000;
    circuit.admit();
    circuit.recordAnswer();
    expect(circuit.state()).toBe('closed');
    expect(circuit.admit()).toEqual({ allowed: true, probe: false });
  });

  it('opens again for a full period when the probe fails', () => {
    const { circuit, clock } = breaker(5, 30_000);
    for (let i = 0; i < 5; i++) circuit.recordFailure(false);
    clock.now += 31_000;
    const probe = circuit.admit();
    expect(probe).toEqual({ allowed: true, probe: true });
    circuit.recordFailure(true);
    expect(circuit.state()).toBe('open');
    expect(circuit.waitMs()).toBe(30_000);
  });

  it('hands the probe to the next call when the probe ends without a verdict', () => {
    const { circuit, clock } = breaker(1, 30_000);
    circuit.recordFailure(false);
    clock.now += 30_000;
    circuit.admit();
    circuit.recordNoVerdict(true);
    expect(circuit.admit()).toEqual({ allowed: true, probe: true });
  });

  it('tells when it opens and when it closes', () => {
    const changes: string[] = [];
    const clock = { now: 0 };
    const circuit = new CircuitBreaker({ failureThreshold: 2, openMs: 100, now: () => clock.now, onChange: (change) => changes.push(change) });
    circuit.recordFailure(false);
    circuit.recordAnswer();
    expect(changes).toEqual([]);
    circuit.recordFailure(false);
    circuit.recordFailure(false);
    clock.now += 100;
    circuit.admit();
    circuit.recordFailure(true);
    clock.now += 100;
    circuit.admit();
    circuit.recordAnswer();
    expect(changes).toEqual(['opened', 'opened', 'closed']);
  });

  it('waits no longer than the open period for a probe when that period is short', () => {
    const { circuit, clock } = breaker(1, 200);
    circuit.recordFailure(false);
    clock.now += 200;
    circuit.admit();
    expect(circuit.admit()).toEqual({ allowed: false, retryInMs: 200 });
  });
});
