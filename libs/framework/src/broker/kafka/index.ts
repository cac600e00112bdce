export * from './options';
export * from './create';
export { KafkajsBroker } from './kafka.broker';
export { PlatformaticBroker } from './platformatic.broker';
export * from './kafka-admin';
export * from './sasl';
export { pinoLogCreator } from './kafka-logger';
