import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { PROCESSES, type ProcessDefinition } from '../src/service-registry.ts';
import { interpolate } from './deployment-environment.ts';

// The deployment files are hand-written; this test holds them to the code.
// Expectations come from PROCESSES (names, settings specs, schema modules) and
// from the services/ folder, so a new service fails here until it is deployed.

const root = new URL('../../', import.meta.url);
const read = (relative: string) => readFileSync(new URL(relative, root), 'utf8');

const MIGRATE_COMMAND = 'infra/src/migrate-command.ts';

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  deploy?: { replicas?: number };
  restart?: string;
  ports?: unknown[];
}

// Compose allows a map or a KEY=value list; only the names matter here.
function envNames(environment: ComposeService['environment']): string[] {
  if (environment === undefined) return [];
  if (Array.isArray(environment)) return environment.map((entry) => entry.split('=')[0] ?? entry);
  return Object.keys(environment);
}

function envValue(service: ComposeService, name: string): string | undefined {
  const { environment } = service;
  if (environment === undefined) return undefined;
  if (Array.isArray(environment)) {
    const entry = environment.find((item) => item.split('=')[0] === name);
    return entry?.slice(name.length + 1);
  }
  const value = environment[name];
  return value === undefined || value === null ? undefined : String(value);
}

function dependencies(service: ComposeService): Record<string, string> {
  const { depends_on: dependsOn } = service;
  if (dependsOn === undefined) return {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, spec]) => [name, spec.condition ?? 'service_started']));
}

function commandText(command: ComposeService['command']): string {
  return Array.isArray(command) ? command.join(' ') : (command ?? '');
}

function buildArgs(service: ComposeService): Record<string, string> {
  if (typeof service.build !== 'object' || service.build.args === undefined) return {};
  const { args } = service.build;
  if (!Array.isArray(args)) return args;
  return Object.fromEntries(args.map((entry) => [entry.split('=')[0] ?? entry, entry.split('=').slice(1).join('=')]));
}

/** The settings a process refuses to run without under NODE_ENV=production (the image's NODE_ENV). */
const productionRequiredOf = (definition: ProcessDefinition) =>
  Object.entries(definition.settings)
    .filter(([, setting]) => setting.requiredInProduction === true)
    .map(([name]) => name);

/** Stand-ins for the operator's exported secrets, so `${VAR:?…}` values can be read as URLs. */
const OPERATOR_SHELL = { POSTGRES_PASSWORD: 'pw', JWT_KEYS: 'k1:0123456789abcdef0123456789abcdef', ADMIN_API_KEY: 'admin' };

/** Names a process receives that it does not read, required settings it does not receive, and the DATABASE_URL rule. */
function checkEnvironment(definition: ProcessDefinition, names: string[]) {
  const declared = Object.keys(definition.settings);
  const required = Object.entries(definition.settings)
    .filter(([, setting]) => setting.default === undefined)
    .map(([name]) => name);
  expect(names.filter((name) => !declared.includes(name)), `variables ${definition.name} does not read`).toEqual([]);
  expect(required.filter((name) => !names.includes(name)), `required settings of ${definition.name} left unset`).toEqual([]);
  expect(names.includes('DATABASE_URL'), `DATABASE_URL set iff ${definition.name} reads it`).toBe(declared.includes('DATABASE_URL'));
}

