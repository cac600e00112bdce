import { describe, expect, it } from 'vitest';
import { Argon2Hasher } from './password-hasher';

describe('argon2id password hasher', () => {
  const hasher = new Argon2Hasher();

  it('hashes with argon2id and a random salt, and verifies only the right password', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$/);
    expect(hash.split('$')[3].split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    expect(await hasher.hash('correct horse battery')).not.toBe(hash);
    expect(await hasher.verify(hash, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse batterY')).toBe(false);
  });

  it('treats a malformed hash as a mismatch', async () => {
    expect(await hasher.verify('not-a-hash', 'whatever')).toBe(false);
  });

  it('spends about the time of a real verification on the dummy, and never matches', async () => {
    await hasher.warmUp();
    const hash = await hasher.hash('password one');
    const time = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    const real: number[] = [];
    const dummy: number[] = [];
    for (let i = 0; i < 5; i++) {
      real.push(await time(() => hasher.verify(hash, 'password two')));
      dummy.push(await time(() => hasher.verifyDummy('password one')));
    }
    expect(await hasher.verifyDummy('password one')).toBe(false);
    // Same parameters, same work; the fastest try of each estimates it on a shared, noisy CPU.
    const ratio = Math.min(...dummy) / Math.min(...real);
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(3);
  });
});
