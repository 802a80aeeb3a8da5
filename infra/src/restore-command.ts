import { parseArgs } from 'node:util';
import { busSettings, loadSettings } from '@agentmarket/config';
import { backupSettings } from './backup/config.ts';
import { restoreBackup } from './backup/restore.ts';

// `npm run restore -- --from <dir>`: into an empty database and a NATS with an empty JetStream store, services stopped.
const USAGE = `usage: restore --from <dir>
  DATABASE_URL: a new, empty database; NATS_URL (NATS_USER=operator, NATS_PASSWORD): a bus with no streams yet.
  Start the services only after it has finished. PG_BIN_DIR picks the pg_restore.`;

let from: string | undefined;
try {
  from = parseArgs({ options: { from: { type: 'string' } }, strict: true }).values.from;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!from) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const settings = loadSettings({ ...backupSettings, ...busSettings });
  const summary = await restoreBackup({
    databaseUrl: settings.DATABASE_URL,
    natsUrl: settings.NATS_URL,
    credentials: settings,
    fromDir: from,
    pgBinDir: settings.PG_BIN_DIR,
    streamReplicas: settings.STREAM_REPLICAS,
    log: console.log,
  });
  console.log(`restored from ${from} in ${summary.seconds.toFixed(1)} s; ${summary.outboxRowsMarkedSent} outbox row(s) marked sent; now start the services`);
} catch (error) {
  console.error(`restore failed: ${(error as Error).message}`);
  process.exit(1);
}
