// `import '@blog/framework/instrument'` as the FIRST import of an app's main.ts: it registers the OpenTelemetry
// instrumentations (pg, http, undici) before those modules are loaded, which is when they can be patched. The SDK
// itself (exporter, service name) starts later, in createService, once the configuration is read.
import { registerFrameworkInstrumentations } from './telemetry/instrumentations';

registerFrameworkInstrumentations();
