// Test support (excluded from the build): the real auth service on the local stack (see @blog/testing startOnStack),
// with dev signing keys in a temporary folder; its tap (`emitted`) sees events.auth.account.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregateTypes, auth } from '@blog/proto';
import { startOnStack, type StackHarness } from '@blog/testing';
import type { AuthConfig } from '../config';
import { authService } from '../service';

/** AuthHarness is a running auth service and what a test needs around it. */
export type AuthHarness = StackHarness<AuthConfig, typeof auth.AuthServiceService>;

/** startAuth starts the service with dev keys in a temporary folder, which stop() removes; `env` adds variables. */
export async function startAuth(env: Record<string, string> = {}): Promise<AuthHarness> {
  const keysDir = await mkdtemp(join(tmpdir(), 'auth-it-keys-'));
  const removeKeys = () => rm(keysDir, { recursive: true, force: true });
  const h = await startOnStack({
    service: authService,
    definition: auth.AuthServiceService,
    schema: 'auth',
    emits: [AggregateTypes.account],
    env: { AUTH_DEV_KEYS_DIR: keysDir, ...env },
  }).catch(async (error: unknown) => {
    await removeKeys();
    throw error;
  });
  return { ...h, stop: () => h.stop().then(removeKeys) };
}
