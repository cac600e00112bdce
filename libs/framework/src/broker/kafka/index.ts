export * from './kafka.broker';
export * from './kafka-admin';
export { pinoLogCreator } from './kafka-logger';
