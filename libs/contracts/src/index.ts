export * from './bus.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './identity.ts';
export * from './ids.ts';
export * from './pagination.ts';
export * from './reply.ts';
