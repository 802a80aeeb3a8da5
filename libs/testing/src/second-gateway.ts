import { findFreePort, natsCredentialsEnv, startServiceProcess, type ServiceProcess } from '@agentmarket/local-infra';
import { PROCESSES } from '@agentmarket/infra';
import { TEST_STACK_ENV, type TestStack } from './test-stack.ts';

/** Another gateway replica on the stack's bus (its own port), as a second instance behind a balancer would run. */
export async function startSecondGateway(stack: TestStack, env: Record<string, string>): Promise<{ url: string; process: ServiceProcess }> {
  const definition = PROCESSES.find((candidate) => candidate.name === 'gateway');
  if (!definition) throw new Error('no gateway process definition');
  const port = await findFreePort();
  const process = await startServiceProcess({
    name: 'gateway#2',
    entry: definition.entry,
    env: {
      ...TEST_STACK_ENV,
      ...env,
      NATS_URL: stack.natsUrl,
      // On a bus with users, it connects as the gateway user, like the stack's own gateway.
      ...(stack.natsAuth ? natsCredentialsEnv(stack.natsAuth, 'gateway') : {}),
      PORT: String(port),
    },
    onOutput: (name, line) => stack.output.push(`[${name}] ${line}`),
    restartPolicy: false,
    readyUrl: `http://127.0.0.1:${port}/openapi.json`,
    readyTimeoutMs: 60_000,
  });
  return { url: `http://127.0.0.1:${port}`, process };
}
