// auth as a producer: every consumer's pact on events.auth.account is verified against the outbox rows auth's real
// use cases write (CreateAccount, RequestAccountDeletion on the real database), as Debezium publishes them.
import { Interactions, verifyProducer } from '@blog/testing/contracts';
import { must } from '@blog/testing';
import { afterAll, beforeAll, it } from 'vitest';
import { seedAccount, signUp } from '../testing/accounts';
import { startAuth, type AuthHarness } from '../testing/harness';

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h?.stop());

it("auth's events meet every consumer's pact", async () => {
  await verifyProducer('auth', {
    [Interactions.auth.accountCreated]: async () => {
      const { account } = await h.client.createAccount(signUp());
      return (await h.emitted.next('AccountCreated', must(account).accountId)).payload;
    },
    [Interactions.auth.accountDeletionRequested]: async () => {
      const { accountId } = await seedAccount(h, 'ACTIVE');
      await h.client.requestAccountDeletion({ accountId });
      return (await h.emitted.next('AccountDeletionRequested', accountId)).payload;
    },
  });
});
