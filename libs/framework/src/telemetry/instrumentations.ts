// The maintained OpenTelemetry instrumentations for what the services use, registered once per process:
//   - http (node:http): the gateway's REST server span and any HTTP client call; admin-port probes and scrapes
//     (/metrics, /healthz, /readyz) are left out, they would bury the sagas under thousands of one-span traces;
//   - undici: fetch() client calls;
//   - pg: one span per query (and per pool connect), only under a span that is already there (a request or an
//     event being handled): the leader campaigns, inbox pruning and readiness probes are not traced.
// gRPC is not here on purpose: the framework's server interceptor and client tracing wrapper already make one span
// per call each side (with the request id, deadline and breaker around them); @opentelemetry/instrumentation-grpc
// would add a second span per hop. Kafka is not here either: the inbox consumer makes the consumer span itself from
// the record's traceparent header (Debezium copies it from the outbox row), which works for any Kafka client.
//
// Only when spans are exported (traceExportWanted): without an SDK every span they open is a non-recording one, yet the
// http instrumentation still wraps each request and response and works out the span's attributes, some 6 % of the
// gateway's CPU per request (benchmarks/README.md) for nothing. Trace ids flow on without them (tracing.ts).
//
// The instrumentations patch modules as they are first required, so they must be registered before pg or http are
// loaded: every app's main.ts starts with `import '@blog/framework/instrument'` (instrument.ts) for that.
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** probePaths are the admin port's routes that never get a span. */
const probePaths = /^\/(metrics|healthz|readyz)(\?|$)/;

let registered = false;

/** traceExportWanted tells whether the OTEL_* variables ask for span export at all. */
export function traceExportWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['OTEL_SDK_DISABLED'] === 'true') return false;
  const exporters = (env['OTEL_TRACES_EXPORTER'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (exporters.includes('none')) return false;
  return (
    exporters.length > 0 ||
    Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])
  );
}

/**
 * registerFrameworkInstrumentations registers the instrumentations once per process (later calls do nothing), when
 * `env` asks for span export.
 */
export function registerFrameworkInstrumentations(env: NodeJS.ProcessEnv = process.env): void {
  if (registered || !traceExportWanted(env)) return;
  registered = true;
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => probePaths.test(request.url ?? '') }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
}