const serviceDirectories = readdirSync(new URL('services/', root), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// Compose files rely on `<<` merge keys (YAML 1.1), which `yaml` only honours when asked.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const migrateName = Object.keys(services).find((name) => commandText(services[name]?.command).includes(MIGRATE_COMMAND));

describe('docker-compose.yml', () => {
  it('has a service for every folder under services/ and every process in PROCESSES', () => {
    const processNames = PROCESSES.map((definition) => definition.name);
    expect(serviceDirectories.filter((name) => !processNames.includes(name)), 'services/ folders missing from PROCESSES').toEqual([]);
    const wanted = [...new Set([...serviceDirectories, ...processNames])];
    expect(wanted.filter((name) => services[name] === undefined), 'processes without a compose service').toEqual([]);
  });

  it('builds no image-based service that is not a process (stale entries)', () => {
    const processNames = PROCESSES.map((definition) => definition.name);
    const ours = Object.keys(services).filter((name) => services[name]?.build !== undefined && name !== migrateName);
    expect(ours.filter((name) => !processNames.includes(name))).toEqual([]);
  });

  for (const definition of PROCESSES) {
    describe(definition.name, () => {
      const service = () => {
        const found = services[definition.name];
        if (found === undefined) throw new Error(`no compose service ${definition.name}`);
        return found;
      };

      it('sets exactly variables its settings declare, every required one, and DATABASE_URL iff it reads it', () => {
        checkEnvironment(definition, envNames(service().environment));
      });

      it('runs its own entry from the shared Dockerfile', () => {
        const runsEntry =
          buildArgs(service()).SERVICE === definition.name ||
          commandText(service().command).includes(`services/${definition.name}/src/main.ts`);
        expect(runsEntry).toBe(true);
      });

      it('has a healthcheck, deploy.replicas and a restart policy', () => {
        const { healthcheck, deploy, restart } = service();
        expect(healthcheck?.disable).not.toBe(true);
        expect(healthcheck?.test?.length ?? 0).toBeGreaterThan(0);
        expect(Number.isInteger(deploy?.replicas) && (deploy?.replicas ?? 0) >= 1).toBe(true);
        expect(restart).toBe('unless-stopped');
      });

      it('waits for NATS, and for the migration when it owns a schema', () => {
        const needs = dependencies(service());
        expect(needs.nats).toBe('service_healthy');
        if (definition.module !== undefined) {
          expect(migrateName, 'a service running the migration').toBeDefined();
          expect(needs[migrateName ?? '']).toBe('service_completed_successfully');
        }
      });

      it('receives every secret it requires in production, never with an empty default', () => {
        const envFiles = [(service() as { env_file?: string | string[] }).env_file ?? []].flat();
        for (const name of productionRequiredOf(definition)) {
          // NATS_USER / NATS_PASSWORD come from the generated nats-secrets/<name>.env.
          if (name.startsWith('NATS_') && envFiles.includes(`nats-secrets/${definition.name}.env`)) continue;
          const value = envValue(service(), name);
          expect(value, `${definition.name}: ${name}`).toBeDefined();
          let fromEmptyShell: string | undefined;
          try {
            fromEmptyShell = interpolate(value ?? '', {});
          } catch {
            fromEmptyShell = undefined; // `${VAR:?…}`: compose refuses to start without it, as it should
          }
          if (fromEmptyShell !== undefined) expect(fromEmptyShell, `${definition.name}: ${name} defaults to empty`).not.toBe('');
        }
      });

      it('publishes a port only if it serves HTTP on PORT, so it can be scaled with --scale', () => {
        const publishes = (service().ports ?? []).length > 0;
        if (!('PORT' in definition.settings)) expect(publishes).toBe(false);
      });

      it('points NATS_URL and DATABASE_URL at compose services', () => {
        for (const name of ['NATS_URL', 'DATABASE_URL']) {
          const value = envValue(service(), name);
          if (value === undefined) continue;
          for (const part of interpolate(value, OPERATOR_SHELL).split(',')) expect(Object.keys(services)).toContain(new URL(part.trim()).hostname);
        }
      });
    });
  }

  it('runs the migration one-shot, with DATABASE_URL only, after Postgres is healthy', () => {
    expect(migrateName).toBeDefined();
    const migrate = services[migrateName ?? ''] ?? {};
    expect(envNames(migrate.environment)).toEqual(['DATABASE_URL']);
    const needs = dependencies(migrate);
    const databaseHost = new URL(interpolate(envValue(migrate, 'DATABASE_URL') ?? '', OPERATOR_SHELL)).hostname;
    expect(needs[databaseHost]).toBe('service_healthy');
    expect(migrate.restart ?? 'no').toBe('no');
  });

  it('restarts every long-running service, infrastructure included, unless it was stopped', () => {
    const longRunning = Object.entries(services).filter(([name]) => name !== migrateName);
    const unrestarted = longRunning.filter(([, service]) => service.restart !== 'unless-stopped' && service.restart !== 'always');
    expect(unrestarted.map(([name, service]) => `${name}: ${service.restart ?? 'no'}`)).toEqual([]);
  });

  it('gives every long-running service a healthcheck', () => {
    const longRunning = Object.entries(services).filter(([name, service]) => name !== migrateName && service.restart !== 'no');
    const without = longRunning.filter(([, service]) => service.healthcheck?.disable === true || !service.healthcheck?.test);
    expect(without.map(([name]) => name)).toEqual([]);
  });

  it('runs NATS 2.12 with JetStream and a store directory', () => {
    const nats = Object.values(services).find((service) => service.image?.startsWith('nats:'));
    expect(nats?.image).toMatch(/^nats:2\.12([.-]|$)/);
    const args = Array.isArray(nats?.command) ? nats.command.map(String) : commandText(nats?.command).split(/\s+/);
    expect(args).toContain('-js');
    const storeFlag = args.findIndex((arg) => arg === '-sd' || arg === '--store_dir');
    expect(storeFlag).toBeGreaterThanOrEqual(0);
    expect(args[storeFlag + 1] ?? '').toMatch(/^\//);
  });
});

describe('Dockerfile', () => {
  it('exists and runs on Node 24', () => {
    expect(existsSync(new URL('Dockerfile', root))).toBe(true);
    expect(read('Dockerfile')).toMatch(/node:24/);
  });

  it('keeps node_modules out of the build context', () => {
    expect(read('.dockerignore')).toMatch(/node_modules/);
  });
});

interface K8sEnvVar {
  name: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface K8sContainer {
  name: string;
  args?: string[];
  command?: string[];
  env?: K8sEnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path?: string } };
  livenessProbe?: { httpGet?: { path?: string } };
}
interface K8sObject {
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    template?: { spec?: { containers?: K8sContainer[]; restartPolicy?: string } };
    type?: string;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: { http?: { paths?: { backend?: { service?: { name?: string } } }[] } }[];
    podSelector?: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    ingress?: { from?: { podSelector?: unknown; namespaceSelector?: { matchLabels?: Record<string, string> }; ipBlock?: unknown }[] }[];
  };
}

