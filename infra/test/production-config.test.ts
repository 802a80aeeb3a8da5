import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, ensureDatabase, findFreePort, startNatsServer, type RunningNats } from '@agentmarket/local-infra';
import { PROCESSES } from '../src/service-registry.ts';
import {
  ComposeInterpolationError,
  ContainerConfigError,
  appliedK8sObjects,
  composeProcesses,
  dockerfileEnv,
  k8sProcesses,
  parseEnvFile,
  readRepoFile,
  type ClusterSecrets,
  type DeployedProcess,
} from './deployment-environment.ts';
import { localize, startLocalProcess, stopLocalProcess, type LocalAddresses, type LocalProcess } from './local-deployment.ts';
import { writeNatsTlsFiles } from './nats-tls-files.ts';

/**
 * The shipped deployment starts: every process gets exactly the environment
 * docker-compose.yml or infra/k8s would give it (NODE_ENV=production from the
 * Dockerfile, secrets supplied as docs/operators/secrets.md says, NATS
 * credentials from `npm run nats:config`, NATS over TLS with a private CA), is
 * started alone with that environment, and must report ready. And a missing
 * required secret stops a process at once with one line naming it.
 */
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const exec = promisify(execFile);
const NAMES = PROCESSES.map((definition) => definition.name);
const READY_TIMEOUT_MS = 120_000;

let workDir: string;
let secretsDir: string;
let database: string;
let nats: RunningNats;
let local: LocalAddresses;
/** The operator's shell for `docker compose up`: the secrets the docs tell them to export. */
let shell: Record<string, string>;
const started: LocalProcess[] = [];

const readSecretFile = (relative: string) => readFile(path.join(workDir, relative), 'utf8');

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'agentmarket-production-'));
  secretsDir = path.join(workDir, 'nats-secrets');
  // The documented command (package.json "nats:config"), into the directory docker-compose.yml reads.
  const script = JSON.parse(readRepoFile('package.json')).scripts['nats:config'] as string;
  expect(script).toBe('node infra/src/nats-config-command.ts');
  await exec(process.execPath, ['infra/src/nats-config-command.ts', '--out', secretsDir], { cwd: new URL('../../', import.meta.url) });
  const tls = await writeNatsTlsFiles(path.join(secretsDir, 'tls'));
  await loadGenerated();
  // The server as compose runs it: the generated users (-c) plus TLS with the generated certificate.
  const serverConfig = path.join(workDir, 'nats-server.conf');
  await writeFile(serverConfig, `include "nats-secrets/nats-server.conf"\ntls {\n  cert_file: ${JSON.stringify(tls.cert)}\n  key_file: ${JSON.stringify(tls.key)}\n}\n`);
  nats = await startNatsServer({ storeDir: path.join(workDir, 'nats'), configFile: serverConfig, port: await findFreePort() });

  database = `am_prod_${randomUUID().slice(0, 8)}`;
  await ensureDatabase(ADMIN_URL, database);
  const admin = new URL(ADMIN_URL);
  local = { natsHost: 'localhost', natsPort: nats.port, postgresHostPort: admin.host, database, filesDir: path.join(workDir, 'container-files') };
  shell = {
    POSTGRES_PASSWORD: randomBytes(18).toString('base64url'),
    JWT_KEYS: `k1:${randomBytes(36).toString('base64url')}`,
    ADMIN_API_KEY: randomBytes(24).toString('base64url'),
  };

  // The migration step as compose runs it (one-shot, before any service).
  const migrate = composeProcesses(['migrate'], shell, (relative) => readFileSyncFrom(relative))['migrate']!;
  const migrateEnv = await localize('migrate', migrate, local);
  const migration = startLocalProcess('migrate', migrate.entry, migrateEnv);
  started.push(migration);
  const { code } = await migration.exited;
  expect(code, migration.stderr.join('')).toBe(0);
}, 180_000);

