// What every scenario file starts from: the run's context, the REST moves, the process controller, and a
// describe() that skips, saying why, when the mode lacks what the scenario needs (never a silent pass).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect } from 'vitest';
import { e2e, type E2eContext } from './context';
import { httpControl } from './control/http-control';
import { appNames, type ProcessControl } from './control/process-control';
import { RestClient } from './rest/client';
import { Sagas } from './rest/sagas';

/** Need is something a scenario needs beyond the REST API. */
export type Need = 'control' | 'kafka' | 'local';

/** Suite is a scenario file's toolbox. */
export interface Suite {
  ctx: E2eContext;
  sagas: Sagas;
  api: RestClient;
  /** control is the process controller (throws when the mode has none; such scenarios declare the need). */
  control: ProcessControl;
}

/** suite builds a scenario file's toolbox. */
export function suite(): Suite {
  const ctx = e2e();
  // Scenarios go through Prism's validating proxy when the run has one: every exchange is checked against the OpenAPI
  // document. Fault files go straight to the gateway: their time bounds measure the system under a fault, and on a
  // loaded machine one more process validating every answer adds to each request.
  const testPath = expect.getState().testPath ?? '';
  const validated = ctx.openapiProxyUrl && !testPath.includes('/faults/');
  const api = new RestClient(validated ? (ctx.openapiProxyUrl ?? ctx.baseUrl) : ctx.baseUrl);
  const control = ctx.controlUrl
    ? httpControl(ctx.controlUrl)
    : unavailableControl(ctx.noControlReason ?? 'no process control');
  return { ctx, api, sagas: new Sagas(api, ctx.runDir), control };
}

/** missingNeed returns why this run cannot give a scenario what it needs, if it cannot. */
export function missingNeed(ctx: E2eContext, needs: readonly Need[]): string | undefined {
  if (ctx.skipReason) return ctx.skipReason;
  if (needs.includes('control') && !ctx.controlUrl)
    return ctx.noControlReason ?? 'no process control in this mode';
  if (needs.includes('local') && ctx.mode !== 'local')
    return 'it needs the processes of local mode (ports, per-instance control)';
  if (needs.includes('kafka') && !ctx.kafkaBrokers?.length)
    return 'the Kafka brokers are unknown (set E2E_KAFKA_BROKERS)';
  return undefined;
}

/**
 * scenario is describe() for the suite: skipped with the reason in its name (and printed) when a need is not
 * met; on a failed test it prints the error lines the apps logged meanwhile, to name the service at fault.
 */
export function scenario(name: string, needs: readonly Need[], body: () => void): void {
  const ctx = e2e();
  const reason = missingNeed(ctx, needs);
  if (reason) {
    process.stderr.write(`e2e: SKIPPED "${name}": ${reason}\n`);
    describe.skip(`${name} [SKIPPED: ${reason}]`, body);
    return;
  }
  describe(name, () => {
    const marks = new Map<string, number>();
    afterEach(({ task }) => {
      const { logDir } = ctx;
      if (task.result?.state === 'fail' && logDir) {
        const evidence = evidenceLogs
          .map((app) => errorLines(logDir, app, marks.get(app) ?? 0))
          .filter(Boolean);
        if (evidence.length > 0)
          process.stderr.write(`e2e: app errors while "${task.name}" ran:\n${evidence.join('\n')}\n`);
      }
      // The next test's evidence starts here.
      for (const app of evidenceLogs) marks.set(app, logSize(ctx.logDir, app));
    });
    for (const app of evidenceLogs) marks.set(app, logSize(ctx.logDir, app));
    body();
  });
}

/** evidenceLogs are the logs searched for errors: the apps', then the stack's JVMs' (one folder up). */
const evidenceLogs = [...appNames, '../connect', '../kafka'];

function logSize(logDir: string | undefined, app: string): number {
  const file = `${logDir}/${app}.log`;
  return logDir && existsSync(file) ? statSync(file).size : 0;
}

/** errorLines returns an app's warn/error log lines written after `from` (at most 8). */
function errorLines(logDir: string, app: string, from: number): string {
  const file = `${logDir}/${app}.log`;
  if (!existsSync(file)) return '';
  const lines = readFileSync(file).subarray(from).toString('utf8').split('\n');
  const bad = lines
    .filter((line) => /"level":"(error|fatal)"|^\S*Error|\] ERROR |Unhandled/.test(line))
    .slice(-8);
  return bad.length ? `  [${app}]\n${bad.map((line) => `    ${line.slice(0, 600)}`).join('\n')}` : '';
}

function unavailableControl(reason: string): ProcessControl {
  const refuse = async (): Promise<never> => {
    throw new Error(`process control unavailable: ${reason}`);
  };
  return {
    stopApp: refuse,
    killApp: refuse,
    startApp: refuse,
    stopKafka: refuse,
    startKafka: refuse,
    stopConnect: refuse,
    startConnect: refuse,
    startGatewayReplica: refuse,
    stopGatewayReplica: refuse,
    startServiceReplicas: refuse,
    stopServiceReplicas: refuse,
  };
}
