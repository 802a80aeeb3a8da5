export * from './logger.ts';
export * from './metrics.ts';
export * from './ops-server.ts';
export * from './process-guard.ts';
export * from './scrape-samplers.ts';
export * from './idle-collector.ts';
