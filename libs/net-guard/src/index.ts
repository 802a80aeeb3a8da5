export * from './address-policy.ts';
export * from './pinned-fetch.ts';
export * from './pinned-post.ts';
export * from './target-guard.ts';
