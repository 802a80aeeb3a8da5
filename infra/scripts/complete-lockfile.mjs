// Adds lockfile entries for platform-specific optional packages that the
// registry reachable from this machine does not serve (Nx's native binaries for
// macOS, Windows, musl...). Without them `npm ci` refuses the lockfile on every
// machine ("Missing: @nx/nx-darwin-arm64@ from lock file"). npm skips such an
// entry on a platform it does not match, so the entry only needs name, version,
// os and cpu. Covers the root's own optionalDependencies too (the embedded
// Postgres binaries of each platform: `npm ci` must accept the lockfile on Linux
// and macOS, x64 and arm64). Run after every `npm install` that touches the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

const OS_TOKENS = { darwin: 'darwin', linux: 'linux', freebsd: 'freebsd', win32: 'win32', windows: 'win32' };
const CPU_TOKENS = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64'];

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.map((t) => OS_TOKENS[t]).find(Boolean);
  const cpu = tokens.find((t) => CPU_TOKENS.includes(t));
  if (!os || !cpu) return undefined;
  const platform = { os: [os], cpu: [cpu] };
  if (tokens.includes('musl')) platform.libc = ['musl'];
  else if (os === 'linux' && tokens.includes('gnu')) platform.libc = ['glibc'];
  return platform;
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [depName, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const depPath = `node_modules/${depName}`;
    if (packages[depPath]) continue;
    const platform = platformOf(depName);
    if (!platform) continue;
    packages[depPath] = {
      version: range.replace(/^[\^~]/, ''),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...platform,
    };
    added += 1;
    console.log(`added ${depPath} (${platform.os[0]}/${platform.cpu[0]}) for ${path || 'root'}`);
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} platform entries added`);
