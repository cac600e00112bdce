export * from './breaker';
export * from './breakers';
export * from './node-health';
