/**
 * The wait before reconnecting after `failures` consecutive failed or dropped
 * connections: exponential from `minMs`, capped at `maxMs`, half of it random
 * so that the clients of a restarted gateway do not all come back at once.
 */
export function reconnectDelayMs(failures: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Whether `id` comes after `last`: positions are integers (JetStream sequences),
 * compared as numbers; anything else (a server that numbers differently) is
 * only told apart from the last id.
 */
export function isAfter(id: string, last: string | undefined): boolean {
  if (last === undefined) return true;
  if (/^\d+$/.test(id) && /^\d+$/.test(last)) return BigInt(id) > BigInt(last);
  return id !== last;
}
