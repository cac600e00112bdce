// user as a producer: every consumer's pact on events.user.profile is verified against the outbox rows the user
// service's real handlers write (its sign-up and deletion steps on the real database), as Debezium publishes them.
import { Interactions, verifyProducer } from '@blog/testing/contracts';
import { afterAll, beforeAll, it } from 'vitest';
import { startUser, type UserHarness } from '../testing/harness';
import { accountCreated, accountDeletionRequested, blogRejected, uniqueNickname } from '../testing/profiles';

let h: UserHarness;
beforeAll(async () => {
  h = await startUser();
});
afterAll(() => h?.stop());

/** signedUp runs the sign-up step for a new account and returns its id once UserCreated is out. */
async function signedUp(): Promise<{ userId: string; nickname: string; payload: unknown }> {
  const nickname = uniqueNickname('Pact');
  const created = accountCreated(nickname);
  await h.bus.publish(created);
  const { payload } = await h.emitted.next('UserCreated', created.aggregateId);
  return { userId: created.aggregateId, nickname, payload };
}

it("user's events meet every consumer's pact", async () => {
  await verifyProducer('user', {
    [Interactions.user.userCreated]: async () => (await signedUp()).payload,
    [Interactions.user.userRejected]: async () => {
      const { nickname } = await signedUp();
      const second = accountCreated(nickname);
      await h.bus.publish(second);
      return (await h.emitted.next('UserRejected', second.aggregateId)).payload;
    },
    [Interactions.user.userDeletedAccountDeleted]: async () => {
      const { userId } = await signedUp();
      await h.bus.publish(accountDeletionRequested(userId));
      return (await h.emitted.next('UserDeleted', userId)).payload;
    },
    [Interactions.user.userDeletedSignUpRejected]: async () => {
      const { userId } = await signedUp();
      await h.bus.publish(blogRejected(userId));
      return (await h.emitted.next('UserDeleted', userId)).payload;
    },
  });
});
