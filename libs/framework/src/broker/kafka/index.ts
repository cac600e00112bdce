export * from './options';
export * from './create';
export { KafkajsBroker } from './kafka.broker';
export { PlatformaticBroker } from './platformatic.broker';
export * from './kafka-admin';
export { pinoLogCreator } from './kafka-logger';
