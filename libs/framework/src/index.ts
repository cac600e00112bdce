// @blog/framework: every distributed-systems concern as a small interface with a sane default.
// One folder per concept (see README "The framework"); this file is the public surface and nothing else.
// A process without a broker or a database imports '@blog/framework/core' instead (src/core.ts), which loads none.
export * from './core';
export * from './broker';
export * from './store';
export * from './outbox';
export * from './inbox';
export * from './sync';
export * from './service';
