// The sign-up saga's user steps on the real stack: AccountCreated -> UserCreated or UserRejected (nickname unique
// case-insensitively, also when sign-ups race), BlogRejected -> UserDeleted(SIGNUP_REJECTED); duplicates and late
// events change nothing. Events are fed as Debezium publishes them; emitted ones are read back from Kafka.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { failureOf, must, waitFor } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProfile } from './repository/profile.repository';
import { startUser, type UserHarness } from './testing/harness';
import { accountCreated, blogRejected, uniqueNickname } from './testing/profiles';

const DUPLICATE = 'duplicate event skipped';

describe('user: sign-up saga', () => {
  let h: UserHarness;
  beforeAll(async () => {
    h = await startUser();
  });
  afterAll(() => h?.stop());

  /** outcome waits for the user service's answer to a sign-up: UserCreated or UserRejected. */
  const outcome = (accountId: string) =>
    waitFor(`sign-up outcome of ${accountId}`, () =>
      h.emitted.events.find(
        (e) => e.key === accountId && (e.type === 'UserCreated' || e.type === 'UserRejected'),
      ),
    );

  it('creates the profile and emits UserCreated with the nickname, the blog slug and the saga id', async () => {
    const nickname = uniqueNickname('Ada');
    const created = accountCreated(nickname);
    await h.bus.publish(created);

    const emitted = await h.emitted.next('UserCreated', created.aggregateId);
    expect(emitted.sagaId).toBe(created.sagaId);
    expect(events.UserCreated.fromJSON(emitted.payload)).toMatchObject({
      userId: created.aggregateId,
      nickname,
      blogSlug: nickname.toLowerCase().replaceAll('_', '-'),
      meta: { eventType: 'UserCreated', sagaId: created.sagaId, eventId: emitted.id },
    });
    const { user } = await h.client.getUser({ userId: created.aggregateId });
    expect(user).toMatchObject({ userId: created.aggregateId, nickname, bio: '' });
    expect(Date.parse(must(user).createdAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    // The same record again is dropped by the inbox; a later event of the same key shows nothing came between.
    await h.bus.publish(created);
    await h.logs.next(DUPLICATE, { messageId: created.id });
    await h.client.updateUser({ userId: created.aggregateId, bio: 'marker' });
    await h.emitted.next('UserUpdated', created.aggregateId);
    const types = h.emitted.events.filter((e) => e.key === created.aggregateId).map((e) => e.type);
    expect(types).toEqual(['UserCreated', 'UserUpdated']);
  });

  it('ignores a repeated AccountCreated (new id) for an account that has its profile', async () => {
    const nickname = uniqueNickname('Rep');
    const created = accountCreated(nickname);
    await h.bus.publish(created);
    await h.emitted.next('UserCreated', created.aggregateId);
    const again = accountCreated(nickname, created.aggregateId);
    await h.bus.publish(again);
    await h.logs.next('AccountCreated ignored: the profile exists already', { messageId: again.id });
    expect(h.emitted.all('UserRejected', created.aggregateId)).toHaveLength(0);
  });

  it('rejects a sign-up whose nickname is taken, case-insensitively, and creates no profile for it', async () => {
    const nickname = uniqueNickname('Taken');
    const first = accountCreated(nickname);
    await h.bus.publish(first);
    await h.emitted.next('UserCreated', first.aggregateId);

    const second = accountCreated(nickname.toUpperCase());
    await h.bus.publish(second);
    const rejected = await h.emitted.next('UserRejected', second.aggregateId);
    expect(rejected.sagaId).toBe(second.sagaId);
    expect(rejected.payload).toMatchObject({ userId: second.aggregateId, reason: 'NICKNAME_TAKEN' });
    expect(await findProfile(h.store, second.aggregateId)).toBeUndefined();
    expect((await failureOf(h.client.getUser({ userId: second.aggregateId }))).codeName).toBe('NOT_FOUND');
  });

  it('lets exactly one of two simultaneous sign-ups with one nickname have it', async () => {
    for (let round = 0; round < 3; round++) {
      const nickname = uniqueNickname('Race');
      const a = accountCreated(nickname);
      const b = accountCreated(round % 2 ? nickname.toLowerCase() : nickname);
      await Promise.all([h.bus.publish(a), h.bus.publish(b)]);
      const outcomes = [await outcome(a.aggregateId), await outcome(b.aggregateId)].map((e) => e.type).sort();
      expect(outcomes).toEqual(['UserCreated', 'UserRejected']);
      const { rows } = await h.store.query('select user_id from profile where lower(nickname) = lower($1)', [
        nickname,
      ]);
      expect(rows).toHaveLength(1);
    }
  });

  it('lets exactly one of two back-to-back sign-ups with one nickname have it', async () => {
    const nickname = uniqueNickname('Seq');
    const a = accountCreated(nickname);
    const b = accountCreated(nickname);
    // One after the other: b is published once a's outcome is out (two keys may land on two partitions, which are
    // consumed in no particular order; the concurrent case is the test above).
    await h.bus.publish(a);
    expect((await outcome(a.aggregateId)).type).toBe('UserCreated');
    await h.bus.publish(b);
    expect((await outcome(b.aggregateId)).type).toBe('UserRejected');
  });

  it('BlogRejected deletes the profile, frees the nickname and emits UserDeleted(SIGNUP_REJECTED, BLOG_SLUG_TAKEN)', async () => {
    const nickname = uniqueNickname('Slug');
    const created = accountCreated(nickname);
    const userId = created.aggregateId;
    await h.bus.publish(created);
    await h.emitted.next('UserCreated', userId);

    const rejected = blogRejected(userId, created.sagaId);
    await h.bus.publish(rejected);
    const deleted = await h.emitted.next('UserDeleted', userId);
    expect(deleted.sagaId).toBe(created.sagaId);
    expect(events.UserDeleted.fromJSON(deleted.payload)).toMatchObject({
      userId,
      cause: events.UserDeletionCause.USER_DELETION_CAUSE_SIGNUP_REJECTED,
      reason: 'BLOG_SLUG_TAKEN',
    });
    expect((await failureOf(h.client.getUser({ userId }))).codeName).toBe('NOT_FOUND');

    // Duplicate and late BlogRejected: nothing more happens.
    await h.bus.publish(rejected);
    await h.logs.next(DUPLICATE, { messageId: rejected.id });
    const late = blogRejected(userId, created.sagaId);
    await h.bus.publish(late);
    await h.logs.next('BlogRejected ignored: no profile to delete', { messageId: late.id });

    // The nickname is free for the next sign-up.
    const next = accountCreated(nickname);
    await h.bus.publish(next);
    expect((await outcome(next.aggregateId)).type).toBe('UserCreated');
    expect(h.emitted.all('UserDeleted', userId)).toHaveLength(1);
  });

  it('dead-letters a malformed account id or a broken nickname at once, naming the field', async () => {
    const malformed = accountCreated(uniqueNickname('Bad'), 'not-a-uuid');
    await h.bus.publish(malformed);
    const bad = await h.logs.next('record dead-lettered', { messageId: malformed.id });
    expect(bad).toMatchObject({ reason: 'undecodable', attempts: 0 });
    expect(bad.err).toMatchObject({ message: 'AccountCreated: accountId "not-a-uuid" is not a UUID' });

    const broken = accountCreated('no spaces allowed', randomUUID());
    await h.bus.publish(broken);
    const dead = await h.logs.next('record dead-lettered', { messageId: broken.id });
    expect(dead).toMatchObject({ reason: 'undecodable', attempts: 0 });
    expect(dead.err).toMatchObject({ message: expect.stringContaining('must be 3 to 30 characters of A-Z') });
    expect(await findProfile(h.store, broken.aggregateId)).toBeUndefined();
  });
});
