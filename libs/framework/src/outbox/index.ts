export * from './outbox';
export * from './pg-outbox';
