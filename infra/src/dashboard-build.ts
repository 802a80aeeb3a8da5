import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const INDEX = fileURLToPath(new URL('../../apps/dashboard/dist/index.html', import.meta.url));
const VITE = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));

/** Builds the dashboard (Vite) when no build exists yet, so that a fresh `npm ci && npm start` serves it at `/`. */
export async function ensureDashboardBuilt(log: (line: string) => void): Promise<void> {
  try {
    await access(INDEX);
    return;
  } catch {
    log('building the dashboard (first start; later: `npm run build:dashboard` after changing it)…');
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, 'build', '--config', 'apps/dashboard/vite.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the dashboard build failed (exit ${code})`))));
  });
}
