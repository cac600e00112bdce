// The gateway's recorded interactions with the subscribe service (contracts/rpc/api-gateway-subscribe.json) replayed
// against the real service on the real database: the gateway's fake keeps the same contract
// (apps/api-gateway/src/contracts).
import { randomUUID } from 'node:crypto';
import { must } from '@blog/testing';
import { readRpcContract, replayRpcContract } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it('subscribe keeps the RPC contract the gateway relies on', async () => {
  await replayRpcContract('subscribe', readRpcContract('subscribe'), h.client, {
    'a pending subscription': async () => {
      const [subscriberId, blogId] = [randomUUID(), randomUUID()];
      const { subscription } = await h.client.subscribe({ subscriberId, blogId });
      return { subscriberId, blogId, subscriptionId: must(subscription).subscriptionId };
    },
  });
});
