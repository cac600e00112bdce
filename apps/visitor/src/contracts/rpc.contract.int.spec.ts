// The gateway's recorded interactions with the visitor service (contracts/rpc/api-gateway-visitor.json) replayed
// against the real service on the real database: the gateway's fake keeps the same contract
// (apps/api-gateway/src/contracts).
import { readRpcContract, replayRpcContract } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { startVisitor, type VisitorHarness } from '../testing/harness';

let h: VisitorHarness;
beforeAll(async () => {
  h = await startVisitor();
});
afterAll(() => h?.stop());

it('visitor keeps the RPC contract the gateway relies on', async () => {
  await replayRpcContract('visitor', readRpcContract('visitor'), h.client, {});
});
