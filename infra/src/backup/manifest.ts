import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const DUMP_FILE = 'postgres.dump';

export interface StreamManifest {
  name: string;
  file: string;
  firstSeq: number;
  lastSeq: number;
  /**
   * The last sequence before the Postgres snapshot was taken. A message after it whose
   * Nats-Msg-Id no restored outbox holds describes a change the snapshot does not have.
   */
  lastSeqBeforeSnapshot: number;
  /** Whether the stream is written by the services' outboxes (EVENTS, WORK); DEAD_LETTER is not. */
  fedByOutbox: boolean;
  messages: number;
}

export interface BackupManifest {
  format: 1;
  createdAt: string;
  seconds: number;
  postgres: { file: string; serverMajor: number; pgDumpMajor: number; bytes: number };
  streams: StreamManifest[];
}

export async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  if (manifest.format !== 1) throw new Error(`${path.join(dir, MANIFEST_FILE)}: unknown backup format ${String(manifest.format)}`);
  return manifest;
}
