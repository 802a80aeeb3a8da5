import type { SupervisionState } from '@agentmarket/local-infra';
import { SUPERVISION_SNAPSHOT, isSupervisionHello, type SupervisionSnapshot } from '@agentmarket/contracts';

/**
 * The supervision state of every process of a stack, kept current for the
 * gateway: it answers the gateway's hello with a snapshot and sends a new one
 * whenever which processes are restarting (or their attempt) changes.
 */
export class SupervisionBoard {
  readonly #states = new Map<string, SupervisionState>();
  /** The gateway cannot report on itself: while it is down nobody asks it. */
  readonly #gatewayKey: string;
  #sendToGateway: ((message: unknown) => void) | undefined;
  #lastSent = '';

  constructor(gatewayKey: string) {
    this.#gatewayKey = gatewayKey;
  }

  update(key: string, state: SupervisionState): void {
    this.#states.set(key, state);
    this.#push();
  }

  /** Every message the gateway child sends; a hello (a new gateway child) becomes the one to keep informed. */
  onGatewayMessage(message: unknown, reply: (message: unknown) => void): void {
    if (!isSupervisionHello(message)) return;
    this.#sendToGateway = reply;
    this.#lastSent = '';
    this.#push();
  }

  snapshot(): SupervisionSnapshot {
    const processes: SupervisionSnapshot['processes'] = {};
    for (const [key, state] of this.#states) {
      if (key === this.#gatewayKey || state.status !== 'restarting') continue;
      processes[key] = { attempt: state.attempt, next_restart_at: state.nextRestartAt, last_exit: state.lastExit };
    }
    return { type: SUPERVISION_SNAPSHOT, processes };
  }

  #push(): void {
    if (!this.#sendToGateway) return;
    const message = this.snapshot();
    // State changes that do not alter what the gateway shows (starting → running of a healthy process) are not sent.
    const text = JSON.stringify(message);
    if (text === this.#lastSent) return;
    this.#lastSent = text;
    this.#sendToGateway(message);
  }
}
