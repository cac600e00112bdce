export * from './outbox';
export * from './pg-outbox';
export * from './event';
export * from './saga-id';
export * from './emit';
