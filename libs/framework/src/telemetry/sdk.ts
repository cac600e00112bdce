// The OpenTelemetry SDK of a service process (@opentelemetry/sdk-node), configured by the standard OTEL_* variables:
//   OTEL_TRACES_EXPORTER=zipkin + OTEL_EXPORTER_ZIPKIN_ENDPOINT   what `npm start` sets (the stack's Zipkin)
//   OTEL_TRACES_EXPORTER=otlp (or just OTEL_EXPORTER_OTLP_ENDPOINT) an OTLP collector (http/protobuf, or http/json
//                                                                   by OTEL_EXPORTER_OTLP_PROTOCOL)
//   OTEL_TRACES_EXPORTER=none, or nothing of the above              no SDK: spans are not recorded, but trace ids
//                                                                   still flow to logs, calls and the outbox
// Only traces: metrics stay Prometheus (prom-client, /metrics) and logs stay pino JSON on stdout, so OTEL_METRICS_
// and OTEL_LOGS_EXPORTER are ignored. An exporter that cannot reach its collector drops the batch quietly (the
// SDK's diagnostics are off), so a stopped viewer neither stalls a service nor fills its log.
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace';
import { registerFrameworkInstrumentations, traceExportWanted } from './instrumentations';
import { installTracing } from './tracing';

export { traceExportWanted };

/** TelemetryOptions name the process on its spans. */
export interface TelemetryOptions {
  readonly service: string;
  readonly version: string;
}

/**
 * spanExporters reads the standard exporter variables from `env` (the service's environment, which tests pass as an
 * object: the SDK's own reader only sees process.env). Settings beyond the endpoint (headers, timeouts) are still
 * read by each exporter from process.env, as the specification describes.
 */
export function spanExporters(env: NodeJS.ProcessEnv): SpanExporter[] {
  const names = (env['OTEL_TRACES_EXPORTER'] || 'otlp').split(',').map((name) => name.trim());
  const otlpBase = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.replace(/\/$/, '');
  const otlpUrl =
    env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || (otlpBase ? `${otlpBase}/v1/traces` : undefined);
  const protocol =
    env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] || env['OTEL_EXPORTER_OTLP_PROTOCOL'] || 'http/protobuf';
  return names.flatMap((name): SpanExporter[] => {
    switch (name) {
      case 'zipkin':
        return [new ZipkinExporter({ url: env['OTEL_EXPORTER_ZIPKIN_ENDPOINT'] })];
      case 'otlp':
        return [
          protocol === 'http/json'
            ? new OtlpJsonExporter({ url: otlpUrl })
            : new OtlpProtoExporter({ url: otlpUrl }),
        ];
      case 'console':
        return [new ConsoleSpanExporter()];
      default:
        return [];
    }
  });
}

let owner: string | undefined;

/**
 * startTelemetry starts the SDK for this process when the environment asks for export and returns a flush-and-stop
 * function. One SDK per process: when tests run several services in one process the first one keeps it.
 */
export function startTelemetry(
  options: TelemetryOptions,
  env: NodeJS.ProcessEnv = process.env,
): () => Promise<void> {
  installTracing();
  // Instrumentations registered here (when main.ts did not import '@blog/framework/instrument') patch only modules
  // loaded from now on; registering twice is a no-op, and without export nothing is registered.
  registerFrameworkInstrumentations(env);
  if (!traceExportWanted(env) || owner !== undefined) return () => Promise.resolve();
  owner = options.service;
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': options.service, 'service.version': options.version }),
    serviceName: options.service,
    autoDetectResources: false,
    // Registered already (above, or by instrument.ts); the SDK gives them its tracer provider through the global one.
    instrumentations: [],
    spanProcessors: spanExporters(env).map((exporter) => new BatchSpanProcessor({ exporter })),
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  // After the flush the provider is gone for good: unregister it, so a later service of this process (tests) can
  // install its own.
  const release = () => {
    trace.disable();
    owner = undefined;
  };
  return () => (stopped ??= sdk.shutdown().then(release, release));
}
