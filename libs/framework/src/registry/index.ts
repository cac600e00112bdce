export * from './registry';
export * from './static';
export * from './dns';
export * from './create-registry';
