import type { TestStack } from './test-stack.ts';

/**
 * The ops port (/readyz, /metrics) a service last logged in its ready line
 * (the service must log at info level). The last, because a start that was
 * retried with new ports, or a process the supervisor restarted, logged an
 * earlier port that is closed now.
 */
export function loggedOpsPort(stack: Pick<TestStack, 'output'>, service: string): number {
  const prefix = `[${service}] `;
  for (let index = stack.output.length - 1; index >= 0; index -= 1) {
    const line = stack.output[index]!;
    if (!line.startsWith(prefix)) continue;
    const match = /"ops_port":(\d+)/.exec(line);
    if (match) return Number(match[1]);
  }
  throw new Error(`${service} logged no ops_port`);
}
