export * from './event-store';
export * from './types';
export * from './projector/checkpoints';
export * from './projector/log-event';
export * from './projector/projection-runner';
