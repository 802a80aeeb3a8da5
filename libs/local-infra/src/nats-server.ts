import { mkdir } from 'node:fs/promises';
import { findFreePort } from './find-free-port.ts';
import { resolveNatsBinary } from './nats-binary.ts';
import { launchNatsProcess, type NatsProcess } from './nats-process.ts';

export interface NatsServerOptions {
  port?: number;
  storeDir: string;
  binary?: string;
  host?: string;
  /** A nats-server config file (users and permissions: see nats-credentials.ts); address, port and store still come from these options. */
  configFile?: string;
  logger?: (line: string) => void;
}

export interface RunningNats {
  url: string;
  port: number;
  /** Reflects the current process; changes after restart(). */
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
  /** SIGKILL right away, for fault-injection tests; the exit is not awaited. */
  kill(): void;
  /** Starts a fresh process on the same port and store dir (stopping the old one if still running). */
  restart(): Promise<void>;
}

/** Starts a local nats-server with JetStream enabled and waits until it accepts connections. */
export async function startNatsServer(options: NatsServerOptions): Promise<RunningNats> {
  const binary = resolveNatsBinary(options.binary);
  const host = options.host ?? '127.0.0.1';
  const port = await findFreePort(options.port ?? 4222, host);
  await mkdir(options.storeDir, { recursive: true });

  const probeHost = connectableHost(host);
  const launchArgs = {
    binary,
    // Command-line flags override the file, so the file carries only what they cannot say: users and permissions.
    args: [...(options.configFile ? ['-c', options.configFile] : []), '-a', host, '-p', String(port), '-js', '-sd', options.storeDir],
    probeHost,
    port,
    ...(options.logger ? { logger: options.logger } : {}),
  };
  let current: NatsProcess = await launchNatsProcess(launchArgs);

  return {
    url: `nats://${probeHost.includes(':') ? `[${probeHost}]` : probeHost}:${port}`,
    port,
    get pid() {
      return current.pid;
    },
    stop: () => current.stop(),
    kill: () => current.kill(),
    async restart() {
      // Also waits for a kill()ed process to be reaped so the port is free again.
      await current.stop();
      current = await launchNatsProcess(launchArgs);
    },
  };
}

// A wildcard listen address is not something a client can dial.
function connectableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}