afterAll(async () => {
  await Promise.all(started.map((running) => stopLocalProcess(running)));
  await nats?.stop();
  if (database) await dropDatabase(ADMIN_URL, database).catch(() => {});
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Synchronous reads of the generated files, for the derivations (they mirror what compose reads at `up`). */
const generated: Record<string, string> = {};
function readFileSyncFrom(relative: string): string {
  const value = generated[relative];
  if (value === undefined) throw new Error(`not generated: ${relative}`);
  return value;
}
async function loadGenerated(): Promise<void> {
  for (const file of await readdir(secretsDir)) if (file.endsWith('.env') || file.endsWith('.conf')) generated[`nats-secrets/${file}`] = await readSecretFile(`nats-secrets/${file}`);
  for (const file of ['ca.pem', 'server.pem', 'server-key.pem']) generated[`nats-secrets/tls/${file}`] = await readSecretFile(`nats-secrets/tls/${file}`);
}

/** The Secrets an operator creates with the kubectl commands of docs/operators/secrets.md. */
async function clusterSecrets(): Promise<ClusterSecrets> {
  const secrets: ClusterSecrets = {
    // The user of this machine's Postgres (it must exist here); host and database are localized like any address.
    'agentmarket-database': { DATABASE_URL: `postgres://${new URL(ADMIN_URL).username}:${shell.POSTGRES_PASSWORD}@postgres.example.internal:5432/agentmarket` },
    'agentmarket-jwt': { JWT_KEYS: shell.JWT_KEYS!, JWT_SIGNING_KEY_ID: 'k1' },
    'agentmarket-admin': { ADMIN_API_KEY: shell.ADMIN_API_KEY! },
    // agentmarket-openai is optional and left out: the executor must start without a model.
    'agentmarket-nats-ca': { 'ca.crt': generated['nats-secrets/tls/ca.pem']! },
  };
  // kubectl create secret generic agentmarket-nats-<user> --from-env-file=<dir>/<user>.env
  for (const [file, content] of Object.entries(generated)) {
    const user = /^nats-secrets\/(\w+)\.env$/.exec(file)?.[1];
    if (user) secrets[`agentmarket-nats-${user}`] = parseEnvFile(content);
  }
  return secrets;
}

async function k8sDeployments(secrets: ClusterSecrets): Promise<Record<string, DeployedProcess>> {
  const directory = new URL('../k8s/', import.meta.url);
  const files: Record<string, string> = {};
  for (const file of await readdir(directory)) if (/\.ya?ml$/.test(file)) files[file] = await readFile(new URL(file, directory), 'utf8');
  return k8sProcesses(NAMES, appliedK8sObjects(files), secrets, (deployment) => `${deployment}-7d9f8-${randomUUID().slice(0, 5)}`);
}

function readyUrl(name: string, env: Record<string, string>): string {
  // The probes of the manifests: the gateway's readinessProbe is /readyz on its API port, a service's on its ops port.
  return `http://127.0.0.1:${name === 'gateway' ? env.PORT : env.OPS_PORT}/readyz`;
}

/** Starts every process with its environment and waits until each /readyz answers 200; stops them all afterwards. */
async function expectAllReady(deployed: Record<string, DeployedProcess>): Promise<Record<string, string>> {
  const running: { process: LocalProcess; url: string }[] = [];
  const urls: Record<string, string> = {};
  try {
    for (const name of NAMES) {
      const env = await localize(name, deployed[name]!, local);
      expect(env.NODE_ENV, `${name} runs as the image does`).toBe('production');
      const process = startLocalProcess(name, deployed[name]!.entry, env);
      started.push(process);
      urls[name] = readyUrl(name, env);
      running.push({ process, url: urls[name]! });
    }
    for (const { process, url } of running) {
      const ready = expect.poll(() => fetch(url).then((response) => response.status, () => 0), { timeout: READY_TIMEOUT_MS, interval: 250 }).toBe(200);
      // A process that exits instead is a failure at once, with what it said.
      const died = process.exited.then((exit) => {
        throw new Error(`${process.name} exited (${JSON.stringify(exit)}): ${process.stderr.join('')}`);
      });
      died.catch(() => {});
      await Promise.race([ready, died]);
    }
    // Ready together, and the market answers through the gateway: an agent registers (identity over the TLS bus).
    const gateway = new URL(urls.gateway!).origin;
    const register = await fetch(`${gateway}/api/agents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Prod', capabilities: [] }) });
    expect(register.status).toBe(201);
    const system = (await (await fetch(`${gateway}/api/system`)).json()) as { counts: { services_up: number; services_total: number } };
    expect(system.counts.services_up).toBe(system.counts.services_total);
    return urls;
  } finally {
    await Promise.all(running.map(({ process }) => stopLocalProcess(process)));
  }
}

/** Starts one process and expects it gone promptly, with exactly one line on stderr naming `secret`. */
async function expectRefusedNaming(name: string, deployed: DeployedProcess, secret: string): Promise<void> {
  const env = await localize(name, deployed, local);
  delete env[secret];
  const startedAt = Date.now();
  const process = startLocalProcess(name, deployed.entry, env);
  started.push(process);
  const exit = await process.exited;
  const seconds = (Date.now() - startedAt) / 1000;
  const lines = process.stderr.join('').split('\n').filter((line) => line.trim() !== '');
  expect(exit.code, `${name} without ${secret}`).toBe(78);
  expect(seconds, 'exits at once, before touching the database or the bus').toBeLessThan(10);
  expect(lines, 'one line, no stack trace').toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^${name} failed to start: .*\\b${secret} is required when NODE_ENV=production`));
}

describe('the production configuration', () => {
  it('the Dockerfile sets NODE_ENV=production for every process', () => {
    expect(dockerfileEnv().NODE_ENV).toBe('production');
  });

  it('docker-compose.yml: every process, with exactly its compose environment and secrets, starts and reports ready', async () => {
    const deployed = composeProcesses(NAMES, shell, readFileSyncFrom);
    expect(deployed.identity!.env.NATS_URL).toMatch(/^tls:\/\//);
    await expectAllReady(deployed);
  }, 300_000);

  it('infra/k8s: every Deployment, with its ConfigMap and the Secrets created as documented, starts and reports ready', async () => {
    const deployed = await k8sDeployments(await clusterSecrets());
    expect(deployed.gateway!.env.JWT_KEYS).toBe(shell.JWT_KEYS);
    await expectAllReady(deployed);
  }, 300_000);

  it('a missing JWT_KEYS stops compose before any container, and the kubelet before identity and the gateway', async () => {
    const { JWT_KEYS: _removed, ...withoutJwt } = shell;
    expect(() => composeProcesses(['identity'], withoutJwt, readFileSyncFrom)).toThrow(ComposeInterpolationError);
    expect(() => composeProcesses(['gateway'], withoutJwt, readFileSyncFrom)).toThrow(/JWT_KEYS/);
    const { 'agentmarket-jwt': _jwt, ...withoutJwtSecret } = await clusterSecrets();
    await expect(k8sDeployments(withoutJwtSecret)).rejects.toThrow(ContainerConfigError);
  });

  it('a process whose required secret is empty or unset exits at once (78) with one line naming it: JWT_KEYS, DATABASE_URL, NATS_PASSWORD', async () => {
    const deployed = composeProcesses(NAMES, shell, readFileSyncFrom);
    await Promise.all([
      expectRefusedNaming('identity', deployed.identity!, 'JWT_KEYS'),
      expectRefusedNaming('gateway', deployed.gateway!, 'JWT_KEYS'),
      expectRefusedNaming('payments', deployed.payments!, 'DATABASE_URL'),
      expectRefusedNaming('jobs', deployed.jobs!, 'NATS_PASSWORD'),
    ]);
  }, 60_000);
});
