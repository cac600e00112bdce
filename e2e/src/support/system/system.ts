// A running system under test, whichever way it was started (local stack, Docker Compose, or someone else's).

import type { KafkaSasl } from '@blog/framework';
import type { ProcessControl } from '../control/process-control';

/** RunningSystem is what a mode's start-up returns to the global setup. */
export interface RunningSystem {
  baseUrl: string;
  kafkaBrokers?: string[];
  /** kafkaSasl signs in to Kafka as the tools' user (`blog-tools`: read the event log, replay records). */
  kafkaSasl?: KafkaSasl;
  /** control is present when the run owns the processes. */
  control?: ProcessControl;
  /** noControlReason explains a missing control. */
  noControlReason?: string;
  logDir?: string;
  /** appPorts are the ports each app instance listens on, when the run started them (local mode). */
  appPorts?: Record<string, number[]>;
  /** stop stops what the run started, and only that. */
  stop(): Promise<void>;
}

/** Readiness is the gateway's /readyz answer. */
export interface Readiness {
  status: number;
  body: unknown;
  waitedMs: number;
}

/** waitForReady polls GET /readyz until it answers 200 or the time is up; returns the last answer either way. */
export async function waitForReady(
  baseUrl: string,
  timeoutMs: number,
  isAbandoned = () => false,
): Promise<Readiness> {
  const started = Date.now();
  let last: Readiness = { status: 0, body: 'no answer', waitedMs: 0 };
  for (;;) {
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      last = {
        status: response.status,
        body: await response.json().catch(() => null),
        waitedMs: Date.now() - started,
      };
      if (response.status === 200) return last;
    } catch (error) {
      last = { status: 0, body: (error as Error).message, waitedMs: Date.now() - started };
    }
    if (Date.now() - started > timeoutMs || isAbandoned()) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** waitForHttp200 polls a URL until it answers 200; rejects after the timeout or when `failed()` returns a reason. */
export async function waitForHttp200(
  url: string,
  timeoutMs: number,
  failed: () => string | undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(reason);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not 200 after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
