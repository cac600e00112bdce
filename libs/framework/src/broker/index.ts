export * from './broker';
export * from './brokers';
export * from './memory';
export * from './kafka';
