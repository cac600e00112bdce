// @blog/framework/core: the framework without its data plane, for a process that needs no broker and no database
// (the gateway): loading it loads neither kafkajs, nor pg, nor node-pg-migrate. `@blog/framework` is this plus the
// data plane (broker, store, outbox, inbox, sync, createDataPlane). Proven by apps/api-gateway/src/module-load.spec.ts.
export * from './config';
export * from './telemetry';
export * from './errors';
export * from './codec';
export * from './health';
export * from './server';
export * from './registry';
export * from './selector';
export * from './breaker';
export * from './auth';
export * from './client';
export * from './service/service';
export * from './service/create-service';
export * from './service/run-service';
export * from './service/version';
export * from './service/http-service';
