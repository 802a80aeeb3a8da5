import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';

/**
 * What each process would receive in a deployment, read from the files an
 * operator deploys (Dockerfile, docker-compose.yml, infra/k8s) — not from a
 * copy of them — so a test can start the processes with exactly that.
 */
export interface DeployedProcess {
  /** The entry file the container runs, relative to the image's WORKDIR (the repository root). */
  entry: string;
  env: Record<string, string>;
  /** Files the container sees at these paths (compose secrets, k8s Secret volumes): path → content. */
  files: Record<string, string>;
}

const root = new URL('../../', import.meta.url);
export const readRepoFile = (relative: string) => readFileSync(new URL(relative, root), 'utf8');

/** `ENV NAME=value` of the Dockerfile's last stage (the runtime image); `${ARG}` references are left to the caller. */
export function dockerfileEnv(dockerfile = readRepoFile('Dockerfile')): Record<string, string> {
  const stages = dockerfile.split(/^FROM\s/m);
  const runtime = stages[stages.length - 1] ?? '';
  const env: Record<string, string> = {};
  for (const match of runtime.matchAll(/^ENV\s+([A-Z_][A-Z0-9_]*)=(\S*)\s*$/gm)) env[match[1]!] = match[2]!;
  return env;
}

/** Raised where `docker compose up` itself would stop: a `${VAR:?message}` whose VAR is unset. */
export class ComposeInterpolationError extends Error {}

/** Compose variable interpolation: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}. */
export function interpolate(value: string, shell: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name?: string, colon?: string, kind?: string, rest?: string) => {
    if (whole === '$$') return '$';
    const raw = shell[name!];
    const unset = raw === undefined || (colon === ':' && raw === '');
    if (!unset) return raw!;
    if (kind === '-') return rest ?? '';
    if (kind === '?') throw new ComposeInterpolationError(`required variable ${name} is missing a value: ${rest}`);
    return '';
  });
}

interface ComposeService {
  build?: { args?: Record<string, string> };
  command?: string[];
  env_file?: string | string[];
  environment?: Record<string, unknown>;
  secrets?: (string | { source: string; target?: string })[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
}

/** Reads a KEY=value file as compose's env_file and `kubectl --from-env-file` do. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const equals = trimmed.indexOf('=');
    env[trimmed.slice(0, equals)] = trimmed.slice(equals + 1);
  }
  return env;
}

/**
 * The compose services named `names`, as `docker compose up` would run them:
 * the image's ENV, then env_file, then `environment` interpolated from the
 * operator's shell (`shell`), and the declared secrets at /run/secrets/<name>.
 * `readFile` reads a path relative to the compose file (env_file, secret files).
 */
export function composeProcesses(
  names: string[],
  shell: Record<string, string | undefined>,
  readFile: (relative: string) => string,
  composeText = readRepoFile('docker-compose.yml'),
): Record<string, DeployedProcess> {
  const compose = parse(composeText, { merge: true }) as ComposeFile;
  const image = dockerfileEnv();
  const result: Record<string, DeployedProcess> = {};
  for (const name of names) {
    const service = compose.services[name];
    if (service === undefined) throw new Error(`no compose service ${name}`);
    const buildArgs = Object.fromEntries(Object.entries(service.build?.args ?? {}).map(([key, value]) => [key, interpolate(String(value), shell)]));
    // The image's ENV lines; SERVICE=${SERVICE} takes the build argument.
    const env: Record<string, string> = Object.fromEntries(Object.entries(image).map(([key, value]) => [key, interpolate(value, buildArgs)]));
    const envFiles = service.env_file === undefined ? [] : [service.env_file].flat();
    for (const file of envFiles) Object.assign(env, parseEnvFile(readFile(file)));
    for (const [key, value] of Object.entries(service.environment ?? {})) {
      if (value !== null && value !== undefined) env[key] = interpolate(String(value), shell);
    }
    const files: Record<string, string> = {};
    for (const secret of service.secrets ?? []) {
      const source = typeof secret === 'string' ? secret : secret.source;
      const target = typeof secret === 'string' ? secret : (secret.target ?? secret.source);
      const file = compose.secrets?.[source]?.file;
      if (file === undefined) throw new Error(`compose secret ${source} has no file`);
      files[target.startsWith('/') ? target : `/run/secrets/${target}`] = readFile(file);
    }
    const entry = service.command?.find((part) => part.endsWith('.ts')) ?? `services/${env.SERVICE}/src/main.ts`;
    result[name] = { entry, env, files };
  }
  return result;
}

interface K8sEnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
  };
}
interface K8sContainer {
  args?: string[];
  command?: string[];
  env?: K8sEnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
}
interface K8sObject {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  spec?: { template?: { spec?: { containers?: K8sContainer[]; volumes?: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[] } } };
}

