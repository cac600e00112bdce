export * from './tracing.wrapper';
export * from './metrics.wrapper';
export * from './breaker.wrapper';
export * from './retry.wrapper';
export * from './selector.wrapper';
