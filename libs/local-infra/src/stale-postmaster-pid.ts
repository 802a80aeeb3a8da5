import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Removes `postmaster.pid` left behind by a postgres that was killed, so the next start is not
 * refused. A pid that is alive but is no longer a postgres process (pids get reused, quickly so in
 * containers) also counts as stale. Returns true if the file was removed.
 */
export async function removeStalePostmasterPid(dataDir: string): Promise<boolean> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let content: string;
  try {
    content = await readFile(pidFile, 'utf8');
  } catch {
    return false;
  }
  // Single-user backends write their pid negated.
  const pid = Math.abs(Number.parseInt(content.split('\n')[0] ?? '', 10));
  if (Number.isInteger(pid) && pid > 0 && (await isPostgresProcess(pid))) return false;
  await rm(pidFile, { force: true });
  return true;
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM means it exists but belongs to another user, e.g. the postgres user a root run switches to.
    if (!(error instanceof Error && 'code' in error && error.code === 'EPERM')) return false;
  }
  try {
    const command = await readFile(`/proc/${pid}/comm`, 'utf8');
    return command.includes('postgres');
  } catch {
    // No procfs (macOS): be conservative and trust the liveness check.
    return true;
  }
}
