import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets, readSecrets } from './secrets';
import { services } from './services';

describe('secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-secrets-'));
  const file = join(dir, 'secrets.json');
  afterEach(() => rmSync(file, { force: true }));

  it('creates distinct random passwords for every role in a file only the owner can read', () => {
    const secrets = loadOrCreateSecrets(file);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    const all = [
      secrets.admin,
      secrets.debezium,
      ...services.map((s) => secrets.services[s.name]),
      ...Object.values(secrets.kafka),
    ];
    expect(Object.keys(secrets.kafka)).toEqual([
      'admin',
      ...services.map((s) => s.name),
      'debezium',
      'blog-tools',
    ]);
    expect(new Set(all).size).toBe(all.length);
    for (const password of all) expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it('keeps existing passwords and adds missing ones', () => {
    writeFileSync(
      file,
      JSON.stringify({ admin: 'kept', services: { auth: 'kept-auth' }, kafka: { post: 'kept-post' } }),
      { mode: 0o644 },
    );

    const secrets = loadOrCreateSecrets(file);

    expect(secrets.admin).toBe('kept');
    expect(secrets.services.auth).toBe('kept-auth');
    expect(secrets.services.subscribe).toBeTruthy();
    expect(secrets.kafka['post']).toBe('kept-post');
    expect(secrets.kafka['blog-tools']).toBeTruthy();
    expect(readSecrets(file)).toEqual(secrets);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).debezium).toBe(secrets.debezium);
  });

  it('reads nothing before the first start', () => {
    expect(readSecrets(join(dir, 'absent.json'))).toBeUndefined();
  });
});
