export * from './migrate.ts';
export * from './service-registry.ts';
export * from './stack.ts';
