// A bound on the argon2 work in flight. argon2 runs on libuv's thread pool (4 threads by default), which DNS lookups,
// file reads and zlib share: a burst of sign-ups or logins queued hashes there without limit, every other request of
// the process waited behind them, and the gateway's deadlines expired (500s and 503s, the breaker counting them).
// Here at most `concurrency` hashes run, at most `queue` more wait in order, and anything beyond is refused at once
// with RESOURCE_EXHAUSTED (429 with Retry-After at the gateway): the client retries later, nothing piles up.
// Hand-written rather than p-limit or p-queue: neither refuses beyond a bound, which is the point here.
import { ResourceExhaustedError } from '@blog/framework';
import type { PasswordHasher } from './password-hasher';

/** HashLimits bound the password work of one process. */
export interface HashLimits {
  /** concurrency is how many hashes or verifications run at once. */
  readonly concurrency: number;
  /** queue is how many more may wait for a slot; beyond it a call is refused. */
  readonly queue: number;
}

/** HASHING_BUSY_REASON is the ErrorInfo reason of a refusal, for clients and tests to tell it from a rate limit. */
export const HASHING_BUSY_REASON = 'PASSWORD_HASHING_BUSY';

/** HashLimiter runs password work under HashLimits. */
export class HashLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limits: HashLimits) {
    if (limits.concurrency < 1) throw new Error('HashLimiter: concurrency must be at least 1');
  }

  /** run calls work when a slot is free, or throws ResourceExhaustedError when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limits.concurrency) {
      if (this.waiting.length >= this.limits.queue) {
        throw new ResourceExhaustedError('too many sign-ups and logins in progress: retry shortly', {
          reason: HASHING_BUSY_REASON,
        });
      }
      // The slot is handed over by the call that finishes (see release), so running never exceeds the bound.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** inFlight reports the calls running and waiting (for tests and metrics). */
  get inFlight(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/** LimitedHasher is a PasswordHasher whose every hash and verification goes through a HashLimiter. */
export class LimitedHasher implements PasswordHasher {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly limiter: HashLimiter,
  ) {}

  hash(password: string): Promise<string> {
    return this.limiter.run(() => this.hasher.hash(password));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.limiter.run(() => this.hasher.verify(hash, password));
  }

  verifyDummy(password: string): Promise<false> {
    return this.limiter.run(() => this.hasher.verifyDummy(password));
  }
}
