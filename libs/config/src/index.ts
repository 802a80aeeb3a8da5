export * from './common.ts';
export * from './settings.ts';
export * from './process-settings.ts';
