export * from './event-store';
export * from './types';
