/** "exit code 1" or "signal SIGKILL": how a child process ended, for logs and health checks. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `signal ${signal}`;
  return `exit code ${code ?? 'unknown'}`;
}
