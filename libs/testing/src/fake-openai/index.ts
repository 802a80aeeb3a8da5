export type { FakeBehaviour, FakeBehaviourKind, FakeOpenAi, FakeOpenAiOptions, ReceivedRequest } from './types.ts';
export { startFakeOpenAi, FAKE_MODEL_ID } from './server.ts';
export { estimateTokens } from './completion.ts';
