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

  it('verifies the dummy against a hash made with the same parameters as real ones, and never matches', async () => {
    // Same algorithm, memory, passes and lanes: the same work as a real verification, so an unknown email answers in
    // the time of a wrong password. (Proven by the parameters, not by timing: CI's shared CPUs make timings flaky.)
    await hasher.warmUp();
    const real = await hasher.hash('password one');
    const dummy = await (hasher as unknown as { dummyHash: Promise<string> }).dummyHash;
    const parameters = (hash: string) => hash.split('$').slice(1, 4);
    expect(parameters(dummy)).toEqual(parameters(real));
    expect(dummy).not.toBe(real);
    expect(await hasher.verifyDummy('password one')).toBe(false);
  });
});
