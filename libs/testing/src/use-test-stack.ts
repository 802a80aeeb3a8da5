import { afterAll, beforeAll } from 'vitest';
import { apiClient, type ApiClient } from './http-client.ts';
import { startTestStack, type TestStack } from './test-stack.ts';

export interface TestMarket {
  /** The running stack; available inside tests and in hooks registered after `useTestStack`. */
  readonly stack: TestStack;
  /** The HTTP client of the stack's gateway. */
  readonly api: ApiClient;
}

/**
 * One test stack for the whole test file: started before its tests, stopped
 * after them (after the file's own afterAll hooks, which run first).
 */
export function useTestStack(options: Parameters<typeof startTestStack>[0] = {}): TestMarket {
  let stack: TestStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
  });
  afterAll(async () => stack?.stop());
  const running = (): TestStack => {
    if (!stack) throw new Error('The test stack has not started: use it in tests or in hooks registered after useTestStack()');
    return stack;
  };
  return {
    get stack() {
      return running();
    },
    api: ((...args: Parameters<ApiClient>) => apiClient(running().gatewayUrl)(...args)) as ApiClient,
  };
}
