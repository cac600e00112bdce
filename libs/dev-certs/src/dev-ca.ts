// DEVELOPMENT ONLY. A local certificate authority and one certificate per workload, for mTLS in the local stack,
// compose and tests. Production certificates come from cert-manager (Kubernetes) or your own PKI, never from here.
// ECDSA P-256 keys made by Node's WebCrypto, certificates built by @peculiar/x509 (a maintained X.509 library; Node
// itself can parse certificates but not issue them).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type KeyPair = webcrypto.CryptoKeyPair;
type Key = webcrypto.CryptoKey;

// Node's WebCrypto is the provider (its types are Node's, the library's the DOM's: the same objects at run time).
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** DevCa is the CA's certificate and key in PEM (the key never leaves the developer's machine). */
export interface DevCa {
  readonly certPem: string;
  readonly keyPem: string;
}

/** IssuedCertificate is a workload's certificate and key in PEM. */
export interface IssuedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

/** WorkloadRequest names what a certificate is for: its identity URI and the host names and IPs it answers on. */
export interface WorkloadRequest {
  /** uri is the SPIFFE ID, e.g. spiffe://blog.local/service/auth. */
  readonly uri: string;
  /** dnsNames are the names it is reached by (compose service names, localhost). */
  readonly dnsNames?: readonly string[];
  /** ips are the addresses it is reached by (127.0.0.1 locally). */
  readonly ips?: readonly string[];
  /** validDays is the certificate's lifetime (default 30: short-lived, reissued by the stack when near its end). */
  readonly validDays?: number;
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

async function keyPair(): Promise<KeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as KeyPair;
}

async function privateKeyPem(key: Key): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

function serial(): string {
  // Positive 128-bit serial (the top bit cleared so DER does not read it as negative).
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** createDevCa makes a self-signed CA (default 365 days) that may only sign leaf certificates. */
export async function createDevCa(options: { commonName?: string; validDays?: number } = {}): Promise<DevCa> {
  const keys = await keyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${options.commonName ?? 'blog-platform development CA (dev-only)'}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.validDays ?? 365) * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) };
}

/** issueCertificate signs a workload certificate (client and server use) with the CA. */
export async function issueCertificate(ca: DevCa, request: WorkloadRequest): Promise<IssuedCertificate> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    Buffer.from(ca.keyPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'),
    ALGORITHM,
    false,
    ['sign'],
  );
  const keys = await keyPair();
  const now = Date.now();
  const names: x509.JsonGeneralName[] = [
    { type: 'url', value: request.uri },
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${request.uri.split('/').pop() ?? 'workload'}`,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (request.validDays ?? 30) * DAY_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(names, false),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) };
}
