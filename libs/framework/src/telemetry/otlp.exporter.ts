// Optional span export over OTLP/HTTP, switched on by OTEL_EXPORTER_OTLP_ENDPOINT. One tracer provider per process.
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { installTracing } from './tracing';

/** OtlpOptions configure startOtlpExport. */
export interface OtlpOptions {
  /** The collector's base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces`. */
  readonly endpoint: string;
  readonly service: string;
  readonly version: string;
}

/** startOtlpExport installs an SDK tracer provider exporting to the collector; it returns a flush-and-stop function. */
export function startOtlpExport(options: OtlpOptions): () => Promise<void> {
  installTracing();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service, 'service.version': options.version }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` }),
      }),
    ],
  });
  if (!trace.setGlobalTracerProvider(provider)) {
    // Another service in this process (tests) already installed a provider: keep that one.
    void provider.shutdown();
    return () => Promise.resolve();
  }
  let stopped: Promise<void> | undefined;
  return () => (stopped ??= provider.shutdown());
}
