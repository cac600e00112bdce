// The auth repositories against the real PostgreSQL (the auth schema, the auth role): the partial unique email
// index, conditional transitions under races, and the deletion fan-in under simultaneous reports.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { PgStore } from '@blog/framework';
import { must, stackStore } from '@blog/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETION_PARTICIPANTS } from '../domain/deletion-saga';
import { findAccount, insertAccount, transitionAccount, type NewAccount } from './account.repository';
import { findDeletionSaga, recordReport, startDeletionSaga } from './deletion-saga.repository';
import {
  insertRefreshToken,
  lockRefreshToken,
  revokeAccountTokens,
  revokeSessionOfToken,
} from './refresh-token.repository';

describe('auth repositories (PostgreSQL)', () => {
  let db: PgStore;
  beforeAll(async () => {
    db = await stackStore('auth', 'auth', { migrationsDir: join(__dirname, '..', 'migrations'), max: 8 });
  });
  afterAll(() => db?.close());

  const newAccount = (email = `repo-${randomUUID()}@example.com`): NewAccount => ({
    id: randomUUID(),
    email,
    passwordHash: 'hash',
    nickname: 'repo_user',
    blogSlug: 'repo-user',
    signupSagaId: randomUUID(),
  });

  it('keeps an email on one live account (case-insensitively) and frees it on REJECTED or DELETED', async () => {
    const email = `Repo-${randomUUID()}@Example.com`;
    const first = await insertAccount(db, newAccount(email));
    expect(first).toMatchObject({ status: 'PENDING', reason: null });
    expect(await insertAccount(db, newAccount(email.toLowerCase()))).toBeUndefined();

    await transitionAccount(db, must(first).id, ['PENDING'], 'REJECTED', 'NICKNAME_TAKEN');
    const second = await insertAccount(db, newAccount(email.toUpperCase()));
    expect(second).toBeDefined();
    // Two retired accounts may share the email; a live one may not be added beside the live second.
    await transitionAccount(db, must(second).id, ['PENDING'], 'REJECTED', 'BLOG_SLUG_TAKEN');
    const third = await insertAccount(db, newAccount(email));
    expect(third).toBeDefined();
    expect(await insertAccount(db, newAccount(email))).toBeUndefined();
  });

  it('moves an account only from the expected states; of two racing transitions exactly one wins', async () => {
    const account = must(await insertAccount(db, newAccount()));
    expect(await transitionAccount(db, account.id, ['ACTIVE'], 'DELETING')).toBeUndefined();
    const [activated, rejected] = await Promise.all([
      db.withTransaction((tx) => transitionAccount(tx, account.id, ['PENDING'], 'ACTIVE')),
      db.withTransaction((tx) =>
        transitionAccount(tx, account.id, ['PENDING'], 'REJECTED', 'NICKNAME_TAKEN'),
      ),
    ]);
    expect([activated, rejected].filter(Boolean)).toHaveLength(1);
    const stored = must(await findAccount(db, account.id));
    expect(stored.status).toBe(activated ? 'ACTIVE' : 'REJECTED');
    expect(stored.reason).toBe(activated ? null : 'NICKNAME_TAKEN');
    expect(await transitionAccount(db, randomUUID(), ['PENDING'], 'ACTIVE')).toBeUndefined();
  });

  it('lets exactly one of four simultaneous reports see the deletion saga complete', async () => {
    for (let round = 0; round < 5; round++) {
      const account = must(await insertAccount(db, newAccount()));
      await startDeletionSaga(db, account.id, randomUUID(), DELETION_PARTICIPANTS);
      const states = await Promise.all(
        DELETION_PARTICIPANTS.map((participant) =>
          db.withTransaction(async (tx) => {
            const state = await recordReport(tx, account.id, participant);
            // Hold the transaction open a moment, so the others really queue behind its row lock.
            await new Promise((resolve) => setTimeout(resolve, 10));
            return state;
          }),
        ),
      );
      expect(states.filter((s) => s?.pending.length === 0)).toHaveLength(1);
      expect(states.every(Boolean)).toBe(true);
      expect(await recordReport(db, account.id, 'user')).toBeUndefined();
      expect(must(await findDeletionSaga(db, account.id)).pending).toEqual([]);
    }
  });

  it('revokes a session only for the account that owns the token, and all tokens of an account at once', async () => {
    const account = must(await insertAccount(db, newAccount()));
    const family = randomUUID();
    const hash = Buffer.from(randomUUID());
    const expiresAt = new Date(Date.now() + 60_000);
    await insertRefreshToken(db, { hash, familyId: family, accountId: account.id, expiresAt });
    await insertRefreshToken(db, {
      hash: Buffer.from(randomUUID()),
      familyId: randomUUID(),
      accountId: account.id,
      expiresAt,
    });
    expect(await revokeSessionOfToken(db, hash, randomUUID())).toBe(0);
    expect(await revokeSessionOfToken(db, hash, account.id)).toBe(1);
    expect(must(await lockRefreshToken(db, hash)).revokedAt).toBeInstanceOf(Date);
    expect(await revokeAccountTokens(db, account.id)).toBe(1);
    expect(await revokeAccountTokens(db, account.id)).toBe(0);
  });
});
