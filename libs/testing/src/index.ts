export * from './http-client.ts';
export * from './sse-client.ts';
export * from './test-stack.ts';
export * from './marketplace.ts';
export * from './service-under-test.ts';
export * from './fake-openai/index.ts';
export * from './use-test-stack.ts';
