// The gateway's recorded interactions with auth (contracts/rpc/api-gateway-auth.json) replayed against the real auth
// service on the real database: the gateway's fake auth keeps the same contract (apps/api-gateway/src/contracts).
import { readRpcContract, replayRpcContract } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { seedAccount } from '../testing/accounts';
import { startAuth, type AuthHarness } from '../testing/harness';

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h?.stop());

it('auth keeps the RPC contract the gateway relies on', async () => {
  await replayRpcContract('auth', readRpcContract('auth'), h.client, {
    'an active account': async () => {
      const { accountId, email, password } = await seedAccount(h, 'ACTIVE');
      return { accountId, email, password };
    },
  });
});
