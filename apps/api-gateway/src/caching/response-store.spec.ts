import { describe, expect, it } from 'vitest';
import { etagOf, matchesIfNoneMatch } from './http-cache';
import { MemoryResponseStore } from './response-store';

describe('MemoryResponseStore', () => {
  it('expires an entry after its TTL', async () => {
    let now = 1000;
    const store = new MemoryResponseStore(10, () => now);
    await store.set('/a', { body: '{}', etag: '"x"' }, 50);
    expect(await store.get('/a')).toEqual({ body: '{}', etag: '"x"' });
    now += 50;
    expect(await store.get('/a')).toBeUndefined();
  });

  it('drops the oldest entry when full, and everything on clear', async () => {
    const store = new MemoryResponseStore(2);
    for (const key of ['/a', '/b', '/c']) await store.set(key, { body: key, etag: '"e"' }, 60_000);
    expect(await store.get('/a')).toBeUndefined();
    expect((await store.get('/c'))?.body).toBe('/c');
    expect(store.size).toBe(2);
    await store.clear();
    expect(store.size).toBe(0);
  });
});

describe('ETags', () => {
  it('are the same for the same body and differ for another', () => {
    expect(etagOf('{"a":1}')).toBe(etagOf('{"a":1}'));
    expect(etagOf('{"a":1}')).not.toBe(etagOf('{"a":2}'));
  });

  it('match If-None-Match by weak comparison, in a list, or with *', () => {
    const etag = etagOf('body');
    expect(matchesIfNoneMatch(etag, etag)).toBe(true);
    expect(matchesIfNoneMatch(`"nope", W/${etag}`, etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
    expect(matchesIfNoneMatch('"nope"', etag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
  });
});
