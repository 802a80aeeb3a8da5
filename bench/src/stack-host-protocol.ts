import type { HeapInfo } from 'node:v8';
import type { NatsAuth } from '@agentmarket/local-infra';

/** What the stack host (stack-host.ts) and the bench say to each other over the host's IPC channel. */

/** The host's first message: the stack is up. */
export interface HostReady {
  kind: 'ready';
  gatewayUrl: string;
  databaseUrl: string;
  natsUrl: string;
  natsAuth: NatsAuth | undefined;
  natsPid: number;
  /** The services' keys, which are also their threads' names. */
  services: string[];
}

/** The host could not start the stack; `detail` holds the last lines of the services' output. */
export interface HostFailed {
  kind: 'failed';
  detail: string;
}

export type HostRequest = { id: number; op: 'heaps' } | { id: number; op: 'stop' };

export interface HostReply {
  kind: 'reply';
  id: number;
  /** For `heaps`: each service's V8 heap (undefined while it is not running). */
  heaps?: Record<string, HeapInfo | undefined>;
}

export type HostMessage = HostReady | HostFailed | HostReply;
