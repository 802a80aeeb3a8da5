import { ConfigError, loadSettings, type Setting, type SettingsOf, type SettingsSpec } from './settings.ts';

/**
 * Exit status of a process refused for its configuration (sysexits EX_CONFIG):
 * distinct from a crash (1) or an uncaught error (70), so a supervisor or an
 * operator reading `kubectl get pods` can tell "fix the settings" from "it broke".
 */
export const CONFIG_EXIT_CODE = 78;

/**
 * A secret the process may run without in development (its default applies)
 * but never with NODE_ENV=production, where a default would mean a local
 * database, an anonymous bus user or accounts off: refused at start instead.
 */
export function productionRequired<T>(setting: Setting<T>): Setting<T> {
  return { ...setting, requiredInProduction: true };
}

/** The names the spec requires under NODE_ENV=production that `env` leaves unset or empty. */
export function missingProductionSecrets(spec: SettingsSpec, env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  return Object.entries(spec)
    .filter(([name, setting]) => setting.requiredInProduction === true && (env[name] ?? '').trim() === '')
    .map(([name, setting]) => `${name} is required when NODE_ENV=production (${setting.doc})`);
}

/** Every problem of one settings load, as a single line (what `docker logs` or `kubectl logs` shows first). */
export function oneLine(message: string): string {
  const [first = '', ...rest] = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (rest.length === 0) return first;
  return first.endsWith(':') ? `${first} ${rest.join('; ')}` : [first, ...rest].join('; ');
}

/**
 * The entry point's settings load: the spec parsed from process.env, plus the
 * production secrets. Any problem ends the process at once with ONE line on
 * stderr naming every bad variable (never its value: these may be secrets),
 * no stack trace, and CONFIG_EXIT_CODE — nothing is retried, as retrying
 * cannot fix a missing setting.
 */
export function loadProcessSettings<S extends SettingsSpec>(processName: string, spec: S, env: Record<string, string | undefined> = process.env): SettingsOf<S> {
  try {
    const missing = missingProductionSecrets(spec, env);
    let settings: SettingsOf<S> | undefined;
    try {
      settings = loadSettings(spec, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ConfigError([...missing, ...error.problems]);
    }
    if (missing.length > 0) throw new ConfigError(missing);
    return settings;
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems.join('; ') : oneLine((error as Error).message);
    process.stderr.write(`${processName} failed to start: invalid configuration: ${problems}\n`);
    process.exit(CONFIG_EXIT_CODE);
  }
}
