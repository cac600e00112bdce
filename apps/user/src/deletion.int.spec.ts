// The deletion saga's user step on the real stack: AccountDeletionRequested deletes the profile and always reports
// UserDeleted(ACCOUNT_DELETED), so auth's fan-in completes even when the profile is already gone.
import { randomUUID } from 'node:crypto';
import { events } from '@blog/proto';
import { failureOf, waitFor } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProfile } from './repository/profile.repository';
import { startUser, type UserHarness } from './testing/harness';
import { accountCreated, accountDeletionRequested, uniqueNickname } from './testing/profiles';

describe('user: account deletion step', () => {
  let h: UserHarness;
  beforeAll(async () => {
    h = await startUser();
  });
  afterAll(() => h?.stop());

  const reportsFor = (userId: string, count: number) =>
    waitFor(`${count} UserDeleted for ${userId}`, () => {
      const found = h.emitted.all('UserDeleted', userId);
      return found.length >= count ? found : undefined;
    });

  it('deletes the profile, frees the nickname and reports UserDeleted(ACCOUNT_DELETED) in the saga', async () => {
    const nickname = uniqueNickname('Del');
    const created = accountCreated(nickname);
    const userId = created.aggregateId;
    await h.bus.publish(created);
    await h.emitted.next('UserCreated', userId);

    const requested = accountDeletionRequested(userId);
    await h.bus.publish(requested);
    const [report] = await reportsFor(userId, 1);
    expect(report.sagaId).toBe(requested.sagaId);
    expect(events.UserDeleted.fromJSON(report.payload)).toMatchObject({
      userId,
      cause: events.UserDeletionCause.USER_DELETION_CAUSE_ACCOUNT_DELETED,
    });
    expect(await findProfile(h.store, userId)).toBeUndefined();
    expect((await failureOf(h.client.getUser({ userId }))).codeName).toBe('NOT_FOUND');

    // A duplicate (same id) changes nothing.
    await h.bus.publish(requested);
    await h.logs.next('duplicate event skipped', { messageId: requested.id });
    // The nickname is free again.
    const next = accountCreated(nickname);
    await h.bus.publish(next);
    await h.emitted.next('UserCreated', next.aggregateId);
    expect(h.emitted.all('UserDeleted', userId)).toHaveLength(1);
  });

  it('reports even when there is no profile (already deleted, or never created)', async () => {
    const userId = randomUUID();
    const first = accountDeletionRequested(userId);
    const again = accountDeletionRequested(userId);
    await h.bus.publish(first);
    await h.bus.publish(again);
    const reports = await reportsFor(userId, 2);
    expect(reports.map((r) => r.sagaId)).toEqual([first.sagaId, again.sagaId]);
    const line = await h.logs.next('profile deleted: account deletion', { messageId: first.id });
    expect(line).toMatchObject({ hadProfile: false });
  });
});
