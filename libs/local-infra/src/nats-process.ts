import { spawn } from 'node:child_process';
import { OutputTail } from './output-tail.ts';
import { canConnectTcp, sleep } from './tcp-probe.ts';

const READY_POLL_MS = 50;
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;

export interface NatsLaunch {
  binary: string;
  args: string[];
  probeHost: string;
  port: number;
  logger?: (line: string) => void;
}

/** One nats-server OS process; a restart creates a new one. */
export interface NatsProcess {
  readonly pid: number;
  isAlive(): boolean;
  kill(): void;
  stop(): Promise<void>;
}

/** Spawns nats-server and resolves once its port accepts connections while the process is still alive. */
export async function launchNatsProcess(launch: NatsLaunch): Promise<NatsProcess> {
  const output = new OutputTail(launch.logger);
  const child = spawn(launch.binary, launch.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));

  let exitReason: string | undefined;
  let markExited: () => void = () => undefined;
  const exited = new Promise<void>((resolve) => {
    markExited = resolve;
  });
  // A crashed test runner or dev script must not leave a nats-server holding the port.
  const killOnParentExit = (): void => {
    if (exitReason === undefined) child.kill('SIGKILL');
  };
  process.once('exit', killOnParentExit);
  const onGone = (reason: string): void => {
    if (exitReason !== undefined) return;
    exitReason = reason;
    process.off('exit', killOnParentExit);
    markExited();
  };
  child.once('exit', (code, signal) => onGone(`exited with code ${code ?? 'null'}, signal ${signal ?? 'null'}`));
  // 'error' without 'exit' happens when the binary cannot be spawned at all (ENOENT, EACCES).
  child.once('error', (error) => onGone(`failed to spawn: ${error.message}`));

  const isAlive = (): boolean => exitReason === undefined;
  const kill = (): void => {
    if (isAlive()) child.kill('SIGKILL');
  };
  const stop = async (): Promise<void> => {
    if (!isAlive()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(kill, STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!isAlive()) {
      throw new Error(`nats-server ${exitReason ?? ''} before becoming ready (${launch.binary} ${launch.args.join(' ')}).\n${output.text()}`);
    }
    if ((await canConnectTcp(launch.port, launch.probeHost, 250)) && isAlive()) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nats-server did not accept connections on port ${launch.port} within ${READY_TIMEOUT_MS} ms.\n${output.text()}`);
    }
    await sleep(READY_POLL_MS);
  }

  const pid = child.pid;
  if (pid === undefined) throw new Error('nats-server started without a pid');
  return { pid, isAlive, kill, stop };
}
