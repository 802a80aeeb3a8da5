import { databaseSettings, natsAuthSettings, str, url } from '@agentmarket/config';

/**
 * What `npm run backup` and `npm run restore` read. They act as the
 * operator on the bus (NATS_USER=operator and its password from
 * `nats:config`), since they read and write whole streams.
 */
export const backupSettings = {
  DATABASE_URL: databaseSettings.DATABASE_URL,
  NATS_URL: url('NATS server(s), comma-separated', 'nats://127.0.0.1:4222'),
  ...natsAuthSettings,
  PG_BIN_DIR: str(
    'folder of the pg_dump and pg_restore to use; empty = the newest suitable one found on PATH, in /usr/lib/postgresql/*/bin and in the embedded Postgres package (pg_dump must be at least as new as the server)',
    '',
  ),
};
