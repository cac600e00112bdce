// Where the signing keys come from, in order: AUTH_JWT_PRIVATE_KEYS (production, or anyone who sets it); outside
// production, the dev keys file in AUTH_DEV_KEYS_DIR; failing both, an in-memory key that dies with the process.
import type { Logger } from '@blog/framework';
import type { AuthConfig } from '../config';
import { loadOrCreateDevKeys } from './dev-keys';
import { createKeyRing, generatePrivateJwk, KeyRingError, type KeyRing } from './signing-keys';

/** loadKeyRing loads the keys the config points at; errors name the variable to fix. */
export async function loadKeyRing(config: AuthConfig, logger: Logger): Promise<KeyRing> {
  if (config.AUTH_JWT_PRIVATE_KEYS) {
    const ring = await createKeyRing(config.AUTH_JWT_PRIVATE_KEYS).catch((error: unknown) => {
      throw error instanceof KeyRingError
        ? new KeyRingError(`AUTH_JWT_PRIVATE_KEYS: ${error.message}`)
        : error;
    });
    logger.info({ kids: ring.publicKeys.map((k) => k.kid) }, 'signing keys from AUTH_JWT_PRIVATE_KEYS');
    return ring;
  }
  // The config refuses production without keys already; this guards against a config that forgot to.
  if (config.NODE_ENV === 'production') {
    throw new KeyRingError('AUTH_JWT_PRIVATE_KEYS is required in production');
  }
  if (config.AUTH_DEV_KEYS_DIR) {
    const dev = await loadOrCreateDevKeys(config.AUTH_DEV_KEYS_DIR);
    const ring = await createKeyRing(dev.keys);
    logger.warn(
      { path: dev.path, created: dev.created, kids: ring.publicKeys.map((k) => k.kid) },
      'DEVELOPMENT signing keys (AUTH_JWT_PRIVATE_KEYS is not set): never use them in production',
    );
    return ring;
  }
  const ring = await createKeyRing([await generatePrivateJwk(`ephemeral-${Date.now()}`)]);
  logger.warn(
    { kids: ring.publicKeys.map((k) => k.kid) },
    'in-memory signing key (neither AUTH_JWT_PRIVATE_KEYS nor AUTH_DEV_KEYS_DIR is set): tokens die with this process',
  );
  return ring;
}
