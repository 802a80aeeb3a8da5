import { loadSettings, databaseSettings } from '@agentmarket/config';
import { migrateAll } from './migrate.ts';
import { SCHEMA_MODULES } from './service-registry.ts';

// `npm run migrate`: the explicit migration step (services never migrate at start).
const { DATABASE_URL } = loadSettings({ DATABASE_URL: databaseSettings.DATABASE_URL });
try {
  await migrateAll(DATABASE_URL, SCHEMA_MODULES);
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}
