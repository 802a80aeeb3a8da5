import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@agentmarket/local-infra';
import type { DeployedProcess } from './deployment-environment.ts';

/** Where this machine runs what a deployment reaches by name. */
export interface LocalAddresses {
  natsHost: string;
  natsPort: number;
  /** host:port of the local Postgres, and the throwaway database standing in for the deployment's. */
  postgresHostPort: string;
  database: string;
  /** Files the container would see by path are written below this directory. */
  filesDir: string;
}

/**
 * The translation from a container to this machine, and nothing more: each
 * container has its own network and file system, this machine has one. So
 * host names become local addresses, the database its throwaway stand-in,
 * container ports free local ports, container file paths local files; and
 * STREAM_REPLICAS stays within the ONE local nats-server (a cluster setting of
 * 3 cannot be placed on it). Every other variable is passed exactly as derived.
 */
export async function localize(name: string, deployed: DeployedProcess, local: LocalAddresses): Promise<Record<string, string>> {
  const env = { ...deployed.env };
  const localPaths: Record<string, string> = {};
  for (const [containerPath, content] of Object.entries(deployed.files)) {
    const file = path.join(local.filesDir, name, containerPath);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, content, { mode: 0o600 });
    localPaths[containerPath] = file;
  }
  for (const [key, value] of Object.entries(env)) if (value in localPaths) env[key] = localPaths[value]!;
  if (env.NATS_URL) {
    env.NATS_URL = env.NATS_URL.split(',')
      .map((server) => {
        const url = new URL(server.trim());
        return `${url.protocol}//${local.natsHost}:${local.natsPort}`;
      })
      .join(',');
  }
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    url.host = local.postgresHostPort;
    url.pathname = `/${local.database}`;
    env.DATABASE_URL = url.toString();
  }
  if (env.OPS_PORT) env.OPS_PORT = String(await findFreePort());
  if (env.PORT) env.PORT = String(await findFreePort());
  if (Number(env.STREAM_REPLICAS) > 1) env.STREAM_REPLICAS = '1';
  return env;
}

export interface LocalProcess {
  name: string;
  child: ChildProcess;
  /** Everything it printed, for the failure message and the one-line assertion. */
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** `node <entry>` from the repository root (the image's WORKDIR), with `env` as its whole environment. */
export function startLocalProcess(name: string, entry: string, env: Record<string, string>): LocalProcess {
  const child = spawn(process.execPath, [entry], { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const started: LocalProcess = { name, child, stdout: [], stderr: [], exit: undefined, exited: Promise.resolve({ code: null, signal: null }) };
  child.stdout?.on('data', (chunk: Buffer) => started.stdout.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => started.stderr.push(chunk.toString()));
  started.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      started.exit = { code, signal };
      resolve(started.exit);
    }),
  );
  return started;
}

/** SIGTERM (the graceful drain), then SIGKILL if it is still there after `graceMs`. */
export async function stopLocalProcess(running: LocalProcess, graceMs = 15_000): Promise<void> {
  if (running.exit) return;
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), graceMs);
  await running.exited;
  clearTimeout(timer);
}
