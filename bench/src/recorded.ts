import { readFile } from 'node:fs/promises';
import { measuredAtOf, type MeasuredAt } from './results-file.ts';

interface RecordedLifecycles {
  recorded: string;
  lifecyclesPerSec: number;
  ratioToTpcb: number;
}

/** The parsed file, or undefined if it is missing or not JSON. */
export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The lifecycle figures recorded at earlier issues and of this machine's previous run, to print beside this one. */
export async function formatRecorded(recordedFile: string, previousRunFile: string): Promise<string> {
  const lines = ['earlier figures (compare the ratio to TPC-B; absolute numbers move with the machine):'];
  const recorded = await readJson<{ lifecycles: RecordedLifecycles[] }>(recordedFile);
  for (const entry of recorded?.lifecycles ?? []) {
    lines.push(`  ${entry.recorded}: ${entry.lifecyclesPerSec} lifecycles/s, ratio ${entry.ratioToTpcb}`);
  }
  const previous = await readJson<{ finishedAt?: string; measuredAt?: MeasuredAt; lifecycles?: { lifecyclesPerSec: number; callsPerSec: number }; pgbench?: { tps: number } | null }>(
    previousRunFile,
  );
  if (previous?.lifecycles) {
    const ratio = previous.pgbench ? (previous.lifecycles.callsPerSec / previous.pgbench.tps).toFixed(3) : 'n/a';
    lines.push(`  previous run on this machine (${measuredAtOf(previous, 'lifecycles') ?? '?'}): ${previous.lifecycles.lifecyclesPerSec.toFixed(1)} lifecycles/s, ratio ${ratio}`);
  }
  return lines.join('\n');
}
