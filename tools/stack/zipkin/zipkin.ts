// The trace viewer of the local stack: the Zipkin server's exec jar (io.zipkin:zipkin-server from Maven Central, in the
// jar cache beside Kafka's), run with `java -jar` on the loopback interface with in-memory storage. Every app exports
// its spans to it (tools/start/apps.ts sets the standard OTEL_* variables); its UI and query API are on the same port.
// On by default; STACK_ZIPKIN=0 (or `npm start -- --no-zipkin`) leaves it out, and the apps then export nothing.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '../config';
import { StackError } from '../errors';
import type { JarCache } from '../jvm/jar-cache';
import { runningPid, startDetached, stopProcessGroup, type Detached } from '../process/processes';

const pidFile = (config: StackConfig) => join(config.runDir, 'zipkin.pid');

/** zipkinLogFile receives the server's console output. */
export const zipkinLogFile = (config: StackConfig): string => join(config.logDir, 'zipkin.log');

/** zipkinUrl is the viewer's base URL: the UI at /zipkin/, the query API at /api/v2/. */
export const zipkinUrl = (config: StackConfig): string => `http://${config.host}:${config.ports.zipkin}`;

/** zipkinSpansEndpoint is where the apps' Zipkin exporter posts spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
export const zipkinSpansEndpoint = (config: StackConfig): string => `${zipkinUrl(config)}/api/v2/spans`;

/** zipkinMarker is in the command line of this stack's Zipkin only (it finds strays and checks the pid file). */
export const zipkinMarker = (config: StackConfig): string => `-Dstack.zipkin=${config.stackDir}`;

/** zipkinEnabled: STACK_ZIPKIN=0 leaves the trace viewer out of the stack. */
export const zipkinEnabled = (env: NodeJS.ProcessEnv = process.env): boolean => env['STACK_ZIPKIN'] !== '0';

/** zipkinPid returns our running Zipkin's pid. */
export const zipkinPid = (config: StackConfig): number | undefined =>
  runningPid(pidFile(config), zipkinMarker(config));

/**
 * startZipkin starts the server bound to 127.0.0.1 (Armeria's own port list: Zipkin's QUERY_PORT alone would bind every
 * interface). A small heap: in-memory storage keeps the newest spans only (MEM_MAX_SPANS, 500000 by default).
 */
export function startZipkin(config: StackConfig, cache: JarCache, java: string, env = process.env): Detached {
  const heap = (env['ZIPKIN_HEAP_OPTS'] || '-Xms64m -Xmx384m').split(/\s+/).filter(Boolean);
  return startDetached({
    command: java,
    args: [
      ...heap,
      '-XX:+UseSerialGC',
      // C1 only: a third less CPU to boot on a machine the whole stack shares; a trace viewer needs no peak JIT.
      '-XX:TieredStopAtLevel=1',
      '-XX:+ExitOnOutOfMemoryError',
      zipkinMarker(config),
      '-jar',
      cache.zipkinJar,
      `--armeria.ports[0].ip=${config.host}`,
      `--armeria.ports[0].port=${config.ports.zipkin}`,
      '--armeria.ports[0].protocols[0]=http',
    ],
    env: { ...env, STORAGE_TYPE: 'mem', SELF_TRACING_ENABLED: 'false' },
    cwd: config.stackDir,
    logFile: zipkinLogFile(config),
    pidFile: pidFile(config),
  });
}

/** zipkinHealthy asks the server's /health. */
export async function zipkinHealthy(config: StackConfig): Promise<boolean> {
  try {
    const response = await fetch(`${zipkinUrl(config)}/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** waitForZipkin resolves once /health answers; fails early if the process dies. */
export async function waitForZipkin(
  config: StackConfig,
  started: Detached | undefined,
  timeoutMs = 120_000,
): Promise<void> {
  let died = false;
  void started?.exited.then(() => (died = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (died) throw new StackError(`Zipkin exited during start-up: see ${zipkinLogFile(config)}`);
    if (await zipkinHealthy(config)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new StackError(`Zipkin not healthy after ${timeoutMs / 1000}s: see ${zipkinLogFile(config)}`);
}

/** stopZipkin stops the server. */
export async function stopZipkin(config: StackConfig): Promise<'stopped' | 'killed' | 'gone'> {
  const pid = zipkinPid(config);
  if (pid === undefined) return 'gone';
  const outcome = await stopProcessGroup(pid, { signal: 'SIGTERM', timeoutMs: 15_000 });
  rmSync(pidFile(config), { force: true });
  return outcome;
}
