import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { STREAMS } from '@agentmarket/contracts';
import type { BusCredentials } from '@agentmarket/messaging';
import { connectTool } from './bus-connection.ts';
import { DUMP_FILE, writeManifest, type BackupManifest, type StreamManifest } from './manifest.ts';
import { choosePgTools, runPgTool, serverMajorVersion } from './pg-tools.ts';
import { archiveStream, streamRange } from './stream-archive.ts';

export interface BackupOptions {
  databaseUrl: string;
  natsUrl: string;
  credentials: BusCredentials;
  outDir: string;
  pgBinDir: string;
  log?: (line: string) => void;
}

/** Streams the services' outboxes write: their messages must match a row of the restored database. */
const OUTBOX_FED_STREAMS = new Set<string>([STREAMS.events.name, STREAMS.work.name]);

/**
 * Backs up the market into `outDir`: one pg_dump of the whole database (one
 * snapshot of every service schema at once), then every message of each
 * stream. Stream positions are noted before the dump so that a restore can
 * tell the messages the snapshot explains from those it does not.
 */
export async function takeBackup(options: BackupOptions): Promise<BackupManifest> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  await mkdir(options.outDir, { recursive: true });
  if ((await readdir(options.outDir)).length > 0) throw new Error(`${options.outDir} is not empty: back up into a new folder`);
  const serverMajor = await serverMajorVersion(options.databaseUrl);
  const tools = await choosePgTools(serverMajor, options.pgBinDir);
  const connection = await connectTool(options.natsUrl, options.credentials, 'agentmarket-backup');
  try {
    const manager = await jetstreamManager(connection);
    const declared = Object.values(STREAMS).map((stream) => stream.name);
    const beforeSnapshot = new Map(await Promise.all(declared.map(async (name) => [name, await streamRange(manager, name)] as const)));

    const dumpFile = path.join(options.outDir, DUMP_FILE);
    log(`pg_dump ${tools.major} (${tools.pgDump}) of a PostgreSQL ${serverMajor} server…`);
    await runPgTool(tools.pgDump, ['--format=custom', '--no-password', `--file=${dumpFile}`], options.databaseUrl);

    const streams: StreamManifest[] = [];
    for (const name of declared) {
      const range = await streamRange(manager, name);
      if (!range) continue;
      const file = `${name}.jsonl`;
      const messages = await archiveStream(manager, name, range, path.join(options.outDir, file));
      const lastSeqBeforeSnapshot = beforeSnapshot.get(name)?.lastSeq ?? 0;
      streams.push({ name, file, ...range, lastSeqBeforeSnapshot, fedByOutbox: OUTBOX_FED_STREAMS.has(name), messages });
      log(`${name}: ${messages} message(s), sequences ${range.firstSeq}–${range.lastSeq}`);
    }
    const manifest: BackupManifest = {
      format: 1,
      createdAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      postgres: { file: DUMP_FILE, serverMajor, pgDumpMajor: tools.major, bytes: (await stat(dumpFile)).size },
      streams,
    };
    await writeManifest(options.outDir, manifest);
    return manifest;
  } finally {
    await connection.close();
  }
}
