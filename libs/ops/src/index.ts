// @blog/ops: operations on a running platform (services, reflection calls, event tails, saga timelines, dead-letter
// redrive), shared by the `blog` CLI (src/cli) and the web console (src/console). Nothing here imports an app.
export * from './errors';
export * from './target';
export * from './topology';
export * from './event-log';
export * from './database';
export * from './decode';
export * from './dlq';
export * from './saga-model';
export * from './sagas';
export * from './services';
export * from './call';
export * from './ops';
export { runCli, type CliIo, type ExtraVerbs } from './cli/cli';
export { startConsole, type ConsoleOptions, type RunningConsole } from './console/server';
