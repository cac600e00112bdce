import { ResourceExhaustedError } from '@blog/framework';
import { describe, expect, it } from 'vitest';
import { HASHING_BUSY_REASON, HashLimiter, LimitedHasher } from './hash-limiter';
import type { PasswordHasher } from './password-hasher';

/** gate is a piece of work that ends when the test says so. */
function gate<T>(value: T) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let started = false;
  return {
    work: async () => {
      started = true;
      await opened;
      return value;
    },
    open,
    get started() {
      return started;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('HashLimiter', () => {
  it('runs at most `concurrency` at once and starts the waiting ones in order as slots free', async () => {
    const limiter = new HashLimiter({ concurrency: 2, queue: 5 });
    const gates = [gate(1), gate(2), gate(3), gate(4)];
    const results = gates.map((g) => limiter.run(g.work));
    await settle();
    expect(gates.map((g) => g.started)).toEqual([true, true, false, false]);
    expect(limiter.inFlight).toEqual({ running: 2, waiting: 2 });

    gates[1].open();
    await settle();
    expect(gates.map((g) => g.started)).toEqual([true, true, true, false]);
    expect(limiter.inFlight).toEqual({ running: 2, waiting: 1 });

    gates[0].open();
    gates[2].open();
    gates[3].open();
    expect(await Promise.all(results)).toEqual([1, 2, 3, 4]);
    expect(limiter.inFlight).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses at once with RESOURCE_EXHAUSTED beyond the queue, without running the work', async () => {
    const limiter = new HashLimiter({ concurrency: 1, queue: 1 });
    const first = gate('a');
    const second = gate('b');
    const third = gate('c');
    const running = limiter.run(first.work);
    const queued = limiter.run(second.work);
    const refused = limiter.run(third.work);

    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(error).toMatchObject({ reason: HASHING_BUSY_REASON });
    expect(third.started).toBe(false);

    first.open();
    second.open();
    expect(await Promise.all([running, queued])).toEqual(['a', 'b']);
    // Room again once the burst is through.
    expect(await limiter.run(async () => 'd')).toBe('d');
  });

  it('frees the slot of a call that failed', async () => {
    const limiter = new HashLimiter({ concurrency: 1, queue: 0 });
    await expect(limiter.run(() => Promise.reject(new Error('argon2 failed')))).rejects.toThrow(
      'argon2 failed',
    );
    expect(limiter.inFlight).toEqual({ running: 0, waiting: 0 });
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it('refuses a concurrency below 1', () => {
    expect(() => new HashLimiter({ concurrency: 0, queue: 1 })).toThrow('concurrency');
  });
});

describe('LimitedHasher', () => {
  it('puts hash, verify and the dummy verification under one limiter', async () => {
    const hold = gate('held');
    const inner: PasswordHasher = {
      hash: async () => (await hold.work(), 'hash'),
      verify: async () => true,
      verifyDummy: async () => false,
    };
    const hasher = new LimitedHasher(inner, new HashLimiter({ concurrency: 1, queue: 0 }));
    const hashing = hasher.hash('pw');
    await expect(hasher.verify('hash', 'pw')).rejects.toBeInstanceOf(ResourceExhaustedError);
    await expect(hasher.verifyDummy('pw')).rejects.toBeInstanceOf(ResourceExhaustedError);
    hold.open();
    expect(await hashing).toBe('hash');
    expect(await hasher.verify('hash', 'pw')).toBe(true);
    expect(await hasher.verifyDummy('pw')).toBe(false);
  });
});
