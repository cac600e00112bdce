// The gateway's recorded interactions with the user service (contracts/rpc/api-gateway-user.json) replayed against
// the real service on the real database: the gateway's fake keeps the same contract (apps/api-gateway/src/contracts).
import { randomBytes, randomUUID } from 'node:crypto';
import { readRpcContract, replayRpcContract } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { insertProfile } from '../repository/profile.repository';
import { startUser, type UserHarness } from '../testing/harness';

let h: UserHarness;
beforeAll(async () => {
  h = await startUser();
});
afterAll(() => h?.stop());

it('user keeps the RPC contract the gateway relies on', async () => {
  await replayRpcContract('user', readRpcContract('user'), h.client, {
    'a user': async () => {
      const [userId, nickname] = [randomUUID(), `pact_${randomBytes(5).toString('hex')}`];
      await insertProfile(h.store, { userId, nickname });
      return { userId, nickname };
    },
  });
});
