/**
 * Typed environment settings. Each service declares its settings once; the
 * same declaration parses process.env at start (failing with every bad
 * variable named), documents the variable, and lets tests check that
 * docker-compose and docs/operators/configuration.md name exactly what the code reads.
 */
export interface Setting<T> {
  doc: string;
  /** Used when the variable is unset or empty. No default = required. */
  default?: string;
  parse: (raw: string, name: string) => T;
  /** Unset is refused when NODE_ENV=production (see productionRequired in process-settings.ts). */
  requiredInProduction?: boolean;
}

export type SettingsSpec = Record<string, Setting<unknown>>;

export type SettingsOf<S extends SettingsSpec> = { [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export function loadSettings<S extends SettingsSpec>(
  spec: S,
  env: Record<string, string | undefined> = process.env,
): SettingsOf<S> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(spec)) {
    const raw = env[name] === undefined || env[name] === '' ? setting.default : env[name];
    if (raw === undefined) {
      problems.push(`${name} is required: ${setting.doc}`);
      continue;
    }
    try {
      result[name] = setting.parse(raw, name);
    } catch (error) {
      problems.push(`${name}=${JSON.stringify(raw)}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result as SettingsOf<S>;
}

export function str(doc: string, defaultValue?: string): Setting<string> {
  return { doc, default: defaultValue, parse: (raw) => raw };
}

export function int(doc: string, defaultValue?: number, range: { min?: number; max?: number } = {}): Setting<number> {
  return {
    doc,
    default: defaultValue === undefined ? undefined : String(defaultValue),
    parse: (raw) => {
      const value = Number(raw);
      if (!Number.isInteger(value)) throw new Error('not an integer');
      if (range.min !== undefined && value < range.min) throw new Error(`must be ≥ ${range.min}`);
      if (range.max !== undefined && value > range.max) throw new Error(`must be ≤ ${range.max}`);
      return value;
    },
  };
}

export function oneOf<const T extends string>(doc: string, values: readonly T[], defaultValue?: T): Setting<T> {
  return {
    doc,
    default: defaultValue,
    parse: (raw) => {
      if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')}`);
      return raw as T;
    },
  };
}

export function url(doc: string, defaultValue?: string): Setting<string> {
  return {
    doc,
    default: defaultValue,
    parse: (raw) => {
      // NATS_URL may list several servers separated by commas.
      for (const part of raw.split(',')) new URL(part.trim());
      return raw;
    },
  };
}
