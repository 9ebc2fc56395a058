export * from './api.ts';
export * from './client.ts';
export * from './events.ts';
