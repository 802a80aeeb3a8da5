import { databaseSettings, loadProcessSettings } from '@agentmarket/config';
import { migrateAll } from './migrate.ts';
import { SCHEMA_MODULES } from './service-registry.ts';

// `npm run migrate`: the explicit migration step (services never migrate at start). Under NODE_ENV=production
// (the image, the k8s migrate Job) a missing DATABASE_URL is refused in one line, never the local default.
const { DATABASE_URL } = loadProcessSettings('migrate', { DATABASE_URL: databaseSettings.DATABASE_URL });
try {
  await migrateAll(DATABASE_URL, SCHEMA_MODULES);
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}
