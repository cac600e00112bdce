// The stack's development certificates: made once, left alone while valid, renewed near their end, and a rotated CA
// keeps the previous one trusted; every certificate is accepted by the framework as its workload's identity.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grpcSecurity } from '@blog/framework';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureCertificates, tlsEnvIn } from './certs';

const dir = mkdtempSync(join(tmpdir(), 'stack-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const names = ['user', 'api-gateway'];
const DAY = 86_400_000;

const certOf = (name: string) => new X509Certificate(readFileSync(tlsEnvIn(dir, name).TLS_CERT_FILE));
const bundleOf = (name: string) => readFileSync(tlsEnvIn(dir, name).TLS_CA_FILE, 'utf8');

describe('ensureCertificates', () => {
  it('makes a CA and one certificate per workload, keys readable by their owner only', async () => {
    const report = await ensureCertificates(dir, names);
    expect(report).toEqual({ newCa: true, issued: names });
    for (const name of names) {
      const security = grpcSecurity(name, { NODE_ENV: 'test', GRPC_INSECURE: false, ...tlsEnvIn(dir, name) });
      expect(security.identity?.uri).toBe(`spiffe://blog.local/service/${name}`);
      expect(statSync(tlsEnvIn(dir, name).TLS_KEY_FILE).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(dir, 'ca', 'ca.key')).mode & 0o777).toBe(0o600);
  });

  it('leaves valid certificates alone and re-issues those near their end', async () => {
    const serial = certOf('user').serialNumber;
    expect(await ensureCertificates(dir, names)).toEqual({ newCa: false, issued: [] });
    expect(certOf('user').serialNumber).toBe(serial);
    // 25 days on, the 30-day certificates are inside the 7-day renewal window; the CA is not.
    const later = await ensureCertificates(dir, names, { now: Date.now() + 25 * DAY });
    expect(later).toEqual({ newCa: false, issued: names });
    expect(certOf('user').serialNumber).not.toBe(serial);
  });

  it('rotates the CA: every certificate re-issued, the previous CA still trusted beside the new one', async () => {
    const before = new X509Certificate(readFileSync(join(dir, 'ca', 'ca.crt')));
    const report = await ensureCertificates(dir, names, { rotate: true });
    expect(report).toEqual({ newCa: true, issued: names });
    const after = new X509Certificate(readFileSync(join(dir, 'ca', 'ca.crt')));
    expect(after.fingerprint256).not.toBe(before.fingerprint256);
    expect(certOf('user').checkIssued(after)).toBe(true);
    const bundle = bundleOf('user');
    expect(bundle.startsWith(after.toString())).toBe(true);
    expect(bundle).toContain(before.toString());
  });
});