/** Secrets as `kubectl create secret` leaves them: Secret name → key → value. */
export type ClusterSecrets = Record<string, Record<string, string>>;

/** Raised where the kubelet would refuse to start the container (CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

/** Every document applied by `kubectl apply -f infra/k8s/` (the directory itself, not examples/ below it). */
export function appliedK8sObjects(files: Record<string, string>): K8sObject[] {
  return Object.values(files).flatMap((text) =>
    parseAllDocuments(text)
      .map((document) => document.toJS() as K8sObject | null)
      .filter((object): object is K8sObject => object !== null),
  );
}

/**
 * The Deployments named `names`, as the kubelet would run their first
 * container: the image's ENV, then envFrom, then env (ConfigMap keys, Secret
 * keys, the pod name), and Secret volumes as files.
 */
export function k8sProcesses(names: string[], objects: K8sObject[], secrets: ClusterSecrets, podName: (deployment: string) => string): Record<string, DeployedProcess> {
  const configMaps = Object.fromEntries(objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata?.name ?? '', o.data ?? {}]));
  const secretKey = (name: string, key: string, optional: boolean | undefined): string | undefined => {
    const value = secrets[name]?.[key];
    if (value === undefined && optional !== true) throw new ContainerConfigError(`secret "${name}" (key "${key}") not found`);
    return value;
  };
  const image = dockerfileEnv();
  const result: Record<string, DeployedProcess> = {};
  for (const name of names) {
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === name);
    const pod = deployment?.spec?.template?.spec;
    const container = pod?.containers?.[0];
    if (container === undefined) throw new Error(`no Deployment ${name}`);
    // Built without SERVICE: the image's ENV has it empty, and `args` picks the process.
    const env: Record<string, string> = Object.fromEntries(Object.entries(image).map(([key, value]) => [key, interpolate(value, {})]));
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) Object.assign(env, configMaps[source.configMapRef.name]);
      if (source.secretRef) Object.assign(env, secrets[source.secretRef.name]);
    }
    for (const variable of container.env ?? []) {
      const from = variable.valueFrom;
      let value: string | undefined = variable.value;
      if (from?.secretKeyRef) value = secretKey(from.secretKeyRef.name, from.secretKeyRef.key, from.secretKeyRef.optional);
      if (from?.configMapKeyRef) value = configMaps[from.configMapKeyRef.name]?.[from.configMapKeyRef.key];
      if (from?.fieldRef) {
        if (from.fieldRef.fieldPath !== 'metadata.name') throw new Error(`fieldRef ${from.fieldRef.fieldPath} not modelled`);
        value = podName(name);
      }
      if (value !== undefined) env[variable.name] = value;
    }
    const files: Record<string, string> = {};
    for (const mount of container.volumeMounts ?? []) {
      const volume = pod?.volumes?.find((candidate) => candidate.name === mount.name);
      if (volume?.secret === undefined) continue;
      const items = volume.secret.items ?? Object.keys(secrets[volume.secret.secretName] ?? {}).map((key) => ({ key, path: key }));
      for (const item of items) {
        const content = secretKey(volume.secret.secretName, item.key, false)!;
        files[`${mount.mountPath}/${item.path}`] = content;
      }
    }
    const command = [...(container.command ?? []), ...(container.args ?? [])];
    const entry = command.find((part) => part.endsWith('.ts'));
    if (entry === undefined) throw new Error(`Deployment ${name} runs no .ts entry`);
    result[name] = { entry, env, files };
  }
  return result;
}
