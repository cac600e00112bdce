// GetUser and UpdateUser on the real service: validation naming the field, NOT_FOUND, ALREADY_EXISTS for a taken
// nickname (case-insensitively), and UserUpdated read back from Kafka.
import { randomUUID } from 'node:crypto';
import { failureOf, must } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUser, type UserHarness } from './testing/harness';
import { accountCreated, uniqueNickname } from './testing/profiles';

describe('user: profiles', () => {
  let h: UserHarness;
  beforeAll(async () => {
    h = await startUser();
  });
  afterAll(() => h?.stop());

  /** signedUp creates a profile through the sign-up step. */
  const signedUp = async (nickname = uniqueNickname('P')) => {
    const created = accountCreated(nickname);
    await h.bus.publish(created);
    await h.emitted.next('UserCreated', created.aggregateId);
    return { userId: created.aggregateId, nickname };
  };

  it('answers GetUser with INVALID_ARGUMENT for a malformed id and NOT_FOUND for an unknown one', async () => {
    const malformed = await failureOf(h.client.getUser({ userId: 'me' }));
    expect(malformed.codeName).toBe('INVALID_ARGUMENT');
    expect(malformed.violations.map((v) => v.field)).toEqual(['userId']);
    expect((await failureOf(h.client.getUser({ userId: randomUUID() }))).codeName).toBe('NOT_FOUND');
    expect((await failureOf(h.client.updateUser({ userId: randomUUID(), bio: 'x' }))).codeName).toBe(
      'NOT_FOUND',
    );
  });

  it('validates UpdateUser and names each bad field', async () => {
    const { userId } = await signedUp();
    const error = await failureOf(h.client.updateUser({ userId, nickname: 'no', bio: 'x'.repeat(501) }));
    expect(error.codeName).toBe('INVALID_ARGUMENT');
    expect(error.violations.map((v) => v.field).sort()).toEqual(['bio', 'nickname']);
  });

  it('updates nickname and bio and emits UserUpdated', async () => {
    const { userId } = await signedUp();
    const nickname = uniqueNickname('New');
    const bio = 'b'.repeat(500);
    const { user } = await h.client.updateUser({ userId, nickname, bio });
    expect(user).toMatchObject({ userId, nickname, bio });
    expect(must((await h.client.getUser({ userId })).user)).toMatchObject({ nickname, bio });
    const updated = await h.emitted.next('UserUpdated', userId);
    expect(updated.payload).toMatchObject({ userId, nickname, bio });

    // Only the bio: the nickname stays. Changing the case of one's own nickname is allowed.
    expect(must((await h.client.updateUser({ userId, bio: '' })).user)).toMatchObject({ nickname, bio: '' });
    const recased = nickname.toUpperCase();
    expect(must((await h.client.updateUser({ userId, nickname: recased })).user).nickname).toBe(recased);
    // No field at all changes nothing and answers the profile.
    expect(must((await h.client.updateUser({ userId })).user).nickname).toBe(recased);
  });

  it('refuses a nickname another user holds, case-insensitively, with ALREADY_EXISTS naming the field', async () => {
    const holder = await signedUp(uniqueNickname('Holder'));
    const { userId, nickname } = await signedUp();
    const error = await failureOf(
      h.client.updateUser({ userId, nickname: holder.nickname.toLowerCase(), bio: 'x' }),
    );
    expect(error.codeName).toBe('ALREADY_EXISTS');
    expect(error.violations).toEqual([{ field: 'nickname', message: 'is already taken' }]);
    // Nothing of the refused update was applied.
    expect(must((await h.client.getUser({ userId })).user)).toMatchObject({ nickname, bio: '' });
  });

  it('refuses a NUL in any text with INVALID_ARGUMENT naming the field, never INTERNAL, and changes nothing', async () => {
    const { userId, nickname } = await signedUp();
    const error = await failureOf(h.client.updateUser({ userId, bio: 'a\u0000b' }));
    expect(error.codeName).toBe('INVALID_ARGUMENT');
    expect(error.violations).toEqual([
      { field: 'bio', message: 'must not contain the NUL character (U+0000)' },
    ]);
    const both = await failureOf(h.client.updateUser({ userId, nickname: '\u0000', bio: '\u0000' }));
    expect(both.violations.map((v) => v.field).sort()).toEqual(['bio', 'nickname']);
    expect((await failureOf(h.client.getUser({ userId: `${userId}\u0000` }))).codeName).toBe(
      'INVALID_ARGUMENT',
    );
    expect(must((await h.client.getUser({ userId })).user)).toMatchObject({ nickname, bio: '' });
  });
});
