// telemetry: JSON logs (pino), Prometheus metrics (prom-client) and W3C trace context (OpenTelemetry API).
//
//   const logger = createLogger({ service: 'user', version: '0.1.0' });
//   const metrics = createMetricsRegistry('user');
//   // inside a handler: currentRequest()?.logger.info('...'); propagateRequest(new Metadata()) for a downstream call
export * from './logger';
export * from './metrics';
export * from './tracing';
export * from './sdk';
export * from './log-context';
export {
  currentRequest,
  newRequestContext,
  type NewRequest,
  propagateRequest,
  requestIdFrom,
  REQUEST_ID_KEY,
  runInRequest,
  type RequestContext,
} from './request-context';
