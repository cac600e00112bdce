// Unit tests of the account status cache (the revocation window), with a scripted auth lookup. The clock is Vitest's
// fake Date, moved by hand: a TTL is then crossed exactly when the test says so, never by a slow machine.
import { auth } from '@blog/proto';
import { status } from '@grpc/grpc-js';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountStatusCache } from './account-status-cache';

const { ACCOUNT_STATUS_ACTIVE: ACTIVE, ACCOUNT_STATUS_DELETING: DELETING } = auth.AccountStatus;
const logger = pino({ level: 'silent' });
/** advance moves the fake clock forward; timers stay real, so promises and the lookups run as usual. */
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

function scripted(...answers: Array<auth.AccountStatus | Error>) {
  const calls: string[] = [];
  const fetchStatus = async (accountId: string) => {
    calls.push(accountId);
    const next = (answers.length > 1 ? answers.shift() : answers[0]) as auth.AccountStatus | Error;
    if (next instanceof Error) throw next;
    return next;
  };
  return { calls, fetchStatus };
}

describe('AccountStatusCache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks auth once per TTL for an ACTIVE account, and again after it', async () => {
    const auth = scripted(ACTIVE, DELETING);
    const cache = new AccountStatusCache({ ...auth, logger, activeTtlMs: 50 });
    expect(await cache.isUsable('a')).toBe(true);
    expect(await cache.isUsable('a')).toBe(true);
    expect(auth.calls).toEqual(['a']);
    advance(60);
    expect(await cache.isUsable('a')).toBe(false);
    expect(auth.calls).toEqual(['a', 'a']);
  });

  it('shares one lookup between concurrent requests', async () => {
    const auth = scripted(ACTIVE);
    const cache = new AccountStatusCache({ ...auth, logger });
    const answers = await Promise.all([cache.isUsable('a'), cache.isUsable('a'), cache.isUsable('a')]);
    expect(answers).toEqual([true, true, true]);
    expect(auth.calls).toHaveLength(1);
  });

  it('refuses at once after markDeleting, even over a lookup already in flight', async () => {
    let release!: () => void;
    const cache = new AccountStatusCache({
      logger,
      fetchStatus: () => new Promise((resolve) => (release = () => resolve(ACTIVE))),
    });
    const inFlight = cache.isUsable('a');
    cache.markDeleting('a');
    release();
    expect(await inFlight).toBe(false);
    expect(await cache.isUsable('a')).toBe(false);
  });

  it('treats an unknown account as deleted', async () => {
    const notFound = Object.assign(new Error('not found'), { code: status.NOT_FOUND });
    const cache = new AccountStatusCache({ ...scripted(notFound), logger });
    expect(await cache.isUsable('gone')).toBe(false);
  });

  it('uses a recent ACTIVE answer while auth is down, and fails once it is too old', async () => {
    const down = Object.assign(new Error('down'), { code: status.UNAVAILABLE });
    const auth = scripted(ACTIVE, down);
    const cache = new AccountStatusCache({ ...auth, logger, activeTtlMs: 10, staleIfErrorMs: 300 });
    expect(await cache.isUsable('a')).toBe(true);
    advance(30);
    expect(await cache.isUsable('a')).toBe(true);
    advance(300);
    await expect(cache.isUsable('a')).rejects.toThrow('down');
    await expect(cache.isUsable('never-seen')).rejects.toThrow('down');
  });

  it('keeps at most maxEntries accounts', async () => {
    const auth = scripted(ACTIVE);
    const cache = new AccountStatusCache({ ...auth, logger, maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) await cache.isUsable(id);
    await cache.isUsable('a');
    expect(auth.calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
