// Where the response cache keeps answers: in the process (a bounded map), or in Redis when REDIS_URL is set so that
// every gateway replica shares them. Both expire entries after their TTL; neither is ever asked for an entry that is
// not a public answer (cache-policy.ts), so what they hold is the same for every anonymous client.
import type { Redis } from 'ioredis';

/** CachedResponse is one stored answer: its JSON body as sent, and its ETag. */
export interface CachedResponse {
  readonly body: string;
  readonly etag: string;
}

/** ResponseStore keeps answers for a while. */
export interface ResponseStore {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse, ttlMs: number): Promise<void>;
  /** clear drops what this process can drop cheaply (after a write through this gateway). */
  clear(): Promise<void>;
}

/** MemoryResponseStore is a bounded in-process store: the oldest entry goes when it is full. */
export class MemoryResponseStore implements ResponseStore {
  private readonly entries = new Map<string, { value: CachedResponse; expires: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: CachedResponse, ttlMs: number): Promise<void> {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: this.now() + ttlMs });
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }

  /** size is the number of entries held (expired ones included until read). */
  get size(): number {
    return this.entries.size;
  }
}

/** REDIS_KEY_PREFIX keeps the cache's keys apart from the rate limiter's. */
export const REDIS_KEY_PREFIX = 'gateway:response:';

/**
 * RedisResponseStore shares answers between replicas; entries expire by Redis's own TTL (PX). clear does nothing:
 * another replica's writes are not seen here either, so with Redis an answer is at most the TTL old, full stop.
 */
export class RedisResponseStore implements ResponseStore {
  constructor(private readonly redis: Redis) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const raw = await this.redis.get(REDIS_KEY_PREFIX + key);
    if (raw === null) return undefined;
    const parsed = JSON.parse(raw) as Partial<CachedResponse>;
    return typeof parsed.body === 'string' && typeof parsed.etag === 'string'
      ? { body: parsed.body, etag: parsed.etag }
      : undefined;
  }

  async set(key: string, value: CachedResponse, ttlMs: number): Promise<void> {
    await this.redis.set(REDIS_KEY_PREFIX + key, JSON.stringify(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async clear(): Promise<void> {
    // Nothing to do here: see the class comment (entries expire by their TTL only).
    return undefined;
  }
}
