// Revocation by a short cached status check: a token is honoured only while its account is ACTIVE. ACTIVE is trusted
// for `activeTtlMs` (1 s): the window in which another replica may still accept a token of an account whose deletion
// was requested elsewhere. DELETING and DELETED are final states, so they are kept much longer. This replica learns
// of a deletion it served at once (markDeleting). See README "Token revocation".
import type { Logger } from '@blog/framework/core';
import { auth } from '@blog/proto';
import { status as grpcStatus } from '@grpc/grpc-js';
import type { AccountStatusChecker } from './auth';

/** AccountStatusCacheOptions tune AccountStatusCache. */
export interface AccountStatusCacheOptions {
  /** fetchStatus asks auth.GetAccount. */
  readonly fetchStatus: (accountId: string) => Promise<auth.AccountStatus>;
  readonly logger: Logger;
  /** activeTtlMs an ACTIVE answer is reused (default 1000). */
  readonly activeTtlMs?: number;
  /** finalTtlMs a DELETING/DELETED answer is reused (default 600000). */
  readonly finalTtlMs?: number;
  /** staleIfErrorMs: while auth cannot answer, an ACTIVE answer this recent is still used (default 30000). */
  readonly staleIfErrorMs?: number;
  /** maxEntries bounds memory; the oldest entries go first (default 100000). */
  readonly maxEntries?: number;
}

interface Entry {
  readonly status: auth.AccountStatus;
  readonly at: number;
}

const FINAL = new Set([
  auth.AccountStatus.ACCOUNT_STATUS_DELETING,
  auth.AccountStatus.ACCOUNT_STATUS_DELETED,
]);

/** AccountStatusCache answers "may this account's tokens be used?" with at most one auth call per account per TTL. */
export class AccountStatusCache implements AccountStatusChecker {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<auth.AccountStatus>>();

  constructor(private readonly options: AccountStatusCacheOptions) {}

  async isUsable(accountId: string): Promise<boolean> {
    return (await this.status(accountId)) === auth.AccountStatus.ACCOUNT_STATUS_ACTIVE;
  }

  markDeleting(accountId: string): void {
    this.remember(accountId, auth.AccountStatus.ACCOUNT_STATUS_DELETING);
  }

  /** status returns the account's status, from the cache while it is fresh. */
  async status(accountId: string): Promise<auth.AccountStatus> {
    const entry = this.entries.get(accountId);
    if (entry && Date.now() - entry.at < this.ttlOf(entry.status)) return entry.status;
    let lookup = this.pending.get(accountId);
    if (!lookup) {
      lookup = this.lookup(accountId, entry).finally(() => this.pending.delete(accountId));
      this.pending.set(accountId, lookup);
    }
    return lookup;
  }

  private async lookup(accountId: string, previous: Entry | undefined): Promise<auth.AccountStatus> {
    try {
      const status = await this.options.fetchStatus(accountId);
      // A deletion marked here while the lookup was in flight wins over an older ACTIVE answer.
      const current = this.entries.get(accountId);
      if (current && FINAL.has(current.status) && !FINAL.has(status)) return current.status;
      this.remember(accountId, status);
      return status;
    } catch (error) {
      if ((error as { code?: unknown }).code === grpcStatus.NOT_FOUND) {
        this.remember(accountId, auth.AccountStatus.ACCOUNT_STATUS_DELETED);
        return auth.AccountStatus.ACCOUNT_STATUS_DELETED;
      }
      const staleIfErrorMs = this.options.staleIfErrorMs ?? 30_000;
      if (
        previous?.status === auth.AccountStatus.ACCOUNT_STATUS_ACTIVE &&
        Date.now() - previous.at < staleIfErrorMs
      ) {
        this.options.logger.warn(
          { err: error, accountId },
          'account status unknown: using the last ACTIVE answer',
        );
        return previous.status;
      }
      throw error;
    }
  }

  private ttlOf(status: auth.AccountStatus): number {
    return FINAL.has(status) ? (this.options.finalTtlMs ?? 600_000) : (this.options.activeTtlMs ?? 1000);
  }

  private remember(accountId: string, status: auth.AccountStatus): void {
    this.entries.delete(accountId);
    this.entries.set(accountId, { status, at: Date.now() });
    const max = this.options.maxEntries ?? 100_000;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
  }
}
