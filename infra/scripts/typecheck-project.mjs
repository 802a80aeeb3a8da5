// Typechecks one workspace project (the folder it is run in) with the workspace's
// compiler options: `nx affected -t typecheck` runs it in each project a change
// reaches. `npm run typecheck` checks the whole tree in one program instead, which
// is faster than all projects one by one (they share most of their imports).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = path.relative(root, process.cwd());
if (project === '' || project.startsWith('..')) {
  console.error('run it inside a project folder (services/<name>, libs/<name>, infra, bench)');
  process.exit(2);
}
const configDir = path.join(root, 'node_modules/.cache/typecheck');
mkdirSync(configDir, { recursive: true });
const configFile = path.join(configDir, `${project.replaceAll('/', '__')}.json`);
const fromConfig = (relative) => path.relative(configDir, path.join(root, relative));
writeFileSync(
  configFile,
  JSON.stringify({
    extends: fromConfig('tsconfig.base.json'),
    include: ['src/**/*.ts', 'test/**/*.ts'].map((pattern) => fromConfig(path.join(project, pattern))),
  }),
);
const tsc = path.join(root, 'node_modules/.bin/tsc');
const result = spawnSync(tsc, ['-p', configFile, '--noEmit'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
