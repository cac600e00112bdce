// user as a producer: every consumer's pact on events.user.profile is verified against the outbox rows the user
// service's real handlers write (its sign-up and deletion steps on the real database), as Debezium publishes them.
import { ContractBreak, Interactions, verifyProducer } from '@blog/testing/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

/** producers are the user service's real code paths, one per interaction its consumers expect. */
const producers = () => ({
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

it("user's events meet every consumer's pact", async () => {
  await verifyProducer('user', producers());
});

it('fails naming the consumer and the field when a producer renames a field', async () => {
  // The break is injected into the produced payload, not made in the code: UserCreated's nickname renamed.
  const renamed = (description: string, payload: unknown) => {
    if (description !== Interactions.user.userCreated) return payload;
    const { nickname, ...rest } = payload as Record<string, unknown>;
    return { ...rest, nickName: nickname };
  };
  const failure = await verifyProducer('user', producers(), { mutate: renamed }).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(ContractBreak);
  expect((failure as ContractBreak).mismatches).toEqual([
    expect.objectContaining({
      consumer: 'blog',
      description: Interactions.user.userCreated,
      mismatch: expect.stringContaining('missing the following keys: nickname'),
    }),
  ]);
  expect((failure as ContractBreak).message).toMatch(/consumer blog, "UserCreated.*nickname/);
});
