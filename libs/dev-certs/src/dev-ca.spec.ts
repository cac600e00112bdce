import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDevCa, issueCertificate } from './dev-ca';

describe('development CA', () => {
  it('issues a workload certificate that chains to the CA and carries its identity', async () => {
    const ca = await createDevCa({ validDays: 10 });
    const issued = await issueCertificate(ca, {
      uri: 'spiffe://blog.local/service/auth',
      dnsNames: ['auth', 'localhost'],
      ips: ['127.0.0.1'],
    });
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(issued.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.subjectAltName).toBe(
      'URI:spiffe://blog.local/service/auth, DNS:auth, DNS:localhost, IP Address:127.0.0.1',
    );
    expect(cert.checkPrivateKey(createPrivateKey(issued.keyPem))).toBe(true);
    const lifetimeDays = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(lifetimeDays)).toBe(30);
  });

  it('gives another CA a certificate the first one does not vouch for', async () => {
    const ours = await createDevCa();
    const theirs = await createDevCa();
    const issued = await issueCertificate(theirs, { uri: 'spiffe://blog.local/service/api-gateway' });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.verify(new X509Certificate(ours.certPem).publicKey)).toBe(false);
  });
});
