import { CycleCut, register, type Lane } from '../lifecycle-lane.ts';
import { EVERY_STEP, type Fault } from '../scenario.ts';

/**
 * Longer than the 5 s a JetStream publish waits for its acknowledgement (the
 * gateway's idempotency records are such publishes), so that calls made at
 * the start of the outage time out while the bus is still gone.
 */
const DOWN_FOR_MS = 6000;
/** Keyed registrations sent the moment the bus is gone, whatever the load's lanes happen to be doing then. */
const PROBES = 3;

/**
 * SIGKILL of nats-server, then a new one on the same port and store
 * directory: streams, consumers and the gateway's idempotency records
 * survive on disk, and every process reconnects by itself.
 */
export const natsCrash: Fault = {
  name: 'SIGKILL nats-server',
  slug: 'kill-nats',
  recoverySteps: EVERY_STEP,
  killsGateway: false,
  async inject({ market, client }) {
    const crashedPid = market.nats.pid;
    market.nats.kill();
    const probe: Lane = { client, prefix: 'kill-nats-probe', claims: [] };
    // Retried like any request of the load; a final refusal is in the claim, for the audit and the answer log to judge.
    const probes = Array.from({ length: PROBES }, (_, index) =>
      register(probe, `kill-nats-probe-${index}`).catch((error) => (error instanceof CycleCut ? undefined : Promise.reject(error))),
    );
    // The outage itself: the one fixed wait of this fault.
    await new Promise((resolve) => setTimeout(resolve, DOWN_FOR_MS));
    await market.nats.restart();
    const endedAt = Date.now();
    await Promise.all(probes);
    return {
      endedAt,
      claims: probe.claims,
      notes: [`nats-server pid ${crashedPid} killed, down ${DOWN_FOR_MS / 1000} s, back as pid ${market.nats.pid}; ${PROBES} keyed registrations sent as it went down`],
    };
  },
};
