// @blog/framework: every distributed-systems concern as a small interface with a sane default.
// One folder per concept (see README "The framework"); this file is the public surface and nothing else.
export * from './config';
export * from './telemetry';
export * from './errors';
export * from './codec';
export * from './health';
export * from './server';
export * from './registry';
export * from './selector';
export * from './breaker';
export * from './client';
export * from './broker';
export * from './store';
export * from './outbox';
export * from './inbox';
export * from './sync';
export * from './service';
