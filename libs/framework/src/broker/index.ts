export * from './broker';
export * from './memory';
export * from './kafka';
