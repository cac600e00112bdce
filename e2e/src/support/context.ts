// What the global setup hands every test file (vitest `provide`/`inject`): where the system is, what can be
// controlled in this mode, and why a part of the suite cannot run.
import type { KafkaSasl } from '@blog/framework';
import { inject } from 'vitest';

/** E2eMode: `local` starts the local stack and the apps; `remote` uses E2E_BASE_URL; `compose` uses Docker Compose. */
export type E2eMode = 'local' | 'remote' | 'compose';

/** E2eContext is the run's shared context. */
export interface E2eContext {
  mode: E2eMode;
  /** baseUrl of the gateway ('' when the whole run is skipped). */
  baseUrl: string;
  /** skipReason, when set, skips every scenario: the run reports SKIPPED with this reason. */
  skipReason?: string;
  /** kafkaBrokers reach the stack's Kafka (duplicate injection); absent when unknown. */
  kafkaBrokers?: string[];
  /** kafkaSasl signs in to that Kafka as the tools' user; absent when unknown (a broker without authentication). */
  kafkaSasl?: KafkaSasl;
  /** controlUrl is the process controller of this run (fault tests); absent when processes are not ours. */
  controlUrl?: string;
  /** noControlReason says why fault tests that need process control skip. */
  noControlReason?: string;
  /** runDir collects the run's measurements (saga latencies). */
  runDir: string;
  /** readiness is the gateway's /readyz answer at the end of the setup (a failing one is reported by a test). */
  readiness: { status: number; body: unknown; waitedMs: number };
  /** openapiProxyUrl is Prism's validating proxy in front of the gateway (absent: the traffic is not validated). */
  openapiProxyUrl?: string;
  /** openapiSkipReason says why the traffic is not validated against the OpenAPI document. */
  openapiSkipReason?: string;
  /** logDir holds each app's output in local mode (evidence for failures). */
  logDir?: string;
  /** appPorts are the ports of every app instance the run started (local mode), by instance name. */
  appPorts?: Record<string, number[]>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eContext;
  }
}

/** e2e returns the run's context inside a test file. */
export const e2e = (): E2eContext => inject('e2e');
