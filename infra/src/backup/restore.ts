import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS, type StreamDeclaration } from '@agentmarket/contracts';
import type { BusCredentials } from '@agentmarket/messaging';
import { connectTool } from './bus-connection.ts';
import { readManifest, type StreamManifest } from './manifest.ts';
import { existingServiceSchemas, markOutboxRowsSent, outboxEventIds } from './outbox-reconcile.ts';
import { choosePgTools, runPgTool, serverMajorVersion } from './pg-tools.ts';
import { messageIdOf, type ArchivedMessage } from './stream-archive.ts';
import { restoreStream } from './stream-restore.ts';

export interface RestoreOptions {
  databaseUrl: string;
  natsUrl: string;
  credentials: BusCredentials;
  fromDir: string;
  pgBinDir: string;
  streamReplicas: number;
  log?: (line: string) => void;
}

export interface RestoreSummary {
  seconds: number;
  streams: { name: string; restored: number; dropped: number; lastSeq: number }[];
  outboxRowsMarkedSent: number;
}

/**
 * Restores a backup into an empty database and a NATS with an empty
 * JetStream store: the database first (it is authoritative), then each
 * stream at its original sequences, keeping only the outbox-fed messages
 * the restored database explains; then the unsent outbox rows whose events
 * are back in the stream are marked sent. Durable consumers, KV buckets and
 * projections are not restored: the services rebuild them when they start.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const manifest = await readManifest(options.fromDir);
  const present = await existingServiceSchemas(options.databaseUrl);
  if (present.length > 0) throw new Error(`the database already has the schemas ${present.join(', ')}: restore into a new, empty database`);

  const tools = await choosePgTools(await serverMajorVersion(options.databaseUrl), options.pgBinDir);
  log(`pg_restore ${tools.major} (${tools.pgRestore})…`);
  // No owners or grants: the roles of the backed-up server need not exist here; the restoring user owns everything.
  await runPgTool(
    tools.pgRestore,
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--no-password', `--dbname=${databaseNameOf(options.databaseUrl)}`, path.join(options.fromDir, manifest.postgres.file)],
    options.databaseUrl,
  );

  const knownEventIds = await outboxEventIds(options.databaseUrl);
  const connection = await connectTool(options.natsUrl, options.credentials, 'agentmarket-restore');
  const restoredIds: string[] = [];
  const streams: RestoreSummary['streams'] = [];
  try {
    const manager = await jetstreamManager(connection);
    for (const stream of manifest.streams) {
      const declaration = declarationOf(stream.name);
      const keep = (message: ArchivedMessage) => {
        const kept = isExplainedByDatabase(stream, message, knownEventIds);
        const id = messageIdOf(message);
        if (kept && id) restoredIds.push(id);
        return kept;
      };
      const file = path.join(options.fromDir, stream.file);
      const result = await restoreStream(connection, manager, { declaration, replicas: options.streamReplicas, file, range: stream, keep });
      streams.push({ name: stream.name, ...result });
      log(`${stream.name}: ${result.restored} message(s) restored, ${result.dropped} left out (newer than the database), last sequence ${result.lastSeq}`);
    }
  } finally {
    await connection.close();
  }
  const outboxRowsMarkedSent = await markOutboxRowsSent(options.databaseUrl, restoredIds);
  return { seconds: (Date.now() - started) / 1000, streams, outboxRowsMarkedSent };
}

/**
 * A message stored before the snapshot was explained by it (its row had committed), even if that row was
 * pruned since; after it, only a message whose row the snapshot holds is: others describe lost changes.
 */
function isExplainedByDatabase(stream: StreamManifest, message: ArchivedMessage, knownEventIds: Set<string>): boolean {
  if (!stream.fedByOutbox || message.seq <= stream.lastSeqBeforeSnapshot) return true;
  const id = messageIdOf(message);
  return id !== undefined && knownEventIds.has(id);
}

/** The name alone: the rest of the connection goes through the environment, keeping the password off the command line. */
function databaseNameOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
}

function declarationOf(name: string): StreamDeclaration {
  const declaration = Object.values(STREAMS).find((stream) => stream.name === name);
  if (!declaration) throw new Error(`the backup holds a stream this version does not declare: ${name}`);
  return declaration;
}
