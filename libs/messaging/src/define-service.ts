import { loadProcessSettings, oneLine, type Setting, type SettingsOf, type SettingsSpec } from '@agentmarket/config';
import type { ServiceName } from '@agentmarket/contracts';
import { runServiceProcess, type RuntimeSettings, type ServiceModule } from './service-runtime.ts';

/** A settings spec that declares at least what the runtime reads (bus, database, logs, ops port). */
export type ServiceSettingsSpec = SettingsSpec & { [K in keyof RuntimeSettings]: Setting<RuntimeSettings[K]> };

export interface ServiceDefinition<S extends ServiceSettingsSpec> {
  name: ServiceName;
  settings: S;
  /** The module itself, or how to build it from the loaded settings. */
  module: ServiceModule | ((settings: SettingsOf<S>) => ServiceModule);
}

/**
 * The whole entry point of a service process: load its settings from the
 * environment (a bad one ends the process with exit code 78), build its
 * module, and run it until SIGTERM/SIGINT.
 */
export async function defineService<S extends ServiceSettingsSpec>(definition: ServiceDefinition<S>): Promise<void> {
  // The spec's constraint guarantees the runtime's settings are among the loaded ones; TypeScript cannot see through the mapped type.
  const settings = loadProcessSettings(definition.name, definition.settings) as SettingsOf<S> & RuntimeSettings;
  await runServiceProcess(buildModule(definition, settings), settings);
}

function buildModule<S extends ServiceSettingsSpec>(definition: ServiceDefinition<S>, settings: SettingsOf<S>): ServiceModule {
  if (typeof definition.module !== 'function') return definition.module;
  try {
    return definition.module(settings);
  } catch (error) {
    // A module refusing its settings (e.g. identity's JWT_KEYS too short) fails the start like any other start error: one line, exit 1.
    process.stderr.write(`${definition.name} failed to start: ${oneLine((error as Error).message)}\n`);
    process.exit(1);
  }
}
