// Vitest globalSetup of the suite: starts the system (or finds it), serves the process controller, provides the
// run's context to the test files, and at the end stops exactly what it started.
//   E2E_BASE_URL=http://...  use a running gateway, start nothing (fault tests skip, saying why)
//   E2E_ENV=compose          deploy/docker-compose.yml through testcontainers (skipped, with the reason, without Docker)
//   otherwise                the local stack and the apps, like `npm start`
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { E2eContext, E2eMode } from './context';
import { serveControl, type ControlServer } from './control/control-server';
import { waitForReady, type Readiness, type RunningSystem } from './system/system';
import { OPENAPI_LOG_VARIABLE } from './rest/openapi-record';
import { readRunOptions } from './run-options';
import { startPrismProxy, type PrismProxy } from './tooling';

const log = (line: string) => process.stderr.write(`e2e: ${line}\n`);

/** setup starts the run; the function it returns is the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const options = readRunOptions();
  mkdirSync(options.runDir, { recursive: true });
  const started = Date.now();
  const provide = (context: Omit<E2eContext, 'runDir'>) =>
    project.provide('e2e', { ...context, runDir: options.runDir });

  const mode: E2eMode = options.baseUrl ? 'remote' : options.env === 'compose' ? 'compose' : 'local';
  let system: RunningSystem | undefined;
  let control: ControlServer | undefined;
  let prism: PrismProxy | undefined;
  const teardown = async () => {
    const t = Date.now();
    await prism?.close();
    await control?.close();
    await system?.stop();
    if (system && mode !== 'remote')
      log(`stopped what this run started in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  };

  try {
    if (options.baseUrl) {
      system = {
        baseUrl: options.baseUrl,
        kafkaBrokers: options.kafkaBrokers,
        kafkaSasl: options.kafkaSasl,
        noControlReason: 'E2E_BASE_URL mode: the processes are not this run’s to stop or start',
        stop: async () => undefined,
      };
    } else if (mode === 'compose') {
      const { startComposeSystem } = await import('./system/compose-system.js');
      const outcome = await startComposeSystem(log);
      if ('skipReason' in outcome) {
        const reason = `E2E_ENV=compose: ${outcome.skipReason}`;
        // `npm run test:compose` has made sure an engine answers: a skip there would hide a broken set-up.
        if (process.env['E2E_COMPOSE_REQUIRED'] === '1')
          throw new Error(`${reason} (E2E_COMPOSE_REQUIRED=1)`);
        log(reason);
        provide({
          mode,
          baseUrl: '',
          skipReason: reason,
          readiness: { status: 0, body: reason, waitedMs: 0 },
        });
        return async () => undefined;
      }
      system = outcome.system;
    } else {
      // The stack tooling loads @blog/proto, whose generated code a fresh clone lacks: generate first.
      const { ensureProtoGenerated, repoRoot } = await import('./proto-bootstrap.js');
      ensureProtoGenerated(repoRoot);
      const { startLocalSystem } = await import('./system/local-system.js');
      system = await startLocalSystem({ log, skipBuild: options.skipBuild, portOffset: options.portOffset });
    }
    if (system.control) control = await serveControl(system.control, log);
    const readiness: Readiness = await waitForReady(system.baseUrl, options.readyTimeoutMs);
    if (readiness.status === 200)
      log(`ready at ${system.baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    else
      log(`NOT READY after ${readiness.waitedMs} ms: ${readiness.status} ${JSON.stringify(readiness.body)}`);
    // The gateway's contract tests (included by vitest.config.mts) read their target from the environment.
    process.env['GATEWAY_CONTRACT_BASE_URL'] = system.baseUrl;
    let openapiSkipReason: string | undefined;
    if (!options.openapiProxy) openapiSkipReason = 'E2E_OPENAPI_PROXY=0';
    else if (readiness.status !== 200) openapiSkipReason = 'the gateway never became ready';
    else {
      prism = await startOpenApiProxy(system.baseUrl, options.runDir);
      log(`OpenAPI validation: the REST client goes through Prism's proxy at ${prism.url}`);
    }
    provide({
      mode,
      baseUrl: system.baseUrl,
      kafkaBrokers: system.kafkaBrokers,
      kafkaSasl: system.kafkaSasl,
      controlUrl: control?.url,
      noControlReason: system.noControlReason,
      readiness,
      openapiProxyUrl: prism?.url,
      openapiSkipReason,
      logDir: system.logDir,
      appPorts: system.appPorts,
    });
  } catch (error) {
    await teardown().catch((stopError: Error) =>
      log(`teardown after a failed setup failed: ${stopError.message}`),
    );
    throw error;
  }
  return teardown;
}

/**
 * startOpenApiProxy puts Prism's validating proxy in front of the gateway, with the document the gateway serves, and
 * makes every worker record what it says (E2E_OPENAPI_LOG).
 */
async function startOpenApiProxy(baseUrl: string, runDir: string): Promise<PrismProxy> {
  const document = join(runDir, 'openapi.json');
  const served = await fetch(`${baseUrl}/openapi.json`);
  if (served.status !== 200) throw new Error(`GET /openapi.json answered ${served.status}`);
  writeFileSync(document, await served.text());
  process.env[OPENAPI_LOG_VARIABLE] = join(runDir, 'openapi-exchanges.jsonl');
  return startPrismProxy({ document, upstream: baseUrl });
}
