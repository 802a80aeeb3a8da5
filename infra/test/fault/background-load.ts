import { vi } from 'vitest';
import type { EffectClaim } from './effect-claim.ts';
import type { KeyedClient } from './keyed-client.ts';
import { runLifecycle, type Lane } from './lifecycle-lane.ts';

/** A ceiling on each lane's loop, so a scenario that never calls stop() still ends. */
const MAX_CYCLES_PER_LANE = 200;

/**
 * A steady stream of lifecycles through the gateway: `lanes` clients, each
 * running one lifecycle after another with fresh agents until stopped.
 * stop() lets every lane finish the request it is sending (with its
 * retries), never one it has not started.
 */
export class BackgroundLoad {
  readonly claims: EffectClaim[] = [];
  private stopping = false;
  private completedCycles = 0;
  private readonly running: Promise<void>[];

  constructor(client: KeyedClient, scenario: string, lanes: number) {
    const stopRequested = () => this.stopping;
    this.running = Array.from({ length: lanes }, (_, index) => this.loop({ client, prefix: `${scenario}-l${index}`, claims: this.claims, stopRequested }));
  }

  /** Resolves once `count` more lifecycles have completed: the load is flowing. */
  async waitForCompletedCycles(count: number, timeoutMs: number): Promise<void> {
    const target = this.completedCycles + count;
    await vi.waitFor(
      () => {
        if (this.completedCycles < target) throw new Error(`the background load completed ${this.completedCycles} lifecycles, not ${target}, within ${timeoutMs} ms`);
      },
      { timeout: timeoutMs, interval: 50 },
    );
  }

  async stop(): Promise<EffectClaim[]> {
    this.stopping = true;
    await Promise.all(this.running);
    return this.claims;
  }

  private async loop(lane: Lane): Promise<void> {
    for (let cycle = 0; cycle < MAX_CYCLES_PER_LANE && !this.stopping; cycle++) {
      if (await runLifecycle(lane, cycle)) this.completedCycles++;
    }
  }
}
