// @blog/testing/contracts: the consumer-driven contract layer (docs/contracts.md). A separate entry from
// @blog/testing so that only contract tests load Pact and its native core.
export * from './pact-files';
export * from './message-consumer';
export * from './message-provider';
export * from './interactions';
export { MatchersV3 as match } from '@pact-foundation/pact';
export * from './rpc-contract';
