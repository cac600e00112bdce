export * from './selector';
export * from './round-robin.strategy';
export * from './random.strategy';
export * from './available.filter';
