// Password hashing with argon2id (the `argon2` package: prebuilt N-API binaries, so no compiler at install).
// Parameters are OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane); they travel inside every hash (PHC string),
// so raising them later still verifies old hashes.
import { randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

/** PasswordHasher hashes and checks passwords. */
export interface PasswordHasher {
  /** hash returns a self-describing hash (PHC string) of the password. */
  hash(password: string): Promise<string>;
  /** verify tells whether password matches hash; a malformed hash is a mismatch, never an error. */
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * verifyDummy spends the time a real verification takes and answers false: used when there is no account to
   * check against, so that a wrong email and a wrong password cost the same time.
   */
  verifyDummy(password: string): Promise<false>;
}

/** Argon2Options tune the cost; the defaults are OWASP's argon2id minimum. */
export interface Argon2Options {
  memoryCostKib?: number;
  timeCost?: number;
  parallelism?: number;
}

/** Argon2Hasher is the default PasswordHasher (argon2id). */
export class Argon2Hasher implements PasswordHasher {
  private readonly options: argon2.HashOptions;
  private dummyHash?: Promise<string>;

  constructor(options: Argon2Options = {}) {
    this.options = {
      type: argon2.argon2id,
      memoryCost: options.memoryCostKib ?? 19_456,
      timeCost: options.timeCost ?? 2,
      parallelism: options.parallelism ?? 1,
    };
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, this.options);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.dummy(), password);
    return false;
  }

  /** warmUp computes the dummy hash now, so the first unknown-email login is not slower than the others. */
  async warmUp(): Promise<void> {
    await this.dummy();
  }

  // A hash of a random secret with the same parameters as real ones: nothing can match it.
  private dummy(): Promise<string> {
    return (this.dummyHash ??= this.hash(randomBytes(32).toString('base64url')));
  }
}
