// What a client of the gateway waits for when the user service is down: GET /v1/users/{id} through the whole gateway
// (Fastify, auth hooks, the framework client, real grpc-js calls to fake services on 127.0.0.1), three ways:
//   healthy           the user service answers (the baseline);
//   breaker open      the service is stopped and GetUser's breaker is open: 503 without any call;
//   breaker closed    the service is stopped and the breaker never opens: every request tries the service
//                     (connection refused, or the channel's TRANSIENT_FAILURE), with the default retries, then 503.
// One gateway per scenario (apps/api-gateway/src/testing/harness.ts), requests interleaved one at a time. Retry,
// node cooldown and breaker thresholds are the framework's defaults, not the unit tests' shortened ones.
//
//   npx tsx --tsconfig benchmarks/tsconfig.json benchmarks/gateway-breaker.ts [requests=150] [warmup=20]
//   npm run bench:gateway-breaker
import type { GatewaySettings } from '../apps/api-gateway/src/gateway';
import { type Harness, startHarness } from '../apps/api-gateway/src/testing/harness';
import { argument, printTable, runInterleaved, type Scenario } from './support/latency';

const requests = argument(0, 150);
const warmup = argument(1, 20);
const ENDPOINT = 'user.GetUser';

/** DEFAULTS put back the framework's retry, node cooldown and breaker defaults over the harness's test timings. */
const DEFAULTS: Partial<GatewaySettings> = { retry: {}, nodeCooldownMs: undefined, breaker: {} };

/** Gateway is one harness and the profile it reads. */
interface Gateway {
  readonly harness: Harness;
  readonly path: string;
}

async function gateway(settings: Partial<GatewaySettings>): Promise<Gateway> {
  const harness = await startHarness({ settings: { ...DEFAULTS, ...settings } });
  const reader = await harness.fixtures.user();
  return { harness, path: `/v1/users/${reader.accountId}` };
}

/** expecting makes a scenario whose every answer must have `status` (else the figures would measure something else). */
function expecting(name: string, { harness, path }: Gateway, status: number): Scenario {
  return {
    name,
    call: async () => {
      const response = await harness.http.get(path);
      if (response.status !== status) throw new Error(`${name}: ${response.status} ${response.text}`);
    },
  };
}

async function main(): Promise<void> {
  const started: Gateway[] = [];
  try {
    const healthy = await gateway({});
    started.push(healthy);
    // Open for the whole run: the half-open probe would come only after ten minutes.
    const open = await gateway({ breaker: { resetTimeoutMs: 600_000 } });
    started.push(open);
    const closed = await gateway({ breaker: { volumeThreshold: Number.MAX_SAFE_INTEGER } });
    started.push(closed);

    await open.harness.backend.stopService('user');
    for (let i = 0; i < 20 && (await open.harness.metric('circuit_state', { name: ENDPOINT })) !== 2; i++) {
      await open.harness.http.get(open.path);
    }
    if ((await open.harness.metric('circuit_state', { name: ENDPOINT })) !== 2)
      throw new Error('breaker did not open');
    await closed.harness.backend.stopService('user');
    const rejectedBefore = await open.harness.metric('circuit', { name: ENDPOINT, event: 'reject' });

    const samples = await runInterleaved(
      [
        expecting('healthy: 200 (baseline)', healthy, 200),
        expecting('stopped, breaker open: 503', open, 503),
        expecting('stopped, breaker closed: 503', closed, 503),
      ],
      { rounds: requests, warmup, budgetMs: 20_000 },
    );

    // The scenarios were what they claim: every open-breaker answer was a refusal without a call, and the other
    // breaker never opened.
    const measured = (samples.get('stopped, breaker open: 503')?.length ?? 0) + warmup;
    const rejected =
      (await open.harness.metric('circuit', { name: ENDPOINT, event: 'reject' })) - rejectedBefore;
    if (rejected !== measured) throw new Error(`breaker open: ${rejected} refusals for ${measured} requests`);
    if ((await closed.harness.metric('circuit_state', { name: ENDPOINT })) !== 0)
      throw new Error('breaker opened');

    printTable(
      `GET /v1/users/{id} through the gateway, one request at a time (after ${warmup} warm-up rounds):`,
      samples,
    );
  } finally {
    for (const { harness } of started) await harness.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
