export * from './inbox';
export * from './pg-inbox';
export * from './consumer';
export { UndecodableError, decodePayload, messageIdOf } from './decode';
export { dlqHeaders } from './dead-letter';
export { InboxMetrics, sagaOutcomes, type SagaOutcome } from './inbox-metrics';