const k8sDirectory = new URL('infra/k8s/', root);
const k8sFiles = readdirSync(k8sDirectory).filter((file) => /\.ya?ml$/.test(file));
const k8sDocuments = k8sFiles.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, k8sDirectory), 'utf8')).map((document) => ({ file, document })),
);
const k8sObjects = k8sDocuments.map(({ document }) => document.toJS() as K8sObject | null).filter((object) => object !== null);
const ofKind = (kind: string) => k8sObjects.filter((object) => object.kind === kind);

/** Every variable name a container receives: its own env plus the keys of every ConfigMap/Secret it imports whole. */
function containerEnvNames(container: K8sContainer): string[] {
  const names = (container.env ?? []).map((variable) => variable.name);
  for (const source of container.envFrom ?? []) {
    const [kind, name] = source.configMapRef ? ['ConfigMap', source.configMapRef.name] : ['Secret', source.secretRef?.name];
    const object = ofKind(kind).find((candidate) => candidate.metadata?.name === name);
    expect(object, `${kind} ${name} imported by ${container.name}`).toBeDefined();
    names.push(...Object.keys(object?.data ?? {}), ...Object.keys(object?.stringData ?? {}));
  }
  return names;
}

describe('infra/k8s', () => {
  it('parses without errors', () => {
    expect(k8sFiles.length).toBeGreaterThan(0);
    const errors = k8sDocuments.flatMap(({ file, document }) => document.errors.map((error) => `${file}: ${error.message}`));
    expect(errors).toEqual([]);
  });

  it('has a Deployment for every process, and none for anything else', () => {
    const deployed = ofKind('Deployment').map((object) => object.metadata?.name);
    const processNames = PROCESSES.map((definition) => definition.name);
    expect(processNames.filter((name) => !deployed.includes(name)), 'processes without a Deployment').toEqual([]);
    expect(deployed.filter((name) => !processNames.includes(name ?? '')), 'Deployments of no process').toEqual([]);
  });

  for (const definition of PROCESSES) {
    it(`${definition.name}: runs its entry, sets only declared variables, probes /readyz and /healthz`, () => {
      const deployment = ofKind('Deployment').find((object) => object.metadata?.name === definition.name);
      const container = deployment?.spec?.template?.spec?.containers?.[0];
      expect(container, `Deployment ${definition.name} with a container`).toBeDefined();
      if (container === undefined) return;
      expect([...(container.command ?? []), ...(container.args ?? [])].join(' ')).toContain(`services/${definition.name}/src/main.ts`);
      checkEnvironment(definition, containerEnvNames(container));
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
    });

    it(`${definition.name}: declares restartPolicy Always, so a crashed container is restarted`, () => {
      const deployment = ofKind('Deployment').find((object) => object.metadata?.name === definition.name);
      expect(deployment?.spec?.template?.spec?.restartPolicy).toBe('Always');
    });
  }

  for (const definition of PROCESSES) {
    it(`${definition.name}: takes every secret it requires in production from a Secret (secretKeyRef, not optional)`, () => {
      const deployment = ofKind('Deployment').find((object) => object.metadata?.name === definition.name);
      const env = deployment?.spec?.template?.spec?.containers?.[0]?.env ?? [];
      for (const name of productionRequiredOf(definition)) {
        const variable = env.find((candidate) => candidate.name === name);
        // NATS_USER is the process's own name, not a secret; its password is.
        if (name === 'NATS_USER') {
          expect((variable as { value?: string } | undefined)?.value, `${definition.name}: NATS_USER`).toBe(definition.name);
          continue;
        }
        expect(variable?.valueFrom?.secretKeyRef, `${definition.name}: ${name} from a Secret`).toBeDefined();
        expect(variable?.valueFrom?.secretKeyRef?.optional ?? false, `${definition.name}: ${name} not optional`).toBe(false);
      }
    });
  }

  it('applies no Secret: `kubectl apply -f infra/k8s/` can never overwrite a real one with a placeholder', () => {
    expect(ofKind('Secret').map((secret) => secret.metadata?.name)).toEqual([]);
    const placeholders = k8sFiles.filter((file) => /CHANGE_ME/.test(readFileSync(new URL(file, k8sDirectory), 'utf8')));
    expect(placeholders).toEqual([]);
    // The shapes stay documented, apart, where the documented command does not descend.
    expect(existsSync(new URL('examples/15-secrets.example.yaml', k8sDirectory))).toBe(true);
  });

  it('puts an Ingress with TLS in front of the gateway, whose Service is internal (ClusterIP)', () => {
    const ingresses = ofKind('Ingress').filter((ingress) =>
      (ingress.spec?.rules ?? []).some((rule) => (rule.http?.paths ?? []).some((route) => route.backend?.service?.name === 'gateway')),
    );
    expect(ingresses.length).toBeGreaterThan(0);
    for (const ingress of ingresses) {
      const tls = ingress.spec?.tls ?? [];
      expect(tls.length, 'a tls section').toBeGreaterThan(0);
      for (const entry of tls) expect(entry.secretName, 'the certificate Secret').toBeTruthy();
      const ruleHosts = (ingress.spec?.rules ?? []).map((rule) => (rule as { host?: string }).host);
      const tlsHosts = tls.flatMap((entry) => entry.hosts ?? []);
      expect(ruleHosts.filter((host) => host !== undefined && !tlsHosts.includes(host)), 'every host served over TLS').toEqual([]);
    }
    const gatewayService = ofKind('Service').find((service) => service.metadata?.name === 'gateway');
    expect(gatewayService?.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    const exposed = ofKind('Service').filter((service) => ['LoadBalancer', 'NodePort'].includes(service.spec?.type ?? 'ClusterIP'));
    expect(exposed.map((service) => service.metadata?.name), 'no Service reachable around the Ingress').toEqual([]);
  });

  it('trusts X-Forwarded-For from the Ingress only: the gateway sets TRUST_PROXY', () => {
    const gateway = ofKind('Deployment').find((object) => object.metadata?.name === 'gateway');
    const trust = (gateway?.spec?.template?.spec?.containers?.[0]?.env ?? []).find((variable) => variable.name === 'TRUST_PROXY') as { value?: string } | undefined;
    expect(trust?.value ?? '').not.toBe('');
  });

  it('has NetworkPolicies: deny by default, only the gateway admitted from outside the namespace', () => {
    const policies = ofKind('NetworkPolicy');
    const selectsAll = (policy: K8sObject) => Object.keys(policy.spec?.podSelector?.matchLabels ?? {}).length === 0;
    const defaultDeny = policies.find((policy) => selectsAll(policy) && policy.spec?.policyTypes?.includes('Ingress') && (policy.spec?.ingress ?? []).length === 0);
    expect(defaultDeny, 'a default-deny ingress policy').toBeDefined();
    // A rule admitting other namespaces or addresses may select only the gateway (or only ops ports, for Prometheus).
    for (const policy of policies) {
      const fromOutside = (policy.spec?.ingress ?? []).some((rule) => (rule.from ?? []).some((peer) => peer.namespaceSelector !== undefined || peer.ipBlock !== undefined));
      if (!fromOutside) continue;
      const selected = policy.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name'];
      const opsOnly = (policy.spec?.ingress ?? []).every((rule) => ((rule as { ports?: { port?: unknown }[] }).ports ?? []).every((port) => port.port === 'ops') && ((rule as { ports?: unknown[] }).ports ?? []).length > 0);
      expect(selected === 'gateway' || opsOnly, `${policy.metadata?.name} admits outside traffic to more than the gateway`).toBe(true);
    }
  });

  it('has a Job that runs the migration', () => {
    const jobs = ofKind('Job').filter((job) =>
      (job.spec?.template?.spec?.containers ?? []).some((container) =>
        [...(container.command ?? []), ...(container.args ?? [])].join(' ').includes(MIGRATE_COMMAND),
      ),
    );
    expect(jobs.length).toBeGreaterThan(0);
    // A Job's pods may not use Always; a failed migration is retried by the Job's backoffLimit instead.
    for (const job of jobs) expect(['Never', 'OnFailure']).toContain(job.spec?.template?.spec?.restartPolicy);
  });
});
