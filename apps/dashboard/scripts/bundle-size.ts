import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The first load of `/` may carry at most this much JavaScript, gzipped. */
export const FIRST_LOAD_JS_BUDGET_BYTES = 300 * 1024;

export const DIST_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export interface FirstLoadReport {
  files: { file: string; bytes: number; gzipBytes: number }[];
  totalGzipBytes: number;
}

/** Script and modulepreload URLs of index.html, in document order. */
export function firstLoadScripts(html: string): string[] {
  const urls: string[] = [];
  for (const match of html.matchAll(/<(script|link)\b[^>]*>/g)) {
    const tag = match[0];
    const isScript = match[1] === 'script' && /\bsrc="([^"]+)"/.test(tag);
    const isPreload = match[1] === 'link' && /\brel="modulepreload"/.test(tag);
    if (!isScript && !isPreload) continue;
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (url && !/^(https?:)?\/\//.test(url)) urls.push(url);
  }
  return urls;
}

/** Gzips (level 9, as the gateway serves it) every JavaScript file index.html loads first, and adds them up. */
export async function measureFirstLoad(distDir = DIST_DIR): Promise<FirstLoadReport> {
  const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const files = await Promise.all(
    firstLoadScripts(html).map(async (url) => {
      const body = await readFile(path.join(distDir, url.replace(/^\//, '')));
      return { file: url, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
    }),
  );
  return { files, totalGzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0) };
}

/** "19.7 KB" */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

// `node apps/dashboard/scripts/bundle-size.ts` prints the figure and fails over budget.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const report = await measureFirstLoad();
  for (const file of report.files) console.log(`${file.file}: ${kilobytes(file.bytes)} → ${kilobytes(file.gzipBytes)} gzip`);
  console.log(`first load: ${kilobytes(report.totalGzipBytes)} of JavaScript (gzip), budget ${kilobytes(FIRST_LOAD_JS_BUDGET_BYTES)}`);
  if (report.files.length === 0 || report.totalGzipBytes >= FIRST_LOAD_JS_BUDGET_BYTES) process.exitCode = 1;
}
