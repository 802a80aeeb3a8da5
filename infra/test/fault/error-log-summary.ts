/**
 * The error lines (pino level 50 and 60) of the market's processes, one
 * line per kind — process, message, error type and the first frame in the
 * project's own code — with how often it occurred and one request id, so a
 * 500 in the table can be traced to its cause in the CI log.
 */
export function summariseErrorLines(output: string[]): string[] {
  const kinds = new Map<string, { count: number; example: string }>();
  for (const line of output) {
    const match = /^\[([^\]]+)\] (\{.*\})$/.exec(line);
    if (!match) continue;
    let entry: { level?: number; msg?: string; request_id?: string; err?: { type?: string; message?: string; stack?: string } };
    try {
      entry = JSON.parse(match[2] ?? '');
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 50) continue;
    const ownFrame = entry.err?.stack?.split('\n').find((frame) => frame.includes('file:///') && !frame.includes('node_modules'))?.trim();
    const kind = `[${match[1]}] ${entry.msg ?? ''}: ${entry.err?.type ?? ''} ${entry.err?.message ?? ''} ${ownFrame ?? ''}`;
    const known = kinds.get(kind);
    if (known) known.count++;
    else kinds.set(kind, { count: 1, example: entry.request_id ?? '-' });
  }
  return [...kinds.entries()].map(([kind, { count, example }]) => `${count} × ${kind} (e.g. request ${example})`);
}
