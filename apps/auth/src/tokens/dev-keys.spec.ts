import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_KEYS_FILE, loadOrCreateDevKeys } from './dev-keys';
import { createKeyRing } from './signing-keys';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'auth-dev-keys-'));
  dirs.push(dir);
  return join(dir, 'nested', 'auth-keys');
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('development keys', () => {
  it('are generated at first start into the folder, mode 600, marked dev-only, and reused afterwards', async () => {
    const dir = await tempDir();
    const first = await loadOrCreateDevKeys(dir);
    expect(first.created).toBe(true);
    expect(first.path).toBe(join(dir, DEV_KEYS_FILE));
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const file = JSON.parse(await readFile(first.path, 'utf8')) as Record<string, unknown>;
    expect(file.devOnly).toBe(true);
    expect(String(file.comment)).toMatch(/DEVELOPMENT ONLY.*Never use these keys in production/);
    await expect(createKeyRing(first.keys)).resolves.toBeDefined();

    const again = await loadOrCreateDevKeys(dir);
    expect(again.created).toBe(false);
    expect(again.keys).toEqual(first.keys);
  });

  it('agree on one file when several processes start at once', async () => {
    const dir = await tempDir();
    const results = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateDevKeys(dir)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    for (const result of results) expect(result.keys).toEqual(results[0].keys);
  });

  it('refuse a file that is not a dev keys file instead of overwriting it', async () => {
    const dir = await tempDir();
    await loadOrCreateDevKeys(dir);
    await writeFile(join(dir, DEV_KEYS_FILE), JSON.stringify({ keys: [] }));
    await expect(loadOrCreateDevKeys(dir)).rejects.toThrow(/is not a dev keys file/);
  });
});
