// The access-token keys: the auth service's JWKS, fetched at start (retried until auth answers), refreshed now and
// then for rotation, and refetched at once when a token names a key id we do not know (at most once per cooldown, so
// forged kids cannot turn every request into a call to auth).
import type { Logger } from '@blog/framework/core';
import {
  type CryptoKey,
  createLocalJWKSet,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWK,
  type JWSHeaderParameters,
} from 'jose';

type KeyResolver = ReturnType<typeof createLocalJWKSet>;

/** KeyStoreOptions tune JwksKeyStore. */
export interface KeyStoreOptions {
  /** fetchKeys asks auth.GetJwks. */
  readonly fetchKeys: () => Promise<readonly JWK[]>;
  readonly logger: Logger;
  /** retryIntervalMs between attempts while no keys are loaded (default 1000). */
  readonly retryIntervalMs?: number;
  /** refreshIntervalMs between routine refreshes once loaded (default 300000). */
  readonly refreshIntervalMs?: number;
  /** unknownKidCooldownMs is the least time between two refetches caused by an unknown kid (default 10000). */
  readonly unknownKidCooldownMs?: number;
}

/** NoKeysError: the gateway has no keys yet (auth has not answered since start). */
export class NoKeysError extends Error {
  override readonly name = 'NoKeysError';
}

/** JwksKeyStore keeps the current key set and resolves a token's key from it (a jose JWTVerifyGetKey). */
export class JwksKeyStore {
  private resolver?: KeyResolver;
  private kids: readonly string[] = [];
  private lastFetchAt = 0;
  private fetching?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private failuresInARow = 0;

  constructor(private readonly options: KeyStoreOptions) {}

  /** loaded is true once a key set has been fetched. */
  get loaded(): boolean {
    return this.resolver !== undefined;
  }

  /** keyIds lists the kids of the current set. */
  get keyIds(): readonly string[] {
    return this.kids;
  }

  /** start fetches the keys now and keeps them fresh; it never throws (auth may be down at start). */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** stop cancels the background fetches. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** refresh fetches the key set now (one fetch at a time); resolves whether it succeeded. */
  refresh(): Promise<boolean> {
    this.fetching ??= this.fetch().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  /** getKey resolves the key of a token for jose's jwtVerify; unknown kids trigger one rate-limited refetch. */
  readonly getKey = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    if (!this.resolver) await this.refreshAllowed();
    const resolver = this.resolver;
    if (!resolver) throw new NoKeysError('no token keys loaded yet');
    try {
      return await resolver(header, token);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY' || !(await this.refreshAllowed()))
        throw error;
      return (this.resolver ?? resolver)(header, token);
    }
  };

  private async refreshAllowed(): Promise<boolean> {
    const cooldown = this.options.unknownKidCooldownMs ?? 10_000;
    if (this.fetching) return this.fetching;
    if (Date.now() - this.lastFetchAt < cooldown) return false;
    return this.refresh();
  }

  private async fetch(): Promise<boolean> {
    this.lastFetchAt = Date.now();
    try {
      const keys = (await this.options.fetchKeys()).map(withoutEmptyFields).filter(isEd25519);
      if (keys.length === 0) throw new Error('auth.GetJwks answered no Ed25519 keys');
      const set: JSONWebKeySet = { keys: keys as JWK[] };
      this.resolver = createLocalJWKSet(set);
      const kids = keys.map((k) => k.kid ?? '');
      if (kids.join() !== this.kids.join()) this.options.logger.info({ kids }, 'access-token keys loaded');
      this.kids = kids;
      this.failuresInARow = 0;
      return true;
    } catch (error) {
      // One warning per outage, not one per retry while auth is down.
      const level = this.failuresInARow++ === 0 ? 'warn' : 'debug';
      this.options.logger[level]({ err: error, loaded: this.loaded }, 'could not fetch access-token keys');
      return false;
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const ok = await this.refresh();
    if (this.stopped) return;
    const delay =
      ok || this.loaded
        ? (this.options.refreshIntervalMs ?? 300_000)
        : (this.options.retryIntervalMs ?? 1000);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref();
  }
}

// Proto strings are '' when absent; a JWK with "use": "" or "alg": "" would be rejected or mismatched by jose.
function withoutEmptyFields(key: JWK): JWK {
  return Object.fromEntries(
    Object.entries(key).filter(([, value]) => value !== '' && value !== undefined),
  ) as JWK;
}

function isEd25519(key: JWK): boolean {
  return key.kty === 'OKP' && key.crv === 'Ed25519' && typeof key.x === 'string';
}
