export * from './envelope';
export * from './event-types';
export * from './lenient-time';
export * from './signature';
export * from './strip-json-whitespace';
export * from './json-shape';
