import { parseArgs } from 'node:util';
import { loadSettings } from '@agentmarket/config';
import { backupSettings } from './backup/config.ts';
import { takeBackup } from './backup/backup.ts';

// `npm run backup -- --out <dir>`: the whole database (one pg_dump snapshot) and the JetStream streams, into a new folder.
const USAGE = `usage: backup --out <dir>
  DATABASE_URL says which database; NATS_URL (and NATS_USER=operator, NATS_PASSWORD) which bus.
  PG_BIN_DIR picks the pg_dump when the one found is older than the server.`;

let out: string | undefined;
try {
  out = parseArgs({ options: { out: { type: 'string' } }, strict: true }).values.out;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!out) {
  console.error(USAGE);
  process.exit(2);
}
try {
  const settings = loadSettings(backupSettings);
  const manifest = await takeBackup({ databaseUrl: settings.DATABASE_URL, natsUrl: settings.NATS_URL, credentials: settings, outDir: out, pgBinDir: settings.PG_BIN_DIR, log: console.log });
  const messages = manifest.streams.map((stream) => `${stream.name} ${stream.messages}`).join(', ');
  console.log(`backup written to ${out} in ${manifest.seconds.toFixed(1)} s: database ${manifest.postgres.bytes} bytes; messages: ${messages}`);
} catch (error) {
  console.error(`backup failed: ${(error as Error).message}`);
  process.exit(1);
}
