// The profile repository against the real PostgreSQL (the users schema, the user role).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PgStore } from '@blog/framework';
import { must, stackStore } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNickname } from '../testing/profiles';
import { deleteProfile, findProfile, insertProfile, updateProfile } from './profile.repository';

describe('profile repository (PostgreSQL)', () => {
  let db: PgStore;
  beforeAll(async () => {
    db = await stackStore('user', 'users', { migrationsDir: join(__dirname, '..', 'migrations'), max: 8 });
  });
  afterAll(() => db?.close());

  it('inserts a profile once per nickname, case-insensitively', async () => {
    const nickname = uniqueNickname('Repo');
    const first = await insertProfile(db, { userId: randomUUID(), nickname });
    expect(first).toMatchObject({ nickname, bio: '' });
    expect(
      await insertProfile(db, { userId: randomUUID(), nickname: nickname.toUpperCase() }),
    ).toBeUndefined();
    expect(
      await insertProfile(db, { userId: must(first).userId, nickname: uniqueNickname() }),
    ).toBeUndefined();
  });

  it('lets exactly one of several simultaneous inserts of one nickname succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const nickname = uniqueNickname('Race');
      const results = await Promise.all(
        [nickname, nickname.toLowerCase(), nickname.toUpperCase()].map((n) =>
          db.withTransaction(async (tx) => {
            const inserted = await insertProfile(tx, { userId: randomUUID(), nickname: n });
            // Hold the transaction open so the others really wait on its uncommitted index entry.
            await new Promise((resolve) => setTimeout(resolve, 10));
            return inserted;
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    }
  });

  it('reports a taken nickname on update without changing anything, and deletes profiles', async () => {
    const a = must(await insertProfile(db, { userId: randomUUID(), nickname: uniqueNickname('A') }));
    const b = must(await insertProfile(db, { userId: randomUUID(), nickname: uniqueNickname('B') }));
    const taken = await db
      .withTransaction(async (tx) => {
        const result = await updateProfile(tx, b.userId, { nickname: a.nickname.toUpperCase(), bio: 'x' });
        if (result.outcome === 'nickname-taken') throw result;
        return result;
      })
      .catch((result: unknown) => result);
    expect(taken).toEqual({ outcome: 'nickname-taken' });
    expect(await findProfile(db, b.userId)).toEqual(b);
    expect(await updateProfile(db, randomUUID(), { bio: 'x' })).toEqual({ outcome: 'not-found' });
    expect(await deleteProfile(db, a.userId)).toEqual(a);
    expect(await deleteProfile(db, a.userId)).toBeUndefined();
  });
});
