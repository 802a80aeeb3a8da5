import type { ChildProcess } from 'node:child_process';

// One 'exit' listener for every child, rather than one per child: a test
// worker starts dozens over its life and Node warns past ten listeners.
const children = new Set<ChildProcess>();
let hooked = false;

/**
 * SIGKILLs `child` if this process exits while it still runs, so a crashed
 * test runner or launcher does not leave services holding ports. The child
 * is forgotten once it exits.
 */
export function killOnParentExit(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const running of children) running.kill('SIGKILL');
    });
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
}
