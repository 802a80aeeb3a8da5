import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

// Debian/Ubuntu install nats-server into /usr/sbin, which a non-root PATH often lacks;
// Homebrew on Apple Silicon uses /opt/homebrew/bin.
const EXTRA_SEARCH_DIRS = ['/usr/sbin', '/usr/local/bin', '/opt/homebrew/bin'];

export const NATS_INSTALL_HINT = [
  'Install nats-server with one of:',
  '  Debian/Ubuntu: apt-get install nats-server',
  '  macOS:         brew install nats-server',
  '  other:         download a release from https://github.com/nats-io/nats-server/releases',
  'or set NATS_SERVER_BIN to the binary path, or point NATS_URL at an existing server.',
].join('\n');

/** Resolves the nats-server binary: explicit option, then NATS_SERVER_BIN, then PATH and well-known dirs. */
export function resolveNatsBinary(explicit?: string): string {
  const configured = explicit ?? process.env['NATS_SERVER_BIN'];
  if (configured !== undefined && configured !== '') {
    if (isExecutableFile(configured)) return configured;
    throw new Error(`nats-server binary not found or not executable at "${configured}".\n${NATS_INSTALL_HINT}`);
  }
  const pathDirs = (process.env['PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== '');
  for (const dir of [...pathDirs, ...EXTRA_SEARCH_DIRS]) {
    const candidate = path.join(dir, 'nats-server');
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new Error(`nats-server was not found on PATH or in ${EXTRA_SEARCH_DIRS.join(', ')}.\n${NATS_INSTALL_HINT}`);
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
